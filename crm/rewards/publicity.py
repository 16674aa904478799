"""公示: publishing a reward list for its 公示期 and the objections received during it
(docs/design.md "Rewards"). Shared by the pages, the API and the CLI.

A published list shows its eligible lines to the public from ``notice_start`` to
``notice_end``; its lines are frozen (no recomputation), since they are what the public saw.
Objections are recorded against an eligible line, received inside the 公示期; a manager
resolves each: upheld withdraws that line's reward, dismissed leaves it. The list is
finalized (``crm.rewards.services.finalize_list``) after the 公示期 has ended and every
objection is resolved.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from crm.core import clock
from crm.core.db import db, utcnow
from crm.core.errors import ServiceError, refuse_stale
from crm.core.tenancy import current_scope
from crm.rewards.models import FinalizedListError, RewardLine, RewardList, RewardObjection
from crm.rewards.services import lock_lineage, refresh_list

__all__ = ["publish_list", "record_objection", "resolve_objection"]

OBJECTION_FIELDS = ("line_id", "objector", "objector_contact", "received_on", "content")
DECISIONS = ("upheld", "dismissed")
ZERO = Decimal("0.00")


def _actor_id() -> int | None:
    return getattr(current_scope(), "actor_id", None)


def _check_version(obj, version, message: str) -> None:
    refuse_stale(obj, version, message, {"status": getattr(obj, "status", None)})


def publish_list(reward_list: RewardList, notice_start, notice_end, version=None) -> RewardList:
    """Recompute a draft (so nothing is rewarded twice), freeze its lines and open its 公示期."""
    if reward_list.is_finalized:
        raise FinalizedListError()
    if reward_list.is_publicized:
        raise ServiceError(_("该名单已在公示中"))
    _check_version(reward_list, version, _("该名单已被他人修改"))
    errors: dict[str, list[str]] = {}
    if not isinstance(notice_start, date):
        errors["notice_start"] = [_("请填写公示开始日期")]
    elif notice_start < clock.today():
        errors["notice_start"] = [_("公示开始日期不能早于今天")]
    if not isinstance(notice_end, date):
        errors["notice_end"] = [_("请填写公示结束日期")]
    elif isinstance(notice_start, date) and notice_end < notice_start:
        errors["notice_end"] = [_("公示结束日期不能早于开始日期")]
    if errors:
        raise ServiceError(_("公示期有误，请检查标出的字段"), errors)
    lock_lineage(reward_list)  # two lists of one rule published at once
    refresh_list(reward_list)
    reward_list.status = "publicized"
    reward_list.notice_start, reward_list.notice_end = notice_start, notice_end
    reward_list.published_at = utcnow()
    reward_list.published_by_id = _actor_id()
    db.session.flush()
    return reward_list


def _line_of(reward_list: RewardList, line_id) -> RewardLine | None:
    return next((line for line in reward_list.lines if line.id == line_id), None)


def record_objection(reward_list: RewardList, **values) -> RewardObjection:
    """An objection received during the 公示期 against one eligible (publicly listed) line."""
    if not reward_list.is_publicized:
        raise ServiceError(_("只有公示中的名单可以登记异议"))
    errors: dict[str, list[str]] = {}
    clean = {key: values.get(key) for key in OBJECTION_FIELDS}
    line = _line_of(reward_list, clean["line_id"])
    if line is None or not line.eligible:
        errors["line_id"] = [_("请选择公示名单中的项目")]
    for key in ("objector", "objector_contact", "content"):
        clean[key] = (clean[key] or "").strip() or None
    if not clean["objector"]:
        errors["objector"] = [_("请填写异议人")]
    if not clean["content"]:
        errors["content"] = [_("请填写异议内容")]
    received_on = clean["received_on"]
    if not isinstance(received_on, date):
        errors["received_on"] = [_("请填写收到日期")]
    elif received_on > clock.today():
        errors["received_on"] = [_("收到日期不能晚于今天")]
    elif not reward_list.notice_start <= received_on <= reward_list.notice_end:
        errors["received_on"] = [
            _(
                "异议须在公示期（%(start)s 至 %(end)s）内收到",
                start=reward_list.notice_start.isoformat(),
                end=reward_list.notice_end.isoformat(),
            )
        ]
    if errors:
        raise ServiceError(_("异议登记有误，请检查标出的字段"), errors)
    objection = RewardObjection(
        county_id=reward_list.county_id,
        list_id=reward_list.id,
        reward_list=reward_list,
        line_id=line.id,
        line=line,
        objector=clean["objector"],
        objector_contact=clean["objector_contact"],
        received_on=received_on,
        content=clean["content"],
        status="open",
        created_by_id=_actor_id(),
    )
    db.session.add(objection)
    db.session.flush()
    return objection


def _withdraw_reward(reward_list: RewardList, line: RewardLine, outcome: str) -> None:
    """An upheld objection: the line stays in the list, without its reward, with the reason."""
    line.eligible = False
    line.reason_code = "objection_upheld"
    line.reason = _("公示期异议成立：%(outcome)s", outcome=outcome)[:500]
    line.reward_wan = ZERO
    line.capped = False
    if line.shares:
        line.shares = [{**share, "reward_wan": "0.00"} for share in line.shares]
    reward_list.total_reward_wan = sum((other.reward_wan for other in reward_list.eligible_lines), ZERO)


def resolve_objection(
    objection: RewardObjection, decision: str, outcome: str | None, version=None
) -> RewardObjection:
    """A manager's finding on an objection: ``upheld`` withdraws the line's reward."""
    reward_list = objection.reward_list
    if reward_list.is_finalized:
        raise FinalizedListError()
    if objection.status != "open":
        raise ServiceError(_("该异议已处理"))
    _check_version(objection, version, _("该异议已被他人处理"))
    errors: dict[str, list[str]] = {}
    if decision not in DECISIONS:
        errors["decision"] = [_("请选择异议成立或不成立")]
    outcome = (outcome or "").strip()
    if not outcome:
        errors["outcome"] = [_("请填写核查情况和处理意见")]
    if errors:
        raise ServiceError(_("异议处理有误，请检查标出的字段"), errors)
    objection.status = decision
    objection.outcome = outcome
    objection.resolved_on = clock.today()
    objection.resolved_by_id = _actor_id()
    if decision == "upheld" and objection.line.eligible:
        _withdraw_reward(reward_list, objection.line, outcome)
    db.session.flush()
    return objection
