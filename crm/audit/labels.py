"""How the audit page names records, their columns and their values.

Each domain registers its own tables in its ``init_app`` (:func:`register_kind`): the kind
of record (项目), the record's page, a label per column (阶段) and labels for enumerated
values (线索). This module imports no domain. Labels are msgids (``N_``), translated where
they are shown; a column nobody registered shows its name, a value without a label itself.

:func:`describe` turns a page of :class:`~crm.audit.models.AuditEvent` rows into what the
page shows. It never changes the rows (the table is append-only): it copies their values.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from crm.core import clock
from crm.core.db import db
from crm.core.i18n import N_

__all__ = [
    "ON_PROJECT_PAGE",
    "AuditRow",
    "Change",
    "RecordKind",
    "describe",
    "domain_kinds",
    "kind_of",
    "on_page_of",
    "register_kind",
]

# Columns most tables have: a domain's own labels come first. A project or a company is
# named the same wherever a record points to one.
COMMON_FIELDS = {
    "id": N_("编号"),
    "county_id": N_("所属县"),
    "project_id": N_("项目"),
    "company_id": N_("企业"),
    "version": N_("版本"),
    "created_at": N_("创建时间"),
    "updated_at": N_("修改时间"),
    "created_by_id": N_("录入人"),
    "note": N_("备注"),
    "position": N_("序号"),
    "recorded_by_id": N_("录入人"),
    "recorded_at": N_("录入时间"),
    "resolved_by_id": N_("处理人"),
    "resolved_at": N_("处理时间"),
    "bulk_rows": N_("批量修改行数"),
}


def on_page_of(endpoint: str, parent_column: str) -> dict[str, str]:
    """``register_kind``'s link for a record shown on its parent's page:
    ``url_for(endpoint, **{parent_column: the record's parent_column})``."""
    return {"endpoint": endpoint, "id_arg": parent_column, "link_column": parent_column}


# A record without a page of its own shown on its project's page.
ON_PROJECT_PAGE = on_page_of("projects.detail", "project_id")
SYSTEM_NAMES = ("", "system")  # what the recorder writes when no user is acting

# (events of one table, viewer) -> {event id: (before, after)}: values to show instead.
Conceal = Callable[[list, object], dict[int, tuple[dict | None, dict | None]]]


@dataclass(frozen=True)
class RecordKind:
    """One table as the audit page shows it."""

    label: str
    fields: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # The record's page: url_for(endpoint, **{id_arg: the record's ``link_column``}),
    # linked while ``model`` still holds the record (read through the viewer's tenant
    # scope). ``link_column`` is "id", or the parent whose page shows a record that has
    # none of its own (an activity's project_id).
    endpoint: str | None = None
    id_arg: str | None = None
    model: type | None = None
    link_column: str = "id"
    # Values the viewer may not read (a confidential project's real name), replaced.
    conceal: Conceal | None = None

    def field_label(self, column: str) -> str:
        label = self.fields.get(column) or COMMON_FIELDS.get(column)
        return _(label) if label else column

    def value_label(self, column: str, value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return _("是") if value else _("否")
        labels = self.values.get(column) or {}
        if isinstance(value, str) and column.endswith("_at"):
            return _stored_time(value)
        if isinstance(value, str):
            return _(labels[value]) if value in labels else value
        if isinstance(value, list):  # tags, industries
            return "、".join(self.value_label(column, item) for item in value)
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        return str(value)


def _stored_time(value: str) -> str:
    """A recorded time (ISO text, UTC as stored) on the bureau's clock, like every shown time."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return clock.local_minute(moment)


def register_kind(
    app,
    table: str,
    label: str,
    *,
    fields: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
    endpoint: str | None = None,
    id_arg: str | None = None,
    model: type | None = None,
    link_column: str = "id",
    conceal: Conceal | None = None,
) -> None:
    """Name ``table``'s records on the audit page (a domain calls it from its ``init_app``)."""
    kinds = app.extensions.setdefault("audit_kinds", {})
    kinds[table] = RecordKind(
        label, dict(fields or {}), dict(values or {}), endpoint, id_arg, model, link_column, conceal
    )


def domain_kinds(app, domain_fields: Mapping[str, str], domain_values: Mapping | None = None):
    """:func:`register_kind` for one domain's tables, which name their columns alike: a
    table's own ``fields`` and ``values`` come first, then the domain's, then the common ones."""

    def register(table: str, label: str, *, fields=None, values=None, **page) -> None:
        register_kind(
            app,
            table,
            label,
            fields={**domain_fields, **(fields or {})},
            values={**(domain_values or {}), **(values or {})},
            **page,
        )

    return register


def kinds() -> dict[str, RecordKind]:
    return current_app.extensions.get("audit_kinds", {})


def kind_of(table: str) -> RecordKind:
    """The registered kind of ``table``, or one labelled with the table's name."""
    return kinds().get(table) or RecordKind(table)


def kind_label(table: str) -> str:
    kind = kinds().get(table)
    return _(kind.label) if kind else table


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditRow:
    """One event as shown: the attributes the template reads of an event, in words."""

    id: int
    at: datetime
    actor_name: str
    action: str
    table_name: str
    record_id: int | None
    kind: str
    url: str | None
    changes: list[Change]  # an update: column, old value, new value
    values: list[Change]  # a create (new values), a delete (last values) or another event


def _actor(event) -> str:
    if event.actor_id is None and (event.actor_name or "") in SYSTEM_NAMES:
        return _("系统")
    return event.actor_name


def _link_ids(kind: RecordKind, ids: set[int]) -> dict[int, int]:
    """{record id: the id its page is found by} for the records that still exist."""
    if kind.model is None or not ids:
        return {}
    model = kind.model
    rows = db.session.execute(select(model.id, getattr(model, kind.link_column)).where(model.id.in_(ids)))
    return {record_id: link_id for record_id, link_id in rows if link_id is not None}


def describe(events, viewer) -> list[AuditRow]:
    """The page's rows for ``events``: one query per kind of record on the page to see
    which records still exist (for the links), and each kind's ``conceal``."""
    by_table: dict[str, list] = {}
    for event in events:
        by_table.setdefault(event.table_name, []).append(event)
    links: dict[str, dict[int, int]] = {}
    shown: dict[int, tuple[dict | None, dict | None]] = {}
    for table, table_events in by_table.items():
        kind = kind_of(table)
        if kind.endpoint:
            links[table] = _link_ids(kind, {e.record_id for e in table_events if e.record_id is not None})
        if kind.conceal is not None:
            shown.update(kind.conceal(table_events, viewer))
    rows = []
    for event in events:
        kind = kind_of(event.table_name)
        before, after = shown.get(event.id, (event.before, event.after))
        before, after = dict(before or {}), dict(after or {})
        changes, values = [], []
        if event.action == "update" and event.before is not None:
            for column in [*after, *(c for c in before if c not in after)]:
                changes.append(
                    Change(
                        kind.field_label(column),
                        kind.value_label(column, before.get(column)),
                        kind.value_label(column, after.get(column)),
                    )
                )
        else:
            # A create's new values, a delete's last ones; a merge has both (what was kept,
            # what was dropped).
            for column, value in [*after.items(), *((c, v) for c, v in before.items() if c not in after)]:
                values.append(Change(kind.field_label(column), "", kind.value_label(column, value)))
        link_id = links.get(event.table_name, {}).get(event.record_id)
        url = url_for(kind.endpoint, **{kind.id_arg: link_id}) if link_id is not None else None
        rows.append(
            AuditRow(
                id=event.id,
                at=event.at,
                actor_name=_actor(event),
                action=event.action,
                table_name=event.table_name,
                record_id=event.record_id,
                kind=kind_label(event.table_name),
                url=url,
                changes=changes,
                values=values,
            )
        )
    return rows
