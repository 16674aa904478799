"""How the audit log names activities (crm.audit.labels)."""

from __future__ import annotations

from crm.activities.models import ACTIVITY_KINDS, Activity
from crm.audit.labels import ON_PROJECT_PAGE, register_kind
from crm.core.i18n import N_


def register_audit_labels(app) -> None:
    register_kind(
        app,
        "activities",
        N_("跟进记录"),
        fields={
            "kind": N_("跟进方式"),
            "occurred_on": N_("跟进日期"),
            "subject": N_("主题"),
            "participants": N_("参与人员"),
            "summary": N_("内容摘要"),
            "next_step": N_("下一步工作"),
            "next_follow_up_on": N_("下次跟进日期"),
        },
        values={"kind": ACTIVITY_KINDS},
        # No page of its own: its project's (an activity about a company alone has no link).
        model=Activity,
        **ON_PROJECT_PAGE,
    )
