"""How the audit log names users, API tokens and logins (crm.audit.labels)."""

from __future__ import annotations

from crm.audit.labels import register_kind
from crm.auth.models import ROLE_LABELS
from crm.core.i18n import N_


def register_audit_labels(app) -> None:
    register_kind(
        app,
        "users",
        N_("用户"),
        fields={
            "username": N_("用户名"),
            "display_name": N_("姓名"),
            "password_hash": N_("密码"),
            "role": N_("角色"),
            "region_id": N_("所属区划"),
            "is_active_user": N_("启用"),
            "calendar_token_hash": N_("日历订阅令牌"),
        },
        values={"role": ROLE_LABELS},
    )
    register_kind(
        app,
        "api_tokens",
        N_("API 令牌"),
        fields={
            "user_id": N_("用户"),
            "name": N_("名称"),
            "token_hash": N_("令牌"),
            "expires_at": N_("到期时间"),
            "last_used_at": N_("最近使用时间"),
            "revoked_at": N_("吊销时间"),
        },
    )
    register_kind(
        app,
        "logins",
        N_("登录"),
        fields={"address": N_("IP 地址"), "user_agent": N_("浏览器")},
    )
