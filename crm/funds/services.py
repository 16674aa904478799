"""Funds in place (到位资金) and county targets: rules shared by views, API and demo."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm.audit.models import AuditEvent
from crm.core import clock
from crm.core.db import db
from crm.core.errors import ConflictError, ServiceError, refuse_stale
from crm.funds import rates
from crm.funds.models import EXCLUSIONS, FOREIGN_ORIGIN, FUND_ORIGINS, NOT_EXCLUDED, CountyTarget, FundsRecord
from crm.funds.rates import month_label
from crm.projects.models import Project
from crm.util.money import format_wan, quantize_wan

EDITABLE_FIELDS = ("month", "origin", "exclusion", "amount_wan", "amount_usd_wan", "evidence_ref", "note")
# What a manager confirms: changing any of it withdraws the 认定 (a note may change freely).
CONFIRMED_FIELDS = ("month", "origin", "exclusion", "amount_wan", "amount_usd_wan", "evidence_ref")
MAX_AMOUNT_WAN = Decimal("10000000")  # 1,000 亿元 in one month: a typing slip, not money
MAX_AMOUNT_USD_WAN = Decimal("1500000")  # 150 亿美元, the same slip in dollars
EVIDENCE_MAX = 200


class NotAllowedError(ServiceError):
    """The acting user's role may not do this (403): 认定 is a manager's."""

    status = 403


class DuplicateFundsError(ConflictError):
    """The same project, month, origin and kind is already reported: the same money twice."""

    def __init__(self, existing: FundsRecord):
        message = _(
            "该项目 %(month)s %(origin)s 的到位资金已登记（记录 #%(id)s，%(amount)s 万元），"
            "同一笔资金不能重复上报；如需更正请修改该记录。",
            month=month_label(existing.month),
            origin=money_label(existing.origin, existing.exclusion),
            id=existing.id,
            amount=format_wan(existing.amount_wan),
        )
        super().__init__(message, current_values(existing))
        self.existing_id = existing.id
        self.errors = {"month": [message], "origin": [message], "exclusion": [message]}


def money_label(origin: str, exclusion: str = NOT_EXCLUDED) -> str:
    """The origin as the bureau reads it, with the kind of money when it is left out:
    ``省外``, ``境外（银行贷款）``."""
    label = _(FUND_ORIGINS.get(origin, origin))
    if exclusion != NOT_EXCLUDED:
        label += _("（%(kind)s）", kind=_(EXCLUSIONS.get(exclusion, exclusion)))
    return label


def current_values(record: FundsRecord) -> dict:
    return {
        "id": record.id,
        "project_id": record.project_id,
        "month": record.month.strftime("%Y-%m"),
        "origin": record.origin,
        "exclusion": record.exclusion,
        "amount_wan": str(record.amount_wan),
        "amount_usd_wan": str(record.amount_usd_wan) if record.amount_usd_wan is not None else None,
        "usd_rate": str(record.usd_rate) if record.usd_rate is not None else None,
        "evidence_ref": record.evidence_ref,
        "note": record.note,
        "confirmed": record.confirmed,
        "version": record.version,
    }


def _positive_amount(amount, unit_message: str, too_large: str, maximum: Decimal) -> str | None:
    """The message refusing ``amount`` (a Decimal in 万 of its currency), or None."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        return unit_message
    if amount <= 0:
        return _("到位资金必须大于 0")
    if amount > maximum:  # before rounding: a huge figure cannot be rounded to the cent
        return too_large
    if quantize_wan(amount) <= 0:
        return _("到位资金必须大于 0")
    return None


