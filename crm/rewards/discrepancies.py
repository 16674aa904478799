"""What changed since a list was frozen (docs/design.md "Rewards").

A finalized (or publicized) list keeps its snapshot; when a project's milestone date is
corrected afterwards (a signing date typed wrong, a project moved back), the list does not
change but shows the difference, so the bureau can decide what to do about it. A project
transferred to another county since is no difference: its line stays as the county decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from crm.core.db import db
from crm.projects.models import Project
from crm.rewards.milestone import milestone_dates
from crm.rewards.models import RewardLine, RewardList

__all__ = ["Discrepancy", "discrepancies"]


@dataclass(frozen=True)
class Discrepancy:
    line: RewardLine
    recorded_on: date  # the milestone date the list recorded
    current_on: date | None  # the project's milestone date now; None: it no longer reached it
    in_period: bool  # whether the current date still lies in the list's period

    @property
    def project_ref(self):
        return self.line.project_ref


def discrepancies(reward_list: RewardList) -> list[Discrepancy]:
    """Lines of a frozen list whose project's milestone date is no longer the recorded one
    (a draft is recomputed instead, so it has none)."""
    if reward_list.status == "draft":
        return []
    lines = [line for line in reward_list.lines if line.project_id is not None]
    if not lines:
        return []
    ids = {line.project_id for line in lines}
    now = milestone_dates(reward_list.county_id, reward_list.milestone, ids)
    # A project transferred to another county since keeps the line as A decided it: its
    # milestone did not change, it is only read in its new county now.
    still_here = set(
        db.session.execute(
            select(Project.id).where(Project.id.in_(sorted(ids)), Project.county_id == reward_list.county_id)
        ).scalars()
    )
    found = []
    for line in lines:
        if line.project_id not in still_here:
            continue
        reached = now.get(line.project_id)
        current_on = None if reached is None or reached.moved_back else reached.reached_on
        if current_on != line.milestone_reached_on:
            in_period = current_on is not None and (
                reward_list.period_start <= current_on <= reward_list.period_end
            )
            found.append(Discrepancy(line, line.milestone_reached_on, current_on, in_period))
    return found
