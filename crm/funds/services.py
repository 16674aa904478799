"""Funds in place (到位资金) and county targets: rules shared by views, API and demo."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm.core.db import db
from crm.core.errors import ConflictError, ServiceError
from crm.funds.models import FUND_ORIGINS, CountyTarget, FundsRecord
from crm.projects.models import Project
from crm.util.money import format_wan, quantize_wan

EDITABLE_FIELDS = ("month", "origin", "amount_wan", "evidence_ref", "note")
MAX_AMOUNT_WAN = Decimal("10000000")  # 1,000 亿元 in one month: a typing slip, not money
EVIDENCE_MAX = 200


class DuplicateFundsError(ConflictError):
    """The same project, month and origin is already reported: the same money twice."""

    def __init__(self, existing: FundsRecord):
        message = _(
            "该项目 %(month)s %(origin)s 的到位资金已登记（记录 #%(id)s，%(amount)s 万元），"
            "同一笔资金不能重复上报；如需更正请修改该记录。",
            month=month_label(existing.month),
            origin=_(FUND_ORIGINS[existing.origin]),
            id=existing.id,
            amount=format_wan(existing.amount_wan),
        )
        super().__init__(message, current_values(existing))
        self.existing_id = existing.id
        self.errors = {"month": [message], "origin": [message]}


def month_label(month: date) -> str:
    """
    >>> month_label(date(2026, 3, 1))
    '2026年3月'
    """
    return f"{month.year}年{month.month}月"


def current_values(record: FundsRecord) -> dict:
    return {
        "id": record.id,
        "project_id": record.project_id,
        "month": record.month.strftime("%Y-%m"),
        "origin": record.origin,
        "amount_wan": str(record.amount_wan),
        "evidence_ref": record.evidence_ref,
        "note": record.note,
        "version": record.version,
    }


def _clean(values: dict, today: date | None) -> dict:
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
    amount = values.get("amount_wan")
    if not isinstance(amount, Decimal) or not amount.is_finite():
        errors["amount_wan"] = [_("请填写金额（万元）")]
    elif amount <= 0:
        errors["amount_wan"] = [_("到位资金必须大于 0")]
    elif amount > MAX_AMOUNT_WAN:
        errors["amount_wan"] = [_("金额过大，请确认单位是万元")]
    elif quantize_wan(amount) <= 0:
        errors["amount_wan"] = [_("到位资金必须大于 0")]
    evidence = (values.get("evidence_ref") or "").strip() or None
    if evidence and len(evidence) > EVIDENCE_MAX:
        errors["evidence_ref"] = [_("凭证编号不能超过 %(n)s 个字", n=EVIDENCE_MAX)]
    if errors:
        raise ServiceError(_("到位资金记录有误，请检查标出的字段"), errors)
    return {
        "month": month,
        "origin": origin,
        "amount_wan": quantize_wan(amount),
        "evidence_ref": evidence,
        "note": (values.get("note") or "").strip() or None,
    }


def _refuse_duplicate(project_id: int, month: date, origin: str, own_id: int | None = None) -> None:
    query = select(FundsRecord).where(
        FundsRecord.project_id == project_id, FundsRecord.month == month, FundsRecord.origin == origin
    )
    if own_id is not None:
        query = query.where(FundsRecord.id != own_id)
    existing = db.session.execute(query).scalars().first()
    if existing is not None:
        raise DuplicateFundsError(existing)


def _flush_or_duplicate(project_id: int, month: date, origin: str) -> None:
    try:
        db.session.flush()
    except IntegrityError as exc:
        # Two saves raced past the check; the unique constraint stopped the second.
        db.session.rollback()
        raise ServiceError(
            _(
                "该项目 %(month)s %(origin)s 的到位资金已由他人登记，同一笔资金不能重复上报。",
                month=month_label(month),
                origin=_(FUND_ORIGINS.get(origin, origin)),
            ),
            {"month": [_("该月该来源已登记")]},
        ) from exc


def create_funds(project: Project, values: dict, created_by=None, today: date | None = None) -> FundsRecord:
    cleaned = _clean(values, today)
    _refuse_duplicate(project.id, cleaned["month"], cleaned["origin"])
    record = FundsRecord(
        project=project,
        project_id=project.id,
        county_id=project.county_id,
        created_by_id=getattr(created_by, "id", None),
        **cleaned,
    )
    db.session.add(record)
    _flush_or_duplicate(project.id, cleaned["month"], cleaned["origin"])
    return record


def check_version(record, version) -> None:
    if version is not None and int(version) != record.version:
        raise ConflictError(
            _("该到位资金记录已被他人修改，您的保存未生效。当前内容如下，请确认后重新修改。"),
            current_values(record),
        )


def update_funds(
    record: FundsRecord, values: dict, version: int | None = None, today: date | None = None
) -> FundsRecord:
    check_version(record, version)
    merged = {key: getattr(record, key) for key in EDITABLE_FIELDS}
    merged.update({k: v for k, v in values.items() if k in EDITABLE_FIELDS})
    cleaned = _clean(merged, today)
    _refuse_duplicate(record.project_id, cleaned["month"], cleaned["origin"], own_id=record.id)
    for key, value in cleaned.items():
        if getattr(record, key) != value:
            setattr(record, key, value)
    _flush_or_duplicate(record.project_id, cleaned["month"], cleaned["origin"])
    return record


def delete_funds(record: FundsRecord, version: int | None = None) -> None:
    check_version(record, version)
    db.session.delete(record)
    db.session.flush()


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
        if version is not None and int(version) != target.version:
            raise ConflictError(
                _(
                    "年度目标已被他人修改，当前为 %(amount)s 万元，请确认后重新保存。",
                    amount=format_wan(target.funds_target_wan),
                ),
                {"funds_target_wan": str(target.funds_target_wan), "version": target.version},
            )
        target.funds_target_wan = quantize_wan(funds_target_wan)
        target.signed_projects_target = signed_projects_target
    db.session.flush()
    return target