def _clean(values: dict, county_id: int, today: date | None) -> dict:
    """Check one record's values; raise ServiceError naming every wrong field. 境外 money
    is taken in 万美元 and converted at the province's rate of its month."""
    errors: dict[str, list[str]] = {}
    month = values.get("month")
    if not isinstance(month, date):
        errors["month"] = [_("请填写月份，如 2026-03")]
    else:
        month = month.replace(day=1)
        if today is not None and month > today.replace(day=1):
            errors["month"] = [_("不能登记未来月份的到位资金")]
    origin = values.get("origin")
    if origin not in FUND_ORIGINS:
        errors["origin"] = [_("请选择资金来源")]
    exclusion = values.get("exclusion") or NOT_EXCLUDED
    if exclusion not in EXCLUSIONS:
        errors["exclusion"] = [_("请选择资金类别")]
    amount, dollars, rate = values.get("amount_wan"), values.get("amount_usd_wan"), None
    if origin == FOREIGN_ORIGIN:
        refused = _positive_amount(
            dollars,
            _("境外资金请填写万美元金额（按当月汇率折算为万元）"),
            _("金额过大，请确认单位是万美元"),
            MAX_AMOUNT_USD_WAN,
        )
        if refused:
            errors["amount_usd_wan"] = [refused]
        elif "month" not in errors:
            rate = rates.rate_for(county_id, month)
            if rate is None:
                errors["amount_usd_wan"] = [
                    _(
                        "%(month)s 的美元汇率尚未录入，暂不能登记该月境外资金；汇率由省级协调员在“美元汇率”页录入。",
                        month=month_label(month),
                    )
                ]
            else:
                # From the dollars as stored (to the cent), so that stored dollars × rate
                # is the stored 万元, now and when the rate is corrected.
                dollars = quantize_wan(dollars)
                amount = rates.convert(dollars, rate.cny_per_usd)
    else:
        if dollars is not None:
            errors["amount_usd_wan"] = [_("只有境外资金以万美元登记，其他来源请填写万元金额")]
        refused = _positive_amount(
            amount, _("请填写金额（万元）"), _("金额过大，请确认单位是万元"), MAX_AMOUNT_WAN
        )
        if refused:
            errors["amount_wan"] = [refused]
    evidence = (values.get("evidence_ref") or "").strip() or None
    if evidence and len(evidence) > EVIDENCE_MAX:
        errors["evidence_ref"] = [_("凭证编号不能超过 %(n)s 个字", n=EVIDENCE_MAX)]
    if errors:
        raise ServiceError(_("到位资金记录有误，请检查标出的字段"), errors)
    return {
        "month": month,
        "origin": origin,
        "exclusion": exclusion,
        "amount_wan": quantize_wan(amount),
        "amount_usd_wan": dollars if rate is not None else None,
        "usd_rate": rate.cny_per_usd if rate is not None else None,
        "evidence_ref": evidence,
        "note": (values.get("note") or "").strip() or None,
    }


def _same_money(project_id: int, cleaned: dict, own_id: int | None = None):
    query = select(FundsRecord).where(
        FundsRecord.project_id == project_id,
        FundsRecord.month == cleaned["month"],
        FundsRecord.origin == cleaned["origin"],
        FundsRecord.exclusion == cleaned["exclusion"],
    )
    if own_id is not None:
        query = query.where(FundsRecord.id != own_id)
    return db.session.execute(query).scalars().first()


def _refuse_duplicate(project_id: int, cleaned: dict, own_id: int | None = None) -> None:
    existing = _same_money(project_id, cleaned, own_id)
    if existing is not None:
        raise DuplicateFundsError(existing)


def _flush_or_duplicate(cleaned: dict) -> None:
    try:
        db.session.flush()
    except IntegrityError as exc:
        # Two saves raced past the check; the unique constraint stopped the second.
        db.session.rollback()
        raise ServiceError(
            _(
                "该项目 %(month)s %(origin)s 的到位资金已由他人登记，同一笔资金不能重复上报。",
                month=month_label(cleaned["month"]),
                origin=money_label(cleaned["origin"], cleaned["exclusion"]),
            ),
            {"month": [_("该月该来源已登记")]},
        ) from exc


def create_funds(project: Project, values: dict, created_by=None, today: date | None = None) -> FundsRecord:
    """Record a month's money for a project; it counts once a manager confirms it (认定)."""
    cleaned = _clean(values, project.county_id, today)
    _refuse_duplicate(project.id, cleaned)
    record = FundsRecord(
        project=project,
        project_id=project.id,
        county_id=project.county_id,
        created_by_id=getattr(created_by, "id", None),
        **cleaned,
    )
    db.session.add(record)
    _flush_or_duplicate(cleaned)
    return record


def check_version(record, version) -> None:
    refuse_stale(
        record,
        version,
        _("该到位资金记录已被他人修改，您的保存未生效。当前内容如下，请确认后重新修改。"),
        current_values(record),
    )


