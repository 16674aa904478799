"""Who earns a reward under a rule in a period (docs/design.md "Rewards").

Every project of the rule's county that reached the milestone in the period (at that stage
or any later one, dated by its current evidence date: crm/rewards/milestone.py) gets a line:
eligible with basis, rates, arithmetic and reward, or ineligible with every reason that
applies. Lines are ordered by project id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.funds.models import FundsRecord
from crm.funds.queries import funds_that_count
from crm.projects.confidential import NameRef
from crm.projects.models import Project
from crm.rewards.calc import compute_reward
from crm.rewards.conditions import Check, excluded_as, outside_city_funds, project_checks, split_reward
from crm.rewards.milestone import milestone_dates
from crm.rewards.models import (
    INELIGIBLE_REASONS,
    LinesByEligibility,
    Referral,
    RewardLine,
    RewardList,
    RewardRule,
)
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
    shares: list | None = None  # each referrer's part (conditions.split_reward)
    # What the confidential rule reads (crm/projects/confidential.py); not copied to a list.
    project_code_name: str | None = None
    project_owner_id: int | None = None
    county_id: int | None = None

    @property
    def project_ref(self) -> NameRef:
        return NameRef(self.project_name, self.project_code_name, self.project_owner_id, self.county_id)


@dataclass
class Eligibility(LinesByEligibility):
    rule: RewardRule
    period_text: str
    period_start: date
    period_end: date
    lines: list[EligibilityLine] = field(default_factory=list)

    @property
    def total_reward_wan(self) -> Decimal:
        return sum((line.reward_wan for line in self.eligible_lines), ZERO)


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


def rewarded_in_another_county(project_ids, county_id: int, milestone: str) -> set[int]:
    """Projects another county's finalized list rewarded at ``milestone``: a project that moved
    after the county holding it rewarded its referrer is not rewarded again for the same step
    (docs/design.md, "Rewards after a transfer"). Read across counties: the lines stay in the
    old county's lists, which the new county may not read."""
    ids = list(project_ids)
    if not ids:
        return set()
    with system_scope():
        statement = (
            select(RewardLine.project_id)
            .join(RewardList, RewardLine.list_id == RewardList.id)
            .where(
                RewardList.county_id != county_id,
                RewardList.milestone == milestone,
                RewardList.status == "finalized",
                RewardLine.eligible.is_(True),
                RewardLine.project_id.in_(ids),
            )
        )
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


def _personal_exclusions(rule: RewardRule, referral: Referral) -> list[str]:
    """The exclusions that apply when every referrer is excluded (one excluded among several
    only loses their own part: conditions.split_reward)."""
    reasons = [excluded_as(rule, person) for person in referral.referrers]
    if any(reason is None for reason in reasons):
        return []
    return list(dict.fromkeys(reasons))


def _reasons(
    rule: RewardRule,
    project: Project,
    referral: Referral | None,
    rewarded: set[int],
    elsewhere: set[int],
    basis: Decimal,
    moved_back: bool,
    checks: list[Check],
) -> list[str]:
    """Every reason the project gets no reward, in the order of INELIGIBLE_REASONS."""
    codes = ["moved_back"] if moved_back else []
    if referral is None:
        codes.append("no_referral")
    else:
        if project.signed_on is not None and referral.registered_on > project.signed_on:
            codes.append("late_registration")
        if not referral.investor_confirmed:
            codes.append("not_confirmed")
        codes.extend(_personal_exclusions(rule, referral))
    codes.extend(check.code for check in checks if not check.passed)
    if project.id in rewarded:
        codes.append("already_rewarded")
    if project.id in elsewhere:
        codes.append("rewarded_before_transfer")
    if basis <= 0:
        codes.append("zero_basis")
    order = list(INELIGIBLE_REASONS)
    return sorted(codes, key=order.index)


def _reason_text(code: str, project: Project, referral: Referral | None, checks: list[Check]) -> str:
    if code == "late_registration":
        return _(
            "引荐备案日期 %(registered)s 晚于签约日期 %(signed)s",
            registered=referral.registered_on.isoformat(),
            signed=project.signed_on.isoformat(),
        )
    failed = next((check for check in checks if check.code == code and not check.passed), None)
    if failed is not None:
        return failed.text  # with the figures
    return _(INELIGIBLE_REASONS[code])


def _explain(arithmetic: str, split: str | None, checks: list[Check]) -> str:
    """The line's 计算过程: the arithmetic, then the split between referrers, then the
    conditions met (a rule with no option and one referrer: the arithmetic alone)."""
    parts = [arithmetic]
    if split:
        parts.append(split)
    if checks:
        parts.append(_("条件：%(checks)s", checks="；".join(check.text for check in checks)))
    return "；".join(parts)


def compute_eligibility(rule: RewardRule, period, exclude_list_id: int | None = None) -> Eligibility:
    """Every project that first reached the rule's milestone in ``period``, eligible or not.

    ``exclude_list_id``: a list being recomputed does not count as having rewarded its own projects.
    """
    period_text, start, end = resolve_period(period)
    result = Eligibility(rule=rule, period_text=period_text, period_start=start, period_end=end)
    reached = {
        pid: when
        for pid, when in milestone_dates(rule.county_id, rule.milestone).items()
        if start <= when.reached_on <= end
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
            select(Referral)
            .options(selectinload(Referral.co_referrers))
            .where(Referral.project_id.in_(reached), Referral.status == "active")
        ).scalars()
    }
    rewarded = rewarded_project_ids(rule.lineage_id or rule.id, exclude_list_id)
    elsewhere = rewarded_in_another_county([p.id for p in projects], rule.county_id, rule.milestone)
    bases = _basis_amounts(rule, projects, end)
    outside = outside_city_funds(reached, end) if rule.min_outside_city_percent is not None else {}
    tiers = tiers_from_json(rule.tiers)
    for project in projects:
        referral = referrals.get(project.id)
        basis = quantize_wan(bases.get(project.id) or 0)
        reached_on = reached[project.id].reached_on
        line = EligibilityLine(
            project_id=project.id,
            project_name=project.name,
            milestone_reached_on=reached_on,
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
        checks = project_checks(rule, project, outside.get(project.id), reached_on, referral)
        codes = _reasons(
            rule, project, referral, rewarded, elsewhere, basis, reached[project.id].moved_back, checks
        )
        if codes:
            line.reason_code = codes[0]
            line.reason = "；".join(_reason_text(code, project, referral, checks) for code in codes)[:500]
        else:
            reward = compute_reward(basis, tiers, rule.mode, rule.cap_wan)
            paid, line.shares, split = split_reward(rule, referral, reward.amount)
            line.eligible = True
            line.rates = " + ".join(format_rate(rate) for rate in reward.rates_used)
            line.arithmetic = _explain(reward.arithmetic, split, checks)
            line.reward_wan = paid
            line.capped = reward.capped
        result.lines.append(line)
    return result
