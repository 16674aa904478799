"""Navigation entries that modules register; the base layout shows those the user's role may use."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str  # a msgid; translated when rendered
    endpoint: str
    roles: frozenset[str]
    order: int = 100


def register_nav(app, label: str, endpoint: str, roles, order: int = 100) -> None:
    app.extensions.setdefault("chaincrm_nav", []).append(
        NavItem(label, endpoint, frozenset(roles), order)
    )


def nav_for(app, user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = app.extensions.get("chaincrm_nav", [])
    return sorted((i for i in items if user.role.value in i.roles), key=lambda i: i.order)
