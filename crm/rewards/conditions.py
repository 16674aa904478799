"""The conditions a county's 办法 adds to a reward rule (docs/design.md "Rewards"), and how one
reward is split between referrers by their agreed shares.

A rule (and every list, which copies it) may set: a minimum planned investment, a minimum
fixed-asset share of it, a minimum share of the funds in place coming from outside the city,
new legal entities only, a list of industries, the exclusion of 事业单位 staff and of the
investor itself and its related parties (public officials: ``exclude_public_officials``), and
a deadline in days after the milestone for applying. Unset (None, empty, false): no condition.

Each condition is checked on the facts the line is computed from and explained in words: a
failed one is a reason the line is ineligible, a met one is written into the line's 计算过程.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import func, select

from crm.core.db import db
from crm.core.i18n import N_
from crm.funds.models import FundsRecord, is_counted
from crm.projects.models import OUTSIDE_CITY_ORIGINS, PROJECT_KINDS, Project
from crm.rewards.models import PERSONAL_EXCLUSIONS
from crm.util.money import parse_wan

__all__ = [
    "NEW_ENTITY_KINDS",
    "RULE_OPTION_FIELDS",
    "Check",
    "clean_rule_options",
    "describe_options",
    "outside_city_funds",
    "project_checks",
    "split_reward",
]

RULE_OPTION_FIELDS = (
    "min_planned_investment_wan",
    "min_fixed_asset_percent",
    "min_outside_city_percent",
    "new_entity_only",
    "industries",
    "exclude_public_institution_staff",
    "exclude_investor_related",
    "application_days",
)
# Project kinds that set up a new legal entity in the county (an expansion or a relocation
# works through a company that exists already).
NEW_ENTITY_KINDS = ("new", "joint_venture")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class Check:
    code: str  # the ineligibility reason when not passed (models.INELIGIBLE_REASONS)
    passed: bool
    text: str  # the figures, in words, either way


def _wan(amount: Decimal) -> str:
    return f"{Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP):.2f}"


def _percent(value: Decimal) -> str:
    return f"{Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP):.2f}%"


def _share(part, whole) -> Decimal | None:
    if part is None or whole is None or Decimal(whole) <= 0:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


# ---- the rule's options --------------------------------------------------------------------


def _parse_percent(raw, key: str, errors: dict) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip().rstrip("%％").strip())
    except (InvalidOperation, ValueError):
        errors[key] = [_("请填写 0 到 100 之间的百分比")]
        return None
    if not value.is_finite() or not 0 <= value <= 100:
        errors[key] = [_("请填写 0 到 100 之间的百分比")]
        return None
    return value


def parse_industries(raw) -> list[str]:
    """Industries as a list: from a list, or text separated by lines, commas or 、."""
    items = raw if isinstance(raw, list | tuple) else re.split(r"[\n,，、;；]", raw or "")
    seen: list[str] = []
    for item in items:
        name = str(item).strip() if item is not None else ""
        if name and name not in seen:
            seen.append(name)
    return seen


def clean_rule_options(values: dict, errors: dict) -> dict:
    """The options of a rule from ``values`` (form or API), errors added to ``errors``."""
    clean: dict = {}
    raw = values.get("min_planned_investment_wan")
    clean["min_planned_investment_wan"] = None
    if raw is not None and raw != "":
        try:
            clean["min_planned_investment_wan"] = parse_wan(raw)
        except ValueError as exc:
            errors["min_planned_investment_wan"] = [str(exc)]
    for key in ("min_fixed_asset_percent", "min_outside_city_percent"):
        clean[key] = _parse_percent(values.get(key), key, errors)
    for key in ("new_entity_only", "exclude_public_institution_staff", "exclude_investor_related"):
        clean[key] = bool(values.get(key))
    industries = values.get("industries")
    if industries is not None and not isinstance(industries, str | list | tuple):
        errors["industries"] = [_("适用产业应为产业名称的列表")]
        industries = None
    clean["industries"] = parse_industries(industries)
    if any(len(name) > 100 for name in clean["industries"]):
        errors["industries"] = [_("产业名称不能超过100个字")]
    days = values.get("application_days")
    clean["application_days"] = None
    if days is not None and days != "":
        try:
            if isinstance(days, bool):
                raise ValueError
            clean["application_days"] = int(days)
            if not 1 <= clean["application_days"] <= 3650:
                raise ValueError
        except (TypeError, ValueError):
            errors["application_days"] = [_("申请期限应为 1 到 3650 之间的天数")]
    return clean


def describe_options(options) -> list[tuple[str, str]]:
    """(label, value) of every option a rule or list sets, for its summary and exports."""
    rows = []
    if options.min_planned_investment_wan is not None:
        rows.append(
            (_("最低计划总投资"), _("%(amount)s 万元", amount=_wan(options.min_planned_investment_wan)))
        )
    if options.min_fixed_asset_percent is not None:
        rows.append((_("最低固定资产投资占比"), _percent(options.min_fixed_asset_percent)))
    if options.min_outside_city_percent is not None:
        rows.append((_("最低市外资金占比"), _percent(options.min_outside_city_percent)))
    if options.new_entity_only:
        rows.append((_("项目类型"), _("仅新设法人项目（新建、合资）")))
    if options.industries:
        rows.append((_("适用产业"), "、".join(options.industries)))
    if options.exclude_public_institution_staff:
        rows.append((_("事业单位工作人员"), _("不予个人奖励")))
    if options.exclude_investor_related:
        rows.append((_("投资方及其关联方"), _("不予奖励")))
    if options.application_days is not None:
        rows.append((_("申请期限"), _("达到节点后 %(days)d 日内", days=options.application_days)))
    return rows


# ---- checks on a project -------------------------------------------------------------------


def outside_city_funds(project_ids, period_end: date) -> dict[int, tuple[Decimal, Decimal]]:
    """Project id → (funds from outside the city, all funds) in place up to ``period_end``."""
    if not project_ids:
        return {}
    rows = db.session.execute(
        select(FundsRecord.project_id, FundsRecord.origin, func.sum(FundsRecord.amount_wan))
        .where(FundsRecord.project_id.in_(sorted(project_ids)), FundsRecord.month <= period_end)
        .where(is_counted())  # the funds that count, as on the dashboard and the funds basis
        .group_by(FundsRecord.project_id, FundsRecord.origin)
    ).all()
    result: dict[int, tuple[Decimal, Decimal]] = {}
    for project_id, origin, amount in rows:
        outside, total = result.get(project_id, (Decimal(0), Decimal(0)))
        amount = Decimal(amount or 0)
        result[project_id] = (outside + (amount if origin in OUTSIDE_CITY_ORIGINS else 0), total + amount)
    return result


def _investment_check(options, project: Project) -> Check:
    minimum, planned = options.min_planned_investment_wan, project.planned_investment_wan
    if planned is None:
        return Check(
            "below_min_investment", False, _("未填写计划总投资，办法规定最低 %(min)s 万元", min=_wan(minimum))
        )
    passed = Decimal(planned) >= minimum
    return Check(
        "below_min_investment",
        passed,
        _("计划总投资 %(amount)s 万元 ≥ 最低 %(min)s 万元", amount=_wan(planned), min=_wan(minimum))
        if passed
        else _(
            "计划总投资 %(amount)s 万元，低于办法规定的最低额 %(min)s 万元",
            amount=_wan(planned),
            min=_wan(minimum),
        ),
    )


def _share_check(code: str, minimum: Decimal, texts: tuple[str, str, str], **amounts) -> Check:
    """The share (%) of the first of ``amounts`` in the second against the rule's ``minimum``;
    ``texts`` (msgids): the share cannot be told, it is reached, it falls short."""
    unknown, reached, short = texts
    share = _share(*amounts.values())
    if share is None:
        return Check(code, False, _(unknown, min=_percent(minimum)))
    figures = {name: _wan(amount) for name, amount in amounts.items()}
    passed = share >= minimum
    return Check(
        code, passed, _(reached if passed else short, share=_percent(share), min=_percent(minimum), **figures)
    )


_FIXED_ASSET_SHARE_TEXTS = (
    N_("缺少计划总投资或固定资产投资，无法计算固定资产投资占比（办法规定不低于 %(min)s）"),
    N_("固定资产投资占比 %(fixed)s / %(planned)s = %(share)s ≥ %(min)s"),
    N_("固定资产投资占比 %(fixed)s / %(planned)s = %(share)s，低于办法规定的 %(min)s"),
)
_OUTSIDE_CITY_SHARE_TEXTS = (
    N_("截至期末无到位资金，无法计算市外资金占比（办法规定不低于 %(min)s）"),
    N_("市外资金占比 %(outside)s / %(total)s = %(share)s ≥ %(min)s"),
    N_("市外资金占比 %(outside)s / %(total)s = %(share)s，低于办法规定的 %(min)s"),
)


def _fixed_asset_check(options, project: Project) -> Check:
    return _share_check(
        "below_min_fixed_asset_share",
        options.min_fixed_asset_percent,
        _FIXED_ASSET_SHARE_TEXTS,
        fixed=project.fixed_asset_investment_wan,
        planned=project.planned_investment_wan,
    )


def _outside_city_check(options, funds: tuple[Decimal, Decimal] | None) -> Check:
    outside, total = funds or (Decimal(0), Decimal(0))
    return _share_check(
        "below_min_outside_share",
        options.min_outside_city_percent,
        _OUTSIDE_CITY_SHARE_TEXTS,
        outside=outside,
        total=total,
    )


def _kind_label(kind: str) -> str:
    return _(PROJECT_KINDS[kind]) if kind in PROJECT_KINDS else kind


def _new_entity_check(project: Project) -> Check:
    passed = project.kind in NEW_ENTITY_KINDS
    return Check(
        "not_new_entity",
        passed,
        _("新设法人项目（%(kind)s）", kind=_kind_label(project.kind))
        if passed
        else _("项目类型为“%(kind)s”，办法仅奖励新设法人项目", kind=_kind_label(project.kind)),
    )


def _industry_check(options, project: Project) -> Check:
    industry = (project.industry or "").strip()
    covered = "、".join(options.industries)
    passed = industry in options.industries
    return Check(
        "industry_not_covered",
        passed,
        _("产业“%(industry)s”在办法适用范围内", industry=industry)
        if passed
        else _(
            "项目产业“%(industry)s”不在办法适用范围（%(covered)s）内",
            industry=industry or _("未填写"),
            covered=covered,
        ),
    )


def _application_checks(options, applied_on: date | None, milestone_on: date) -> list[Check]:
    days = options.application_days
    deadline = milestone_on + timedelta(days=days)
    figures = dict(days=days, deadline=deadline.isoformat())
    if applied_on is None:
        return [
            Check(
                "not_applied",
                False,
                _("办法要求在达到节点后 %(days)d 日内（%(deadline)s 前）申请奖励，尚未申请", **figures),
            )
        ]
    passed = applied_on <= deadline
    return [
        Check(
            "late_application",
            passed,
            _(
                "申请日期 %(applied)s，在期限 %(deadline)s（达到节点后 %(days)d 日）内",
                applied=applied_on.isoformat(),
                **figures,
            )
            if passed
            else _(
                "奖励申请日期 %(applied)s 晚于申请期限 %(deadline)s（达到节点后 %(days)d 日）",
                applied=applied_on.isoformat(),
                **figures,
            ),
        )
    ]


def project_checks(
    options, project: Project, funds: tuple[Decimal, Decimal] | None, milestone_on: date, referral
) -> list[Check]:
    """Every condition the options set, checked for one project (in the order of the reasons)."""
    checks = []
    if options.min_planned_investment_wan is not None:
        checks.append(_investment_check(options, project))
    if options.min_fixed_asset_percent is not None:
        checks.append(_fixed_asset_check(options, project))
    if options.min_outside_city_percent is not None:
        checks.append(_outside_city_check(options, funds))
    if options.new_entity_only:
        checks.append(_new_entity_check(project))
    if options.industries:
        checks.append(_industry_check(options, project))
    if options.application_days is not None and referral is not None:
        checks.extend(_application_checks(options, referral.applied_on, milestone_on))
    return checks


# ---- referrers and their shares ------------------------------------------------------------


def excluded_as(options, person) -> str | None:
    """The exclusion that keeps ``person`` (a referral or a co-referrer) from a reward, if any."""
    for code, rule_flag, person_flag in PERSONAL_EXCLUSIONS:
        if getattr(options, rule_flag) and getattr(person, person_flag):
            return code
    return None


def split_reward(options, referral, reward: Decimal) -> tuple[Decimal, list[dict], str | None]:
    """(the reward paid, each referrer's part, the split in words or None for one referrer).

    Each referrer gets ``reward × share%`` rounded to 0.01 万元; with nobody excluded the last
    one gets what is left, so the parts add up to the reward exactly. An excluded referrer's
    part is not paid (and not given to the others: the shares are what they agreed).
    """
    from crm.rewards.models import INELIGIBLE_REASONS

    people = referral.referrers
    excluded = [excluded_as(options, person) for person in people]
    parts, paid = [], Decimal("0.00")
    for index, (person, reason) in enumerate(zip(people, excluded)):
        percent = Decimal(person.share_percent)
        if reason is None and index == len(people) - 1 and not any(excluded):
            amount = reward - paid
        else:
            amount = (reward * percent / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
        if reason is None:
            paid += amount
        parts.append(
            {
                "referrer_name": person.referrer_name,
                "referrer_kind": person.referrer_kind,
                "share_percent": f"{percent.normalize():f}",
                "reward_wan": _wan(amount) if reason is None else "0.00",
                "excluded": reason,
            }
        )
    if len(people) == 1:
        return paid, parts, None
    words = []
    for part, reason in zip(parts, excluded):
        if reason is None:
            words.append(
                _(
                    "%(name)s %(share)s%% = %(amount)s 万元",
                    name=part["referrer_name"],
                    share=part["share_percent"],
                    amount=part["reward_wan"],
                )
            )
        else:
            words.append(
                _(
                    "%(name)s %(share)s%% 不予发放（%(why)s）",
                    name=part["referrer_name"],
                    share=part["share_percent"],
                    why=_(INELIGIBLE_REASONS[reason]),
                )
            )
    text = _("按分成协议：%(parts)s", parts="，".join(words))
    if any(excluded):
        text += _("；实发 %(paid)s 万元", paid=_wan(paid))
    return paid, parts, text
