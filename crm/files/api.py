"""/api/v1: a record's attachments, one attachment, and its download (the same scope,
confidentiality and audit as the pages, crm/files/views.py)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from crm.api.util import paginate, paginate_list
from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.parsing import record_id_or_none
from crm.files import views
from crm.files.access import may_read_files
from crm.files.models import Attachment
from crm.files.registry import owner_kind as owner_kind_of
from crm.files.sniff import FILE_TYPES

__all__ = ["bp"]

bp = Blueprint("files_api", __name__, url_prefix="/api/v1")


def attachment_json(attachment: Attachment) -> dict:
    file_type = FILE_TYPES.get(attachment.file_type)
    uploaded_at = attachment.uploaded_at
    return {
        "id": attachment.id,
        "county_id": attachment.county_id,
        "owner_kind": attachment.owner_kind,
        "owner_id": attachment.owner_id,
        "kind": attachment.kind,
        "file_type": attachment.file_type,
        "content_type": file_type.content_type if file_type else "application/octet-stream",
        "size_bytes": attachment.size_bytes,
        "sha256": attachment.sha256,
        "original_name": attachment.original_name,
        "uploaded_by_id": attachment.uploaded_by_id,
        "uploaded_at": uploaded_at.strftime("%Y-%m-%dT%H:%M:%SZ") if uploaded_at else None,
        "download_url": url_for("files_api.download", attachment_id=attachment.id),
    }


@bp.get("/attachments")
def list_attachments():
    """The files attached to one record (``owner_kind`` and ``owner_id``), newest first; without
    them, every file of the caller's counties whose record the caller may read."""
    owner_kind = request.args.get("owner_kind")
    owner_id = record_id_or_none(request.args.get("owner_id"))
    live = (Attachment.detached_at.is_(None), Attachment.purged_at.is_(None))
    newest = (Attachment.uploaded_at.desc(), Attachment.id.desc())
    if owner_kind is not None or owner_id is not None:
        if owner_kind is None or owner_id is None:
            message = _("owner_kind 和 owner_id 须同时给出")
            raise ServiceError(message, {"owner_kind" if owner_kind is None else "owner_id": [message]})
        views.load_owner(owner_kind, owner_id)
        statement = (
            select(Attachment)
            .where(Attachment.owner_kind == owner_kind, Attachment.owner_id == owner_id, *live)
            .order_by(*newest)
        )
        return paginate(statement, attachment_json)
    # Each record's rule decides (a confidential project's files): checked once per record.
    readable: dict[tuple[str, int], bool] = {}

    def may_read(attachment: Attachment) -> bool:
        key = (attachment.owner_kind, attachment.owner_id)
        if key not in readable:
            kind = owner_kind_of(attachment.owner_kind)
            record = kind.load(attachment.owner_id) if kind else None
            readable[key] = record is not None and may_read_files(kind, record)
        return readable[key]

    rows = [
        a
        for a in db.session.execute(select(Attachment).where(*live).order_by(*newest)).scalars()
        if may_read(a)
    ]
    return paginate_list(rows, attachment_json)


@bp.get("/attachments/<int:attachment_id>")
def get_attachment(attachment_id: int):
    """One attachment's facts."""
    return jsonify(attachment_json(views.readable_attachment(attachment_id)))


@bp.get("/attachments/<int:attachment_id>/download")
def download(attachment_id: int):
    """The file's bytes, as a download (audited)."""
    return views.send_attachment(views.readable_attachment(attachment_id), current_user)
