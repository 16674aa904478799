"""Confidential projects: who may read a project's real name (docs/design.md, "Cross-cutting rules").

A project with a code name (``Project.code_name`` not empty) is confidential. Its real name
is shown only to its owner and to the managers of its county. Everyone else (other staff,
leaders, coordinators, other counties, and readers without a login such as a calendar
feed) sees the code name: in lists, pickers, detail pages, forms, exports, notices,
search, API answers, chain pages, dashboards and CLI output.

This module is the only place that decides it. The rule comes in three forms that agree:

* Python, for a loaded project or anything carrying its ``name``, ``code_name``,
  ``owner_id`` and ``county_id`` (a board card, the :class:`NameRef` of a reward line):
  :func:`may_see_real_name` and :func:`name_for`.
* SQL, for lists and exports that select columns: :func:`name_column` is a ``CASE`` that
  yields the real name only where the viewer may read it, so for everyone else the real
  name never leaves the database; :func:`real_name_visible` is its condition and
  :func:`name_search` matches a search text against the names the viewer may read (a
  search must not find a project by a name it would not show); :func:`name_matches` is
  what every search box asks: a part of such a name, or its pinyin initials ("bjty").
* Jinja, for the logged-in user: the filter ``{{ project|project_name }}`` and the test
  ``{% if project is real_name_visible %}`` (registered by :func:`init_app`).

``viewer`` None means nobody in particular: every confidential project shows its code name.
"""

from __future__ import annotations

from typing import NamedTuple

from flask import abort, has_request_context
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, case, or_, select

from crm.core.db import db
from crm.projects.models import Project
from crm.util.pinyin import initials_query

__all__ = [
    "NameRef",
    "conceal_audit_names",
    "init_app",
    "may_see_real_name",
    "name_column",
    "name_for",
    "name_matches",
    "name_search",
    "real_name_visible",
    "require_real_name",
]


class NameRef(NamedTuple):
    """What the rule needs of a project, for records that copy its name (a reward line)."""

    name: str
    code_name: str | None
    owner_id: int | None
    county_id: int | None


def _is_manager_of(viewer, county_id) -> bool:
    return viewer.has_role("manager") and county_id is not None and viewer.county_id == county_id


def may_see_real_name(project, viewer) -> bool:
    """Whether ``viewer`` (a user, or None) may read ``project``'s real name."""
    if not project.code_name:
        return True
    if viewer is None or not getattr(viewer, "is_authenticated", True):
        return False
    return project.owner_id == viewer.id or _is_manager_of(viewer, project.county_id)


def name_for(project, viewer) -> str:
    """The name of ``project`` that ``viewer`` may read: the real name or the code name."""
    return project.name if may_see_real_name(project, viewer) else project.code_name


def real_name_visible(viewer, project=None):
    """SQL: "``viewer`` may read this row's real name", over ``project`` (the ``Project``
    class by default, or an alias of it)."""
    project = _project_entity(project)
    conditions = [project.code_name.is_(None), project.code_name == ""]
    if viewer is not None and getattr(viewer, "is_authenticated", True):
        conditions.append(project.owner_id == viewer.id)
        if viewer.has_role("manager") and viewer.county_id is not None:
            conditions.append(project.county_id == viewer.county_id)
    return or_(*conditions)


def name_column(viewer, project=None):
    """SQL: the name ``viewer`` may read, as one column (label it where it is selected)."""
    project = _project_entity(project)
    return case((real_name_visible(viewer, project), project.name), else_=project.code_name)


def name_search(pattern: str, viewer, project=None):
    """SQL: the project's code name, or its real name where ``viewer`` may read it, is
    ``ILIKE pattern``. Matching the real name of a project that shows its code name would
    tell the searcher what the project is."""
    project = _project_entity(project)
    return or_(
        and_(real_name_visible(viewer, project), project.name.ilike(pattern)),
        project.code_name.ilike(pattern),
    )


def name_matches(text: str, viewer, project=None):
    """SQL: a name ``viewer`` may read contains ``text`` (``%`` and ``_`` are plain
    characters), or, when ``text`` is letters and digits only, that name's pinyin initials
    contain it ("bjty" finds 宝鸡钛业). A confidential project is found by its code name's
    initials, never by its real name's, unless ``viewer`` may read the real name."""
    project = _project_entity(project)
    cleaned = text.replace("%", "").replace("_", "")
    conditions = [name_search(f"%{cleaned}%", viewer, project)]
    letters = initials_query(text)
    if letters:
        conditions += [
            and_(
                real_name_visible(viewer, project), project.name_initials.contains(letters, autoescape=True)
            ),
            project.code_name_initials.contains(letters, autoescape=True),
        ]
    return or_(*conditions)


def require_real_name(project, viewer=None) -> None:
    """403 unless ``viewer`` (the logged-in user by default) may read the real name: only
    the owner and the county's managers edit a confidential project's record."""
    viewer = current_user if viewer is None else viewer
    if not may_see_real_name(project, viewer):
        abort(403, description=_("保密项目只有负责人和局长可以修改"))


def conceal_audit_names(events, viewer, name_key: str = "name", project_key: str | None = None) -> dict:
    """Audit rows (``crm.audit.labels``) that carry a project's name: ``{event id: (before,
    after)}`` with the real name (``name_key``) replaced by the code name where ``viewer``
    may not read it. The project is the row's record, or the one named by ``project_key``
    (a reward line's ``project_id``).

    The project as it is now decides, as everywhere; a project gone from the database is
    judged by the code name its rows carry, and one whose code name is nowhere to be read
    counts as confidential."""

    def project_id(event):
        if project_key is None:
            return event.record_id
        return next((v[project_key] for v in (event.after, event.before) if v and v.get(project_key)), None)

    project = _project_entity(None)
    ids = {pid for pid in map(project_id, events) if pid is not None}
    current = {}
    if ids:
        columns = (project.id, project.code_name, project.owner_id, project.county_id)
        current = {row.id: row for row in db.session.execute(select(*columns).where(project.id.in_(ids)))}
    own_rows = project_key is None  # the project's own rows carry its code name and owner
    shown = {}
    for event in events:
        values = [v for v in (event.before, event.after) if v]
        if not any(name_key in v for v in values):
            continue
        now = current.get(project_id(event))
        code_names = [v["code_name"] for v in values if own_rows and "code_name" in v]
        known = now is not None or bool(code_names)
        if now is not None:
            code_names.append(now.code_name)
        code_name = next((c for c in code_names if c), None)
        if known and not code_name:
            continue
        owners = [v["owner_id"] for v in values if own_rows and "owner_id" in v]
        owner_id = now.owner_id if now is not None else (owners[-1] if owners else None)
        if may_see_real_name(NameRef("", code_name or "?", owner_id, event.county_id), viewer):
            continue
        hidden = code_name or _("保密项目")
        shown[event.id] = tuple(
            {**v, name_key: hidden} if v and name_key in v else v for v in (event.before, event.after)
        )
    return shown


def _project_entity(project):
    return Project if project is None else project


def _viewer():
    """The logged-in user, or None (no request, or nobody logged in)."""
    if not has_request_context() or not current_user.is_authenticated:
        return None
    return current_user


def init_app(app) -> None:
    """The Jinja filter ``project_name`` and test ``real_name_visible`` for the logged-in user."""
    app.add_template_filter(lambda project: name_for(project, _viewer()), "project_name")
    app.add_template_test(lambda project: may_see_real_name(project, _viewer()), "real_name_visible")
