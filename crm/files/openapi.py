"""OpenAPI paths and schemas of the evidence files API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from crm.api.openapi import ID_OR_NULL, PAGE_PARAMETERS, PROBLEM, TIMESTAMP, query_id
from crm.core.db import MAX_INTEGER
from crm.files.models import ATTACHMENT_KINDS
from crm.files.sniff import FILE_TYPES

__all__ = ["PATHS", "SCHEMAS"]

OWNER_KINDS = ("project", "stage_change", "funds", "commitment_review", "fulfillment", "referral")

ATTACHMENT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "county_id": {"type": "integer"},
        "owner_kind": {
            "type": "string",
            "description": "the record the file is attached to: " + ", ".join(OWNER_KINDS),
        },
        "owner_id": {"type": "integer"},
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
        "content_type": {"type": "string"},
        "size_bytes": {"type": "integer"},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "original_name": {"type": "string"},
        "uploaded_by_id": ID_OR_NULL,
        "uploaded_at": TIMESTAMP,
        "download_url": {"type": "string"},
    },
}
ATTACHMENT_ID = {
    "name": "attachment_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_INTEGER},
}
CONFIDENTIAL = (
    "; a confidential project's files (its own and its records') answer 403 to whoever may not "
    "read its real name"
)

PATHS = {
    "/attachments": {
        "get": {
            "summary": "The files attached to one record (owner_kind and owner_id, both or neither), newest "
            "first; without them every file of the caller's counties whose record it may read" + CONFIDENTIAL,
            "parameters": [
                {
                    "name": "owner_kind",
                    "in": "query",
                    "schema": {"type": "string", "enum": list(OWNER_KINDS)},
                },
                query_id("owner_id"),
                *PAGE_PARAMETERS,
            ],
            "responses": {
                "200": {
                    "description": "Page",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "items": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Attachment"},
                                    },
                                    "total": {"type": "integer"},
                                    "page": {"type": "integer"},
                                    "per_page": {"type": "integer"},
                                },
                            }
                        }
                    },
                },
                "403": PROBLEM,
                "404": PROBLEM,
                "422": PROBLEM,
            },
        }
    },
    "/attachments/{attachment_id}": {
        "parameters": [ATTACHMENT_ID],
        "get": {
            "summary": "One attachment" + CONFIDENTIAL,
            "responses": {
                "200": {
                    "description": "The attachment",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Attachment"}}},
                },
                "403": PROBLEM,
                "404": PROBLEM,
            },
        },
    },
    "/attachments/{attachment_id}/download": {
        "parameters": [ATTACHMENT_ID],
        "get": {
            "summary": "The file's bytes as a download (Content-Disposition: attachment, the original "
            "name; nosniff); audited" + CONFIDENTIAL,
            "responses": {
                "200": {
                    "description": "The file, with the Content-Type of its type",
                    "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
                },
                "403": PROBLEM,
                "404": PROBLEM,
            },
        },
    },
}

SCHEMAS = {"Attachment": ATTACHMENT}
