"""Referrals, reward rules and reward lists: every write goes through here (views, API, CLI, demo)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from crm.core import clock
from crm.core.db import changed, db, utcnow
from crm.core.errors import ServiceError, refuse_stale
from crm.core.serialize import columns_dict
from crm.core.tenancy import current_scope
from crm.projects.models import STAGES, Project
from crm.rewards.calc import MODES, validate_tiers
from crm.rewards.conditions import RULE_OPTION_FIELDS, clean_rule_options
from crm.rewards.eligibility import (
    Eligibility,
    compute_eligibility,
    rewarded_in_another_county,
    rewarded_project_ids,
)
from crm.rewards.models import (
    BASES,
    REFERRER_KINDS,
    CoReferrer,
    FinalizedListError,
    Referral,
    RewardLine,
    RewardList,
    RewardRule,
)
from crm.rewards.referrers import clean_shares, co_referrers_to_text
from crm.rewards.util import tiers_to_json, tiers_to_text
from crm.util.money import parse_wan

REFERRAL_FIELDS = (
    "referrer_name",
    "referrer_kind",
    "is_public_official",
    "is_public_institution_staff",
    "is_investor_related",
    "share_percent",
    "share_agreement",
    "co_referrers",
    "contact",
    "registered_on",
    "applied_on",
    "investor_confirmed",
    "investor_confirmed_on",
    "confirmation_evidence",
    "note",
)
RULE_FIELDS = (
    "name",
    "year",
    "basis",
    "milestone",
    "mode",
    "tiers",
    "cap_wan",
    "exclude_public_officials",
    "note",
    *RULE_OPTION_FIELDS,
)


# What a reward line holds, as computed and as kept in a list's snapshot (and the API).
LINE_FIELDS = (
    "project_id",
    "project_name",
    "referral_id",
    "referrer_name",
    "referrer_kind",
    "is_public_official",
    "signed_on",
    "referral_registered_on",
    "milestone_reached_on",
    "eligible",
    "reason_code",
    "reason",
    "basis_wan",
    "rates",
    "arithmetic",
    "reward_wan",
    "capped",
    "shares",
)


def _actor_id() -> int | None:
    scope = current_scope()
    return getattr(scope, "actor_id", None)


def _lock(model, record_id: int) -> None:
    """Row lock (PostgreSQL) serialising checks that read before they write; SQLite locks on write."""
    db.session.execute(select(model.id).where(model.id == record_id).with_for_update())


# ---- referrals -------------------------------------------------------------------------------


def _clean_referral(values: dict) -> dict:
    errors: dict[str, list[str]] = {}
    clean = {key: values.get(key) for key in REFERRAL_FIELDS}
    clean["referrer_name"] = (clean["referrer_name"] or "").strip()
    if not clean["referrer_name"]:
        errors["referrer_name"] = [_("请填写引荐人（单位）名称")]
    if clean["referrer_kind"] not in REFERRER_KINDS:
        errors["referrer_kind"] = [_("引荐人类型应为个人、单位或中介机构")]
    if not isinstance(clean["registered_on"], date):
        errors["registered_on"] = [_("请填写备案登记日期")]
    for key in ("is_public_official", "is_public_institution_staff", "is_investor_related"):
        clean[key] = bool(clean[key])
    clean.update(clean_shares(values, errors))
    if clean["applied_on"] is not None and not isinstance(clean["applied_on"], date):
        errors["applied_on"] = [_("请填写有效的奖励申请日期")]
    elif clean["applied_on"] is not None and clean["applied_on"] > clock.today():
        errors["applied_on"] = [_("奖励申请日期不能晚于今天")]
    clean["investor_confirmed"] = bool(clean["investor_confirmed"])
    if clean["investor_confirmed"] and not isinstance(clean["investor_confirmed_on"], date):
        errors["investor_confirmed_on"] = [_("投资方已确认时须填写确认日期")]
    if not clean["investor_confirmed"]:
        clean["investor_confirmed_on"] = None
    for key in ("contact", "confirmation_evidence", "note"):
        clean[key] = (clean[key] or "").strip() or None
    if errors:
        raise ServiceError(_("引荐备案有误，请检查标出的字段"), errors)
    return clean


def active_referral(project_id: int) -> Referral | None:
    return (
        db.session.execute(
            select(Referral).where(Referral.project_id == project_id, Referral.status == "active")
        )
        .scalars()
        .first()
    )


def active_referrals(project_ids) -> dict[int, Referral]:
    """Project id → its active referral, for many projects in one query."""
    if not project_ids:
        return {}
    return {
        r.project_id: r
        for r in db.session.execute(
            select(Referral).where(Referral.project_id.in_(sorted(project_ids)), Referral.status == "active")
        ).scalars()
    }


def _begin_for_savepoint() -> None:
    """pysqlite opens a transaction only before its first write, and a SAVEPOINT outside a
    transaction is a transaction of its own: releasing it would commit the claim at once.
    So open the outer transaction first (IMMEDIATE: the write lock, SQLite's row lock)."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        if not raw.in_transaction:
            raw.execute("BEGIN IMMEDIATE")


def register_referral(project: Project, **values) -> tuple[Referral, bool]:
    """Record a referral. Returns ``(referral, refused)``: when the project already has an active
    referral the new claim is refused but kept as ``disputed`` for the manager to resolve."""
    clean = _clean_referral(values)
    co_referrers = clean.pop("co_referrers")
    _begin_for_savepoint()
    _lock(Project, project.id)  # two first claims at once: the second sees the first
    existing = active_referral(project.id)
    referral = Referral(
        project_id=project.id,
        project=project,
        county_id=project.county_id,
        status="disputed" if existing else "active",
        created_by_id=_actor_id(),
        **clean,
    )
    _set_co_referrers(referral, co_referrers)
    if existing is not None:
        db.session.add(referral)
        db.session.flush()
        return referral, True
    try:
        # A SAVEPOINT, so losing a race to the unique index undoes only this insert.
        with db.session.begin_nested():
            db.session.add(referral)
    except IntegrityError:
        if active_referral(project.id) is None:
            raise  # some other constraint: not a second claim
        referral = Referral(
            project_id=project.id,
            project=project,
            county_id=project.county_id,
            status="disputed",
            created_by_id=_actor_id(),
            **clean,
        )
        _set_co_referrers(referral, co_referrers)
        db.session.add(referral)
        db.session.flush()
        return referral, True
    return referral, False


def _set_co_referrers(referral: Referral, people: list[dict]) -> None:
    referral.co_referrers = [
        CoReferrer(county_id=referral.county_id, position=position, **person)
        for position, person in enumerate(people, start=1)
    ]


def referral_values(referral: Referral) -> dict:
    """What the referral holds, by the names of its form's fields (the edit form shows them
    when a save is refused as stale, and fills itself from them)."""
    return {
        **columns_dict(referral),
        "co_referrers": co_referrers_to_text(referral.co_referrers),
        "share_percent": f"{referral.share_percent.normalize():f}",
    }


def update_referral(referral: Referral, version=None, **values) -> Referral:
    if referral.status not in ("active", "disputed"):
        raise ServiceError(_("已驳回或已被替换的引荐备案不能修改"))
    refuse_stale(referral, version, _("该引荐备案已被他人修改"), referral_values(referral))
    clean = _clean_referral(values)
    _set_co_referrers(referral, clean.pop("co_referrers"))
    return changed(referral, clean)


def _in_a_finalized_list(statement) -> bool:
    """Whether ``statement`` (over reward lists, or lines joined to their list) finds a
    finalized list."""
    return db.session.execute(statement.where(RewardList.status == "finalized").limit(1)).first() is not None


def referral_in_finalized_list(referral: Referral) -> bool:
    return _in_a_finalized_list(
        select(RewardLine.id)
        .join(RewardList, RewardLine.list_id == RewardList.id)
        .where(RewardLine.referral_id == referral.id)
    )


def delete_referral(referral: Referral) -> None:
    if referral_in_finalized_list(referral):
        raise ServiceError(_("该引荐备案已列入定稿的奖励名单，不能删除"))
    db.session.delete(referral)
    db.session.flush()


def resolve_dispute(claim: Referral, action: str, note: str | None = None) -> Referral:
    """``keep``: the existing referral stays and the claim is rejected; ``replace``: the claim
    becomes the active referral and the existing one is superseded."""
    if claim.status != "disputed":
        raise ServiceError(_("该登记不是待处理的争议"))
    if action not in ("keep", "replace"):
        raise ServiceError(_("请选择保留现有备案或改用新登记"), {"action": [_("请选择处理方式")]})
    _lock(Project, claim.project_id)
    existing = active_referral(claim.project_id)
    claim.resolution_note = (note or "").strip() or None
    if action == "keep":
        claim.status = "rejected"
    else:
        if existing is not None:
            existing.status = "superseded"
            existing.resolution_note = claim.resolution_note
            db.session.flush()  # the old one stops being active before the claim starts
        claim.status = "active"
    db.session.flush()
    return claim


# ---- rules -----------------------------------------------------------------------------------


def _clean_rule(values: dict) -> dict:
    errors: dict[str, list[str]] = {}
    clean = {key: values.get(key) for key in RULE_FIELDS}
    clean.update(clean_rule_options(values, errors))
    clean["name"] = (clean["name"] or "").strip()
    if not clean["name"]:
        errors["name"] = [_("请填写办法名称")]
    try:
        clean["year"] = int(clean["year"])
        if not 2000 <= clean["year"] <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = [_("年度应为四位数年份，如 2025")]
    if clean["basis"] not in BASES:
        errors["basis"] = [_("计算基数应为到位资金、固定资产投资或计划投资额")]
    if clean["milestone"] not in STAGES:
        errors["milestone"] = [_("请选择项目阶段节点")]
    if clean["mode"] not in MODES:
        errors["mode"] = [_("计算方式应为分档全额（bracket）或超额累进（progressive）")]
    try:
        clean["tiers"] = tiers_to_json(validate_tiers(clean["tiers"] or []))
    except (ValueError, TypeError) as exc:
        errors["tiers"] = [str(exc)]
    cap = clean["cap_wan"]
    if cap is not None and cap != "":
        try:
            clean["cap_wan"] = parse_wan(cap)
        except ValueError as exc:
            errors["cap_wan"] = [str(exc)]
    else:
        clean["cap_wan"] = None
    clean["exclude_public_officials"] = bool(clean["exclude_public_officials"])
    clean["note"] = (clean["note"] or "").strip() or None
    if errors:
        raise ServiceError(_("奖励办法有误，请检查标出的字段"), errors)
    return clean


def create_rule(county_id: int | None = None, **values) -> RewardRule:
    rule = RewardRule(rule_version=1, **_clean_rule(values))
    if county_id is not None:
        rule.county_id = county_id
    db.session.add(rule)
    db.session.flush()
    rule.lineage_id = rule.id
    db.session.flush()
    return rule


def rule_in_finalized_list(rule: RewardRule) -> bool:
    return _in_a_finalized_list(select(RewardList.id).where(RewardList.rule_id == rule.id))


def rule_values(rule: RewardRule) -> dict:
    """What the rule holds, by the names of its form's fields (tiers and industries as the
    form writes them)."""
    return {
        **columns_dict(rule),
        "tiers": tiers_to_text(rule.tiers),
        "industries": "、".join(rule.industries or []),
    }


def update_rule(rule: RewardRule, version=None, **values) -> RewardRule:
    """Change a rule; if a finalized list used it, make a new version instead and return that."""
    if not rule.is_current:
        raise ServiceError(
            _("此版本已被新版本取代，请修改最新版本（第%(n)d版）", n=rule.superseded_by.rule_version)
        )
    refuse_stale(rule, version, _("该奖励办法已被他人修改"), rule_values(rule))
    clean = _clean_rule(values)
    if not rule_in_finalized_list(rule):
        return changed(rule, clean)
    newest = db.session.execute(
        select(func.max(RewardRule.rule_version)).where(RewardRule.lineage_id == rule.lineage_id)
    ).scalar_one()
    successor = RewardRule(
        county_id=rule.county_id,
        lineage_id=rule.lineage_id,
        rule_version=(newest or rule.rule_version) + 1,
        **clean,
    )
    db.session.add(successor)
    db.session.flush()
    rule.superseded_by_id = successor.id
    db.session.flush()
    return successor


# ---- lists -----------------------------------------------------------------------------------


def eligibility(rule: RewardRule, period) -> Eligibility:
    return compute_eligibility(rule, period)


def _snapshot_rule(reward_list: RewardList, rule: RewardRule) -> None:
    reward_list.rule_id = rule.id
    reward_list.rule = rule
    reward_list.rule_name = rule.name
    reward_list.rule_version = rule.rule_version
    reward_list.rule_lineage_id = rule.lineage_id or rule.id
    for key in ("basis", "milestone", "mode", "cap_wan", "exclude_public_officials", *RULE_OPTION_FIELDS):
        setattr(reward_list, key, getattr(rule, key))
    reward_list.industries = list(rule.industries or [])
    reward_list.tiers = [dict(tier) for tier in rule.tiers]


def _fill_lines(reward_list: RewardList, result: Eligibility) -> None:
    reward_list.lines.clear()
    db.session.flush()
    for position, line in enumerate(result.lines, start=1):
        reward_list.lines.append(
            RewardLine(
                county_id=reward_list.county_id,
                position=position,
                **{key: getattr(line, key) for key in LINE_FIELDS},
            )
        )
    reward_list.total_reward_wan = result.total_reward_wan
    reward_list.computed_at = utcnow()
    # A flush of this list's new lines alone: their positions are the insert sentinel (models.RewardLine).
    db.session.flush()


def _require_current(rule: RewardRule) -> None:
    if not rule.is_current:
        raise ServiceError(
            _(
                "奖励办法“%(name)s”第%(n)d版已被新版本取代，请按最新版本生成名单",
                name=rule.name,
                n=rule.rule_version,
            ),
            {"rule_id": [_("请选择最新版本")]},
        )


def create_list(rule: RewardRule, period, title: str | None = None) -> RewardList:
    _require_current(rule)
    result = compute_eligibility(rule, period)
    reward_list = RewardList(
        county_id=rule.county_id,
        status="draft",
        period_text=result.period_text,
        period_start=result.period_start,
        period_end=result.period_end,
        title=(title or "").strip()
        or _("%(rule)s（%(period)s）奖励名单", rule=rule.name, period=result.period_text),
        created_by_id=_actor_id(),
        total_reward_wan=Decimal("0"),
        computed_at=utcnow(),
    )
    _snapshot_rule(reward_list, rule)
    db.session.add(reward_list)
    db.session.flush()
    _fill_lines(reward_list, result)
    db.session.flush()
    return reward_list


def _require_draft(reward_list: RewardList) -> None:
    if reward_list.is_finalized:
        raise FinalizedListError()
    if reward_list.is_publicized:
        # Its lines are what the public saw: they change only by a resolved objection.
        raise ServiceError(_("公示中的名单不能重新计算或删除"))


def lock_lineage(reward_list: RewardList) -> None:
    """Two lists of one rule frozen at once must not both reward a project."""
    _lock(RewardRule, reward_list.rule_lineage_id)


def refresh_list(reward_list: RewardList) -> RewardList:
    """Recompute a draft from today's projects, funds and referrals."""
    _require_draft(reward_list)
    _require_current(reward_list.rule)
    _snapshot_rule(reward_list, reward_list.rule)
    _fill_lines(
        reward_list,
        compute_eligibility(
            reward_list.rule,
            (reward_list.period_start, reward_list.period_end),
            exclude_list_id=reward_list.id,
        ),
    )
    db.session.flush()
    return reward_list


def _check_ready_to_finalize(reward_list: RewardList) -> None:
    """A publicized list is finalized only after its 公示期 and with every objection resolved."""
    if reward_list.notice_end is not None and clock.today() <= reward_list.notice_end:
        raise ServiceError(_("公示期至 %(end)s 结束，期满后才能定稿", end=reward_list.notice_end.isoformat()))
    if reward_list.open_objections:
        raise ServiceError(_("还有 %(n)d 条异议未处理，处理后才能定稿", n=len(reward_list.open_objections)))


def finalize_list(reward_list: RewardList, version=None) -> RewardList:
    """Freeze the list with the rule's parameters. A draft is recomputed first (so nothing is
    rewarded twice); a publicized list keeps the lines the public saw, after its 公示期 and
    its objections (crm/rewards/publicity.py)."""
    if reward_list.is_finalized:
        raise FinalizedListError()
    refuse_stale(
        reward_list,
        version,
        _("该名单已被他人修改"),
        {"status": reward_list.status, "version": reward_list.version},
    )
    lock_lineage(reward_list)
    if reward_list.is_publicized:
        _check_ready_to_finalize(reward_list)
        _refuse_rewarded_twice(reward_list)
    else:
        refresh_list(reward_list)
    reward_list.status = "finalized"
    reward_list.finalized_at = utcnow()
    reward_list.finalized_by_id = _actor_id()
    db.session.flush()
    return reward_list


def _refuse_rewarded_twice(reward_list: RewardList) -> None:
    rewarded = rewarded_project_ids(reward_list.rule_lineage_id, exclude_list_id=reward_list.id)
    twice = [line for line in reward_list.eligible_lines if line.project_id in rewarded]
    if twice:
        raise ServiceError(_("有 %(n)d 个项目已在本办法的其他定稿名单中奖励过，不能再次定稿", n=len(twice)))
    project_ids = [line.project_id for line in reward_list.eligible_lines]
    moved = rewarded_in_another_county(project_ids, reward_list.county_id, reward_list.milestone)
    if moved:
        raise ServiceError(
            _("有 %(n)d 个项目在流转前已由原所在县（区）按同一节点奖励过，不能再次定稿", n=len(moved))
        )


def delete_list(reward_list: RewardList) -> None:
    _require_draft(reward_list)
    db.session.delete(reward_list)
    db.session.flush()


def finalized_list_for(rule: RewardRule, start: date, end: date) -> RewardList | None:
    """The finalized list of exactly this rule version and period, if there is one."""
    return (
        db.session.execute(
            select(RewardList)
            .where(
                RewardList.rule_id == rule.id,
                RewardList.status == "finalized",
                RewardList.period_start == start,
                RewardList.period_end == end,
            )
            .order_by(RewardList.id.desc())
        )
        .scalars()
        .first()
    )
