"""Evidence files of projects and of their stage moves (crm/files), and the rule every
module whose records belong to a project uses for their files.

A confidential project's files — its own and those of its stage moves, funds, commitments
and referrals — are listed, downloaded and added only by who may read its real name (its
owner and the county's managers): a file name such as "某某公司投资协议.pdf" would tell what
the code name hides.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from crm.core.db import MAX_INTEGER, db
from crm.core.i18n import N_
from crm.files.registry import OwnerKind, register_owner
from crm.projects.confidential import may_see_real_name, name_for
from crm.projects.models import STAGE_LABELS, Project, StageChange
from crm.projects.sections import ProjectSection

__all__ = ["init_app", "project_file_owner", "register_project_file_owner", "scoped_loader"]


def scoped_loader(model) -> Callable[[int], object | None]:
    """``load(id)``: the record through the tenant scope, None for another county's or none."""

    def load(record_id: int):
        if not 0 < int(record_id) <= MAX_INTEGER:
            return None
        return db.session.execute(select(model).where(model.id == int(record_id))).scalar_one_or_none()

    return load


def _own_project(record) -> Project:
    """``record.project``: where most records that take files find their project."""
    return record.project


def project_file_owner(
    key: str,
    label: str,
    model,
    *,
    url: Callable[[object], str],
    detail: Callable[[object], str] | None = None,
    project_of: Callable[[object], Project] = _own_project,
    suggested_kinds: tuple[str, ...] = (),
) -> OwnerKind:
    """An ``OwnerKind`` for records of a project, under the project's confidentiality rule.
    A record is titled by its project's name as the reader may see it, then its ``detail``."""

    def may_read(record, user) -> bool:
        return may_see_real_name(project_of(record), user)

    def title(record, user) -> str:
        name = name_for(project_of(record), user)
        return f"{name} · {detail(record)}" if detail else name

    return OwnerKind(
        key=key,
        label=label,
        load=scoped_loader(model),
        may_read=may_read,
        may_write=may_read,
        title=title,
        url=url,
        suggested_kinds=suggested_kinds,
    )


def register_project_file_owner(app, **owner) -> None:
    """Let a model's records take evidence files under their project's rule (a domain's
    ``init_app`` calls it); ``owner``: the arguments of :func:`project_file_owner`, by name."""
    register_owner(app, project_file_owner(**owner))


def _stage_move(change: StageChange) -> str:
    moved = "→".join(_(STAGE_LABELS[s]) for s in (change.from_stage, change.to_stage) if s in STAGE_LABELS)
    return f"{_('阶段变更')} {moved} {change.reached_on}"


def files_section(project: Project, can_write: bool, back: str) -> ProjectSection | None:
    """The project page's files: the project's own (contracts, licences) and, per stage move,
    a link to its evidence. None (no section, no link) for who may not read them."""
    from crm.files.access import may_read_files
    from crm.files.queries import counts_for
    from crm.files.views import render_panel

    if not may_read_files("project", project):
        return None
    changes = [
        change
        for change in db.session.execute(
            select(StageChange)
            .where(StageChange.project_id == project.id)
            .order_by(StageChange.changed_at.desc(), StageChange.id.desc())
        ).scalars()
        if may_read_files("stage_change", change)
    ]
    html = render_template(
        "projects/_attachments_section.html",
        panel=render_panel("project", project, back),
        changes=changes,
        counts=counts_for("stage_change", [c.id for c in changes]),
        stages=STAGE_LABELS,
    )
    return ProjectSection(Markup(html))


def init_app(app) -> None:
    from crm.projects.sections import register_project_section

    register_project_file_owner(
        app,
        key="project",
        label=N_("项目"),
        model=Project,
        project_of=lambda project: project,
        url=lambda project: url_for("projects.detail", project_id=project.id),
        suggested_kinds=("contract", "business_license"),
    )
    register_project_file_owner(
        app,
        key="stage_change",
        label=N_("阶段变更"),
        model=StageChange,
        detail=_stage_move,
        url=lambda change: url_for("projects.detail", project_id=change.project_id),
        suggested_kinds=("contract", "business_license"),
    )
    register_project_section(app, files_section, order=90)
