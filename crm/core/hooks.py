"""Places where one module shows another module's items without importing it.

A module registers a provider in its ``init_app``; the page that shows the items (the
dashboard, "my follow-ups") asks every provider. This keeps the dependency one-way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = [
    "dashboard_panels",
    "followup_items",
    "FollowUpItem",
    "inbox_items",
    "InboxItem",
    "register_dashboard_panel",
    "register_followup_source",
    "register_inbox_source",
]


@dataclass(frozen=True)
class FollowUpItem:
    """Something a user must act on by a date (a follow-up, a commitment falling due)."""

    due_on: date
    title: str
    url: str
    kind: str  # a msgid such as "项目跟进" or "承诺兑现"
    detail: str = ""


def register_followup_source(app, provider) -> None:
    """``provider(user, until: date) -> list[FollowUpItem]``: items owned by ``user`` due on or
    before ``until`` (overdue ones included), within the current tenant scope."""
    app.extensions.setdefault("chaincrm_followup_sources", []).append(provider)


def followup_items(app, user, until: date) -> list[FollowUpItem]:
    items = [
        item
        for provider in app.extensions.get("chaincrm_followup_sources", [])
        for item in provider(user, until)
    ]
    return sorted(items, key=lambda i: (i.due_on, i.kind, i.title))


def register_dashboard_panel(app, provider, order: int = 100) -> None:
    """``provider(county_ids: frozenset[int], today: date) -> Markup | None``: an HTML panel
    (usually ``render_template(...)``) for the county dashboard."""
    app.extensions.setdefault("chaincrm_dashboard_panels", []).append((order, provider))


def dashboard_panels(app, county_ids, today: date) -> list:
    panels = sorted(app.extensions.get("chaincrm_dashboard_panels", []), key=lambda p: p[0])
    return [html for _, provider in panels if (html := provider(county_ids, today))]


@dataclass(frozen=True)
class InboxItem:
    """One line of the manager's inbox on the dashboard: what waits for them, how many, and
    the list page filtered to exactly those records."""

    key: str  # stable, for the page's test ids: "commitments-draft"
    label: str  # translated
    count: int
    url: str


def register_inbox_source(app, provider, order: int = 100) -> None:
    """``provider(county_ids: frozenset[int], today: date) -> list[InboxItem]``: what waits
    for a manager in these counties (counted in the provider's own domain, under the
    current tenant scope)."""
    app.extensions.setdefault("chaincrm_inbox_sources", []).append((order, provider))


def inbox_items(app, county_ids, today: date) -> list[InboxItem]:
    sources = sorted(app.extensions.get("chaincrm_inbox_sources", []), key=lambda p: p[0])
    return [item for _, provider in sources for item in provider(county_ids, today)]