def update_funds(
    record: FundsRecord, values: dict, version: int | None = None, today: date | None = None
) -> FundsRecord:
    """Change a record. A change to what was confirmed (month, origin, kind, amount,
    voucher) withdraws the 认定: the manager confirms the new figures again."""
    check_version(record, version)
    merged = {key: getattr(record, key) for key in EDITABLE_FIELDS}
    merged.update({k: v for k, v in values.items() if k in EDITABLE_FIELDS})
    if merged["origin"] != FOREIGN_ORIGIN and "amount_usd_wan" not in values:
        merged["amount_usd_wan"] = None  # no longer 境外: its 万元 figure stays, its dollars go
    cleaned = _clean(merged, record.county_id, today)
    _refuse_duplicate(record.project_id, cleaned, own_id=record.id)
    if record.confirmed and any(getattr(record, key) != cleaned[key] for key in CONFIRMED_FIELDS):
        record.confirmed_at = record.confirmed_by_id = None
    for key, value in cleaned.items():
        if getattr(record, key) != value:
            setattr(record, key, value)
    _flush_or_duplicate(cleaned)
    return record


def ever_confirmed(record: FundsRecord) -> bool:
    """Whether a manager confirmed the record at any time: now, or before an edit withdrew
    the 认定 (its audit rows say so)."""
    if record.confirmed:
        return True
    afters = db.session.execute(
        select(AuditEvent.after).where(
            AuditEvent.table_name == FundsRecord.__tablename__, AuditEvent.record_id == record.id
        )
    ).scalars()
    return any(isinstance(after, dict) and after.get("confirmed_at") for after in afters)


def delete_funds(record: FundsRecord, version: int | None = None, by=None) -> None:
    """Delete a record; one a manager confirmed only by a manager (it takes counted money
    away), even when an edit has withdrawn the 认定 since: editing first must not open the
    way to a delete the confirmation refused."""
    check_version(record, version)
    if by is not None and not by.has_role("manager") and ever_confirmed(record):
        raise NotAllowedError(_("已认定的到位资金只能由局长删除；如需更正，请修改后重新认定。"))
    db.session.delete(record)
    db.session.flush()


def confirm_funds(record: FundsRecord, by, version: int | None = None) -> FundsRecord:
    """A manager's 认定: the record counts from now on. ``version`` is the one the manager
    looked at: a record changed since is refused (409), to be looked at again."""
    if not by.has_role("manager"):
        raise NotAllowedError(_("到位资金由局长认定"))
    check_version(record, version)
    if not record.confirmed:
        record.confirmed_at, record.confirmed_by_id = clock.utcnow(), by.id
        db.session.flush()
    return record


def withdraw_confirmation(record: FundsRecord, by, version: int | None = None) -> FundsRecord:
    """A manager takes a 认定 back: the record stops counting until confirmed again."""
    if not by.has_role("manager"):
        raise NotAllowedError(_("到位资金由局长认定"))
    check_version(record, version)
    if record.confirmed:
        record.confirmed_at = record.confirmed_by_id = None
        db.session.flush()
    return record


def target_for(county_id: int, year: int) -> CountyTarget | None:
    return db.session.execute(
        select(CountyTarget).where(CountyTarget.county_id == county_id, CountyTarget.year == year)
    ).scalar_one_or_none()


def set_county_target(
    county_id: int, year: int, funds_target_wan, signed_projects_target=None, version: int | None = None
) -> CountyTarget:
    """Create or change the county's annual target (a manager's act; the view checks the role)."""
    errors: dict[str, list[str]] = {}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = [_("年份无效")]
    if not isinstance(funds_target_wan, Decimal) or not funds_target_wan.is_finite() or funds_target_wan <= 0:
        errors["funds_target_wan"] = [_("到位资金目标必须大于 0")]
    elif funds_target_wan > MAX_AMOUNT_WAN:
        errors["funds_target_wan"] = [_("金额过大，请确认单位是万元")]
    if signed_projects_target is not None and (
        not isinstance(signed_projects_target, int) or signed_projects_target < 0
    ):
        errors["signed_projects_target"] = [_("签约项目目标须为非负整数")]
    if errors:
        raise ServiceError(_("年度目标有误"), errors)
    target = target_for(county_id, year)
    if target is None:
        target = CountyTarget(
            county_id=county_id,
            year=year,
            funds_target_wan=quantize_wan(funds_target_wan),
            signed_projects_target=signed_projects_target,
        )
        db.session.add(target)
    else:
        refuse_stale(
            target,
            version,
            _(
                "年度目标已被他人修改，当前为 %(amount)s 万元，请确认后重新保存。",
                amount=format_wan(target.funds_target_wan),
            ),
            {"funds_target_wan": str(target.funds_target_wan)},
            required=True,  # a year that has a target is changed only by whoever has read it
        )
        target.funds_target_wan = quantize_wan(funds_target_wan)
        target.signed_projects_target = signed_projects_target
    db.session.flush()
    return target
