"""How the audit log names regions (crm.audit.labels)."""

from __future__ import annotations

from crm.audit.labels import register_kind
from crm.core.i18n import N_
from crm.regions.models import LEVEL_LABELS


def register_audit_labels(app) -> None:
    register_kind(
        app,
        "regions",
        N_("行政区划"),
        fields={
            "code": N_("行政区划代码"),
            "name": N_("名称"),
            "level": N_("级别"),
            "parent_id": N_("上级区划"),
        },
        values={"level": LEVEL_LABELS},
    )
