"""OpenAPI paths and schemas of the evidence files API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from crm.api import openapi as spec
from crm.core.db import MAX_INTEGER
from crm.files.models import ATTACHMENT_KINDS
from crm.files.sniff import FILE_TYPES

__all__ = ["PATHS", "SCHEMAS"]

OWNER_KINDS = ("project", "stage_change", "funds", "commitment_review", "fulfillment", "referral")

ATTACHMENT = spec.obj(
    {
        "id": spec.INTEGER,
        "county_id": spec.INTEGER,
        "owner_kind": {
            "type": "string",
            "description": "the record the file is attached to: " + ", ".join(OWNER_KINDS),
        },
        "owner_id": spec.INTEGER,
        "kind": {
            "type": "string",
            "enum": list(ATTACHMENT_KINDS),
            "description": "合同, 营业执照, 拨付凭证, 验资报告, 评审意见, 确认函, 其他",
        },
        "file_type": {
            "type": "string",
            "enum": list(FILE_TYPES),
            "description": "the type its content shows",
        },
        "content_type": spec.STRING,
        "size_bytes": spec.INTEGER,
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "original_name": spec.STRING,
        "uploaded_by_id": spec.ID_OR_NULL,
        "uploaded_at": spec.TIMESTAMP,
        "download_url": spec.STRING,
    }
)
ATTACHMENT_ID = spec.path_parameter(
    "attachment_id", {"type": "integer", "minimum": 1, "maximum": MAX_INTEGER}
)
CONFIDENTIAL = (
    "; a confidential project's files (its own and its records') answer 403 to whoever may not "
    "read its real name"
)

PATHS = {
    "/attachments": {
        "get": spec.get_page(
            "The files attached to one record (owner_kind and owner_id, both or neither), newest "
            "first; without them every file of the caller's counties whose record it may read" + CONFIDENTIAL,
            "Attachment",
            parameters=[
                spec.query("owner_kind", {"type": "string", "enum": list(OWNER_KINDS)}),
                spec.query_id("owner_id"),
            ],
            refusals=("403", "404", "422"),
        )
    },
    "/attachments/{attachment_id}": spec.at(
        [ATTACHMENT_ID],
        get=spec.get_one(
            "One attachment" + CONFIDENTIAL, "Attachment", "The attachment", refusals=("403", "404")
        ),
    ),
    "/attachments/{attachment_id}/download": spec.at(
        [ATTACHMENT_ID],
        get={
            "summary": "The file's bytes as a download (Content-Disposition: attachment, the original "
            "name; nosniff); audited" + CONFIDENTIAL,
            "responses": {
                "200": {
                    "description": "The file, with the Content-Type of its type",
                    "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
                },
                **spec.problems("403", "404"),
            },
        },
    ),
}

SCHEMAS = {"Attachment": ATTACHMENT}
