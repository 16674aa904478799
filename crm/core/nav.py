"""Navigation entries that modules register; the base layout shows those the user's role may use."""

from __future__ import annotations

from dataclasses import dataclass, field

from crm.core.i18n import N_

__all__ = ["nav_for", "NavGroup", "NavItem", "PROJECTS_MENU", "PROMISES_MENU", "register_nav", "SYSTEM_MENU"]

PROJECTS_MENU = N_("项目管理")
PROMISES_MENU = N_("承诺与奖励")
SYSTEM_MENU = N_("系统管理")


@dataclass(frozen=True)
class NavItem:
    label: str  # a msgid; translated when rendered
    endpoint: str
    roles: frozenset[str]
    order: int = 100
    group: str | None = None  # a msgid: items of one group share a drop-down menu


@dataclass
class NavGroup:
    label: str
    items: list[NavItem] = field(default_factory=list)

    @property
    def endpoints(self) -> set[str]:
        return {item.endpoint for item in self.items}


def register_nav(app, label: str, endpoint: str, roles, order: int = 100, group: str | None = None) -> None:
    app.extensions.setdefault("chaincrm_nav", []).append(
        NavItem(label, endpoint, frozenset(roles), order, group)
    )


def nav_for(app, user) -> list[NavItem | NavGroup]:
    """The user's menu: single items and groups, each placed by its first item's order.

    A group the user sees only one item of is shown as that item alone.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    items = sorted(
        (i for i in app.extensions.get("chaincrm_nav", []) if user.role.value in i.roles),
        key=lambda i: i.order,
    )
    entries: list[NavItem | NavGroup] = []
    groups: dict[str, NavGroup] = {}
    for item in items:
        if item.group is None:
            entries.append(item)
        elif item.group in groups:
            groups[item.group].items.append(item)
        else:
            groups[item.group] = NavGroup(item.group, [item])
            entries.append(groups[item.group])
    return [e.items[0] if isinstance(e, NavGroup) and len(e.items) == 1 else e for e in entries]
