"""When a project reached a reward rule's milestone (docs/design.md "Rewards").

The same rule as the dashboard's "reached this year" (crm/dashboard/figures.py): a project
reached the milestone when it first stood at that stage **or any later one** of the main path
(a project that skipped the stage with full evidence counts: it passed it). The date is the
project's current evidence date for the stage (``signed_on`` for 签约, ``registered_on`` for
注册落地, …), so a corrected date moves the project to its true period; a stage without
evidence (洽谈 and before) or a project without the date falls back to the first day the
stage history shows it at the milestone or later. A project a manager moved back before the
milestone has not reached it any more; one put on hold or lost afterwards still has (but
not one put on hold after being moved back: ``crm.projects.pipeline.path_stage``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from crm.core.db import db
from crm.projects.models import STAGES, Project, StageChange
from crm.projects.pipeline import REACHED_ON_FIELD, path_stage

__all__ = ["EVIDENCE_DATE_FIELDS", "MilestoneDate", "first_reached", "milestone_dates"]

EVIDENCE_DATE_FIELDS = REACHED_ON_FIELD  # the stage → its evidence date field, one rule


@dataclass(frozen=True)
class MilestoneDate:
    reached_on: date
    # Reached once, but a manager has since moved the project back before the milestone.
    moved_back: bool = False


def _later_stages(milestone: str) -> tuple[str, ...]:
    return STAGES[STAGES.index(milestone) :] if milestone in STAGES else (milestone,)


def milestone_dates(county_id: int, milestone: str, project_ids=None) -> dict[int, MilestoneDate]:
    """Project id → when it reached ``milestone``, for the county's projects that ever did
    (or only those of ``project_ids``)."""
    later = _later_stages(milestone)
    history = (
        select(StageChange.project_id, func.min(StageChange.reached_on).label("first_on"))
        .where(StageChange.county_id == county_id, StageChange.to_stage.in_(later))
        .group_by(StageChange.project_id)
        .subquery()
    )
    field = EVIDENCE_DATE_FIELDS.get(milestone)
    evidence = getattr(Project, field) if field else None
    statement = (
        select(Project.id, path_stage(), history.c.first_on, *([evidence] if evidence is not None else []))
        .outerjoin(history, history.c.project_id == Project.id)
        .where(
            Project.county_id == county_id,
            or_(Project.stage.in_(later), history.c.first_on.is_not(None)),
        )
    )
    if project_ids is not None:
        statement = statement.where(Project.id.in_(sorted(project_ids)))
    result = {}
    for project_id, standing, first_on, *evidence_on in db.session.execute(statement).all():
        reached_on = (evidence_on[0] if evidence_on else None) or first_on
        if reached_on is None:
            continue  # at the stage with neither a date nor history: nothing to date it by
        result[project_id] = MilestoneDate(reached_on, moved_back=standing not in later)
    return result


def first_reached(county_id: int, milestone: str) -> dict[int, date]:
    """Project id → the day it reached ``milestone``, for projects that still count as having
    reached it (not moved back before it)."""
    return {
        pid: reached.reached_on
        for pid, reached in milestone_dates(county_id, milestone).items()
        if not reached.moved_back
    }
