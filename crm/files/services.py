"""Writes of evidence files: attach, detach, purge, and the download's audit row. Shared by
the pages, the API and the CLI. Each flushes; the caller commits."""

from __future__ import annotations

import os
import re
import unicodedata

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event, func, select

from crm.audit.models import AuditEvent
from crm.core import clock
from crm.core.db import added, db
from crm.core.errors import ServiceError
from crm.core.tenancy import current_scope, system_scope
from crm.files.models import ATTACHMENT_KINDS, Attachment
from crm.files.sniff import FILE_TYPES, sniff
from crm.files.storage import store

__all__ = [
    "DEFAULT_MAX_BYTES",
    "attach",
    "clean_name",
    "detach",
    "max_bytes",
    "purge",
    "record_download",
    "too_large_message",
]

DEFAULT_MAX_BYTES = 15 * 1024 * 1024
TABLE = Attachment.__tablename__
ALLOWED_LABELS = "PDF、PNG、JPEG、GIF、WebP、Word、Excel、PowerPoint、OFD"


def max_bytes() -> int:
    return int(current_app.config.get("FILE_MAX_BYTES") or DEFAULT_MAX_BYTES)


def too_large_message() -> str:
    return _("文件超过 %(mb)s MB 的上限，请压缩或拆分后再上传", mb=round(max_bytes() / 1024 / 1024, 1))


def clean_name(filename: str, extensions: tuple[str, ...]) -> str:
    """The name the file is downloaded under: the last part of what the browser sent, without
    control characters, at most 200 characters, ending in an extension of its real type (a
    PNG sent as ``x.html`` is saved as ``x.html.png``, so no program opens it as a page)."""
    name = re.split(r"[/\\]", unicodedata.normalize("NFC", filename or ""))[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().strip(".") or _("附件")
    stem, extension = os.path.splitext(name)
    if extension.lower() not in extensions:
        stem, extension = name, extensions[0]
    return stem[: 200 - len(extension)] + extension


def attach(owner_kind: str, record, data: bytes, filename: str, kind: str, by) -> Attachment:
    """Keep ``data`` as a file of ``record`` (a record of ``owner_kind``, already loaded under
    the tenant scope and checked writable by the caller)."""
    if kind not in ATTACHMENT_KINDS:
        raise ServiceError(_("请选择附件类别"), {"kind": [_("请选择附件类别")]})
    if not data:
        raise ServiceError(_("请选择要上传的文件"), {"file": [_("请选择要上传的文件")]})
    if len(data) > max_bytes():
        raise ServiceError(too_large_message(), {"file": [too_large_message()]})
    file_type = sniff(data)
    if file_type is None:
        message = _("不支持的文件类型：按文件内容只接受 %(types)s", types=ALLOWED_LABELS)
        raise ServiceError(message, {"file": [message]})
    sha256 = store().put(data)
    return added(
        Attachment(
            county_id=record.county_id,
            owner_kind=owner_kind,
            owner_id=record.id,
            kind=kind,
            sha256=sha256,
            size_bytes=len(data),
            file_type=file_type.key,
            original_name=clean_name(filename, file_type.extensions),
            uploaded_by_id=getattr(by, "id", None),
            uploaded_at=clock.utcnow(),
        )
    )


def may_detach(attachment: Attachment, user) -> bool:
    """A manager of the county, or the uploader, while it is attached."""
    scope = current_scope()
    if not attachment.attached or scope is None or not scope.can_write(attachment.county_id):
        return False
    return user.has_role("manager") or attachment.uploaded_by_id == user.id


def detach(attachment: Attachment, by) -> None:
    """Take the file off its record; the bytes stay until a manager purges them."""
    if not may_detach(attachment, by):
        raise ServiceError(_("只有局长或上传人可以删除此附件"))
    attachment.detached_at = clock.utcnow()
    attachment.detached_by_id = by.id
    db.session.flush()


def purge(attachments: list[Attachment], by) -> list[str]:
    """A manager's purge of detached files (or files of deleted records): the rows stay, marked
    purged; the bytes are deleted after the commit where no other live attachment (of any
    county) holds the same content. Answers the digests whose bytes will be deleted."""
    now = clock.utcnow()
    for attachment in attachments:
        attachment.purged_at = now
        attachment.purged_by_id = by.id if by is not None else None
        if attachment.detached_at is None:
            attachment.detached_at = now
            attachment.detached_by_id = attachment.purged_by_id
    db.session.flush()
    digests = sorted({a.sha256 for a in attachments})
    if not digests:
        return []
    with system_scope():  # dedup spans counties: another county may hold the same bytes
        still_held = set(
            db.session.execute(
                select(Attachment.sha256)
                .where(Attachment.sha256.in_(digests), Attachment.purged_at.is_(None))
                .group_by(Attachment.sha256)
                .having(func.count() > 0)
            ).scalars()
        )
    unheld = [d for d in digests if d not in still_held]
    if unheld:
        blobs = store()

        def remove_bytes(_session):
            for digest in unheld:
                blobs.remove(digest)

        event.listen(db.session(), "after_commit", remove_bytes, once=True)
    return unheld


def record_download(attachment: Attachment, by) -> None:
    """The audit row of one download (who, which file, when); not a change of the record."""
    scope = current_scope()
    db.session.add(
        AuditEvent(
            at=clock.utcnow(),
            actor_id=getattr(by, "id", None),
            actor_name=getattr(scope, "actor_name", "") or getattr(by, "username", ""),
            county_id=attachment.county_id,
            table_name=TABLE,
            record_id=attachment.id,
            action="download",
            after={
                "original_name": attachment.original_name,
                "sha256": attachment.sha256,
                "owner_kind": attachment.owner_kind,
                "owner_id": attachment.owner_id,
            },
        )
    )
    db.session.flush()


def type_label(attachment: Attachment) -> str:
    file_type = FILE_TYPES.get(attachment.file_type)
    return file_type.label if file_type else attachment.file_type
