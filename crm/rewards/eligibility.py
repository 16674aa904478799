"""Who earns a reward under a rule in a period (docs/design.md "Rewards").

Every project of the rule's county whose first arrival at the milestone falls in the
period gets a line: eligible with basis, rates, arithmetic and reward, or ineligible
with every reason that applies. Lines are ordered by project id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from crm.core.db import db
from crm.funds.models import FundsRecord
from crm.funds.queries import funds_that_count
from crm.projects.confidential import NameRef
from crm.projects.models import Project, StageChange
from crm.rewards.calc import compute_reward
from crm.rewards.models import INELIGIBLE_REASONS, Referral, RewardLine, RewardList, RewardRule
from crm.rewards.periods import resolve_period
from crm.rewards.util import format_rate, tiers_from_json
from crm.util.money import quantize_wan

ZERO = Decimal("0.00")


@dataclass
class EligibilityLine:
    """The same attribute names as ``RewardLine`` so pages and exports read either."""

    project_id: int
    project_name: str
    milestone_reached_on: date
    signed_on: date | None
    referral_id: int | None = None
    referrer_name: str | None = None
    referrer_kind: str | None = None
    is_public_official: bool = False
    referral_registered_on: date | None = None
    eligible: bool = False
    reason_code: str | None = None
    reason: str | None = None
    basis_wan: Decimal | None = None
    rates: str | None = None
    arithmetic: str | None = None
    reward_wan: Decimal = ZERO
    capped: bool = False
    # What the confidential rule reads (crm/projects/confidential.py); not copied to a list.
    project_code_name: str | None = None
    project_owner_id: int | None = None
    county_id: int | None = None

    @property
    def project_ref(self) -> NameRef:
        return NameRef(self.project_name, self.project_code_name, self.project_owner_id, self.county_id)


@dataclass
class Eligibility:
    rule: RewardRule
    period_text: str
    period_start: date
    period_end: date
    lines: list[EligibilityLine] = field(default_factory=list)

    @property
    def eligible_lines(self) -> list[EligibilityLine]:
        return [line for line in self.lines if line.eligible]

    @property
    def ineligible_lines(self) -> list[EligibilityLine]:
        return [line for line in self.lines if not line.eligible]

    @property
    def total_reward_wan(self) -> Decimal:
        return sum((line.reward_wan for line in self.eligible_lines), ZERO)


def first_reached(county_id: int, milestone: str) -> dict[int, date]:
    """Project id → the first day it reached ``milestone``."""
    rows = db.session.execute(
        select(StageChange.project_id, func.min(StageChange.reached_on))
        .where(StageChange.county_id == county_id, StageChange.to_stage == milestone)
        .group_by(StageChange.project_id)
    ).all()
    return {project_id: reached for project_id, reached in rows}


def rewarded_project_ids(lineage_id: int, exclude_list_id: int | None = None) -> set[int]:
    """Projects already rewarded in a finalized list of any version of this rule."""
    statement = (
        select(RewardLine.project_id)
        .join(RewardList, RewardLine.list_id == RewardList.id)
        .where(
            RewardList.rule_lineage_id == lineage_id,
            RewardList.status == "finalized",
            RewardLine.eligible.is_(True),
            RewardLine.project_id.is_not(None),
        )
    )
    if exclude_list_id is not None:
        statement = statement.where(RewardList.id != exclude_list_id)
    return set(db.session.execute(statement).scalars())


def _basis_amounts(rule: RewardRule, projects: list[Project], period_end: date) -> dict[int, Decimal | None]:
    if rule.basis == "funds_in_place":
        ids = [p.id for p in projects]
        sums = (
            dict(
                db.session.execute(
                    # Only the funds that count: confirmed (认定), not excluded.
                    funds_that_count(FundsRecord.project_id).where(
                        FundsRecord.project_id.in_(ids), FundsRecord.month <= period_end
                    )
                ).all()
            )
            if ids
            else {}
        )
        return {p.id: sums.get(p.id) for p in projects}
    column = (
        "fixed_asset_investment_wan" if rule.basis == "fixed_asset_investment" else "planned_investment_wan"
    )
    return {p.id: getattr(p, column) for p in projects}


def _reasons(
    rule: RewardRule, project: Project, referral: Referral | None, rewarded: set[int], basis: Decimal
) -> list[str]:
    codes = []
    if referral is None:
        codes.append("no_referral")
    else:
        if project.signed_on is not None and referral.registered_on > project.signed_on:
            codes.append("late_registration")
        if not referral.investor_confirmed:
            codes.append("not_confirmed")
        if rule.exclude_public_officials and referral.is_public_official:
            codes.append("public_official")
    if project.id in rewarded:
        codes.append("already_rewarded")
    if basis <= 0:
        codes.append("zero_basis")
    return codes


def _reason_text(code: str, project: Project, referral: Referral | None) -> str:
    if code == "late_registration":
        return _(
            "引荐备案日期 %(registered)s 晚于签约日期 %(signed)s",
            registered=referral.registered_on.isoformat(),
            signed=project.signed_on.isoformat(),
        )
    return _(INELIGIBLE_REASONS[code])


def compute_eligibility(rule: RewardRule, period, exclude_list_id: int | None = None) -> Eligibility:
    """Every project that first reached the rule's milestone in ``period``, eligible or not.

    ``exclude_list_id``: a list being recomputed does not count as having rewarded its own projects.
    """
    period_text, start, end = resolve_period(period)
    result = Eligibility(rule=rule, period_text=period_text, period_start=start, period_end=end)
    reached = {
        pid: day for pid, day in first_reached(rule.county_id, rule.milestone).items() if start <= day <= end
    }
    if not reached:
        return result
    projects = (
        db.session.execute(
            select(Project)
            .where(Project.id.in_(reached), Project.county_id == rule.county_id)
            .order_by(Project.id)
        )
        .scalars()
        .all()
    )
    referrals = {
        r.project_id: r
        for r in db.session.execute(
            select(Referral).where(Referral.project_id.in_(reached), Referral.status == "active")
        ).scalars()
    }
    rewarded = rewarded_project_ids(rule.lineage_id or rule.id, exclude_list_id)
    bases = _basis_amounts(rule, projects, end)
    tiers = tiers_from_json(rule.tiers)
    for project in projects:
        referral = referrals.get(project.id)
        basis = quantize_wan(bases.get(project.id) or 0)
        line = EligibilityLine(
            project_id=project.id,
            project_name=project.name,
            milestone_reached_on=reached[project.id],
            signed_on=project.signed_on,
            basis_wan=basis,
            project_code_name=project.code_name,
            project_owner_id=project.owner_id,
            county_id=project.county_id,
        )
        if referral is not None:
            line.referral_id = referral.id
            line.referrer_name = referral.referrer_name
            line.referrer_kind = referral.referrer_kind
            line.is_public_official = referral.is_public_official
            line.referral_registered_on = referral.registered_on
        codes = _reasons(rule, project, referral, rewarded, basis)
        if codes:
            line.reason_code = codes[0]
            line.reason = "；".join(_reason_text(code, project, referral) for code in codes)
        else:
            reward = compute_reward(basis, tiers, rule.mode, rule.cap_wan)
            line.eligible = True
            line.rates = " + ".join(format_rate(rate) for rate in reward.rates_used)
            line.arithmetic = reward.arithmetic
            line.reward_wan = reward.amount
            line.capped = reward.capped
        result.lines.append(line)
    return result
