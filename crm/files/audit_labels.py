"""How the audit log names attachments (crm.audit.labels)."""

from __future__ import annotations

from crm.audit.labels import register_kind
from crm.core.i18n import N_
from crm.files.models import ATTACHMENT_KINDS


def register_audit_labels(app) -> None:
    register_kind(
        app,
        "attachments",
        N_("附件"),
        fields={
            "owner_kind": N_("所属记录类型"),
            "owner_id": N_("所属记录"),
            "kind": N_("附件类别"),
            "sha256": N_("SHA-256"),
            "size_bytes": N_("大小（字节）"),
            "file_type": N_("文件类型"),
            "original_name": N_("文件名"),
            "uploaded_by_id": N_("上传人"),
            "uploaded_at": N_("上传时间"),
            "detached_at": N_("删除时间"),
            "detached_by_id": N_("删除人"),
            "purged_at": N_("清除时间"),
            "purged_by_id": N_("清除人"),
        },
        values={"kind": ATTACHMENT_KINDS},
    )
