"""The commitment register (承诺兑现台账): filters, rows and figures, all in SQL.

Figures over the filtered commitments:

* promised (承诺金额) — amount of binding commitments (approved, partially fulfilled,
  fulfilled, suspended); drafts are not yet promised, revoked and clawed-back ones no longer;
* fulfilled (已兑现) — fulfillments recorded against those binding commitments;
* outstanding (未兑现) = promised − fulfilled; rate (兑现率) = fulfilled ÷ promised;
* overdue count and amount — commitments past their due date and not closed, and what is
  still owed on them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, not_, select, true

from crm.commitments.models import (
    CLOSED_STATUSES,
    COMMITMENT_STATUSES,
    POLICY_KINDS,
    PROMISED_STATUSES,
    Commitment,
    Fulfillment,
    Policy,
)
from crm.core.db import db
from crm.core.tenancy import current_scope
from crm.util.money import quantize_wan

ZERO = Decimal("0.00")


@dataclass
class RegisterFilters:
    status: str | None = None
    due_within: int | None = None  # days from today; open commitments only
    overdue: bool = False
    policy_kind: str | None = None
    project_id: int | None = None


def parse_filters(args) -> tuple[RegisterFilters, dict[str, list[str]]]:
    """Filters from query-string arguments; unknown values are reported, not guessed."""
    filters, errors = RegisterFilters(), {}
    status = (args.get("status") or "").strip()
    if status:
        if status in COMMITMENT_STATUSES:
            filters.status = status
        else:
            errors["status"] = [_("未知的状态")]
    due_within = (args.get("due_within") or "").strip()
    if due_within:
        if due_within.isdigit() and int(due_within) <= 3660:
            filters.due_within = int(due_within)
        else:
            errors["due_within"] = [_("天数必须是 0 到 3660 之间的整数")]
    filters.overdue = (args.get("overdue") or "").strip().lower() in ("1", "true", "on", "yes")
    kind = (args.get("policy_kind") or "").strip()
    if kind:
        if kind in POLICY_KINDS:
            filters.policy_kind = kind
        else:
            errors["policy_kind"] = [_("未知的政策类型")]
    return filters, errors


def _readable():
    """Belt and braces beside the session's tenant criteria (which also applies)."""
    scope = current_scope()
    if scope is None or scope.unrestricted:
        return true()
    return Commitment.county_id.in_(sorted(scope.read_county_ids) or [-1])


def _conditions(filters: RegisterFilters, today: date) -> list:
    conditions = [_readable()]
    if filters.status:
        conditions.append(Commitment.status == filters.status)
    if filters.due_within is not None:
        conditions.append(and_(Commitment.due_on >= today,
                               Commitment.due_on <= today + timedelta(days=filters.due_within),
                               not_(Commitment.status.in_(CLOSED_STATUSES))))
    if filters.overdue:
        conditions.append(Commitment.overdue_on(today))
    if filters.project_id is not None:
        conditions.append(Commitment.project_id == filters.project_id)
    if filters.policy_kind:
        conditions.append(Commitment.policy_id.in_(
            select(Policy.id).where(Policy.kind == filters.policy_kind)))
    return conditions


def _paid_subquery():
    return (select(Fulfillment.commitment_id.label("commitment_id"),
                   func.sum(Fulfillment.amount_wan).label("paid"))
            .group_by(Fulfillment.commitment_id).subquery())


def register_rows(filters: RegisterFilters, today: date, limit: int | None = None):
    """``[(commitment, fulfilled_wan)]`` ordered by due date."""
    paid = _paid_subquery()
    statement = (select(Commitment, func.coalesce(paid.c.paid, 0))
                 .outerjoin(paid, paid.c.commitment_id == Commitment.id)
                 .where(*_conditions(filters, today))
                 .order_by(Commitment.due_on, Commitment.id))
    if limit is not None:
        statement = statement.limit(limit)
    return [(c, quantize_wan(Decimal(str(p or 0)))) for c, p in db.session.execute(statement).all()]


def register_statement(filters: RegisterFilters, today: date):
    """The filtered commitments as an ORM select (for API pagination)."""
    return select(Commitment).where(*_conditions(filters, today)).order_by(Commitment.due_on, Commitment.id)


def figures(filters: RegisterFilters, today: date) -> dict:
    paid = _paid_subquery()
    paid_amount = func.coalesce(paid.c.paid, 0)
    binding = Commitment.status.in_(PROMISED_STATUSES)
    overdue = Commitment.overdue_on(today)
    row = db.session.execute(
        select(
            func.sum(case((binding, Commitment.amount_wan), else_=0)),
            func.sum(case((binding, paid_amount), else_=0)),
            func.count(case((overdue, Commitment.id))),
            func.sum(case((overdue, Commitment.amount_wan - paid_amount), else_=0)),
            func.count(Commitment.id),
        ).select_from(Commitment).outerjoin(paid, paid.c.commitment_id == Commitment.id)
        .where(*_conditions(filters, today))
    ).one()

    def money(value) -> Decimal:
        return quantize_wan(Decimal(str(value))) if value is not None else ZERO

    promised, fulfilled = money(row[0]), money(row[1])
    return {
        "count": int(row[4] or 0),
        "promised": promised,
        "fulfilled": fulfilled,
        "outstanding": promised - fulfilled,
        "rate": (fulfilled / promised).quantize(Decimal("0.0001")) if promised else None,
        "overdue_count": int(row[2] or 0),
        "overdue_amount": money(row[3]),
    }


def format_rate(rate: Decimal | None) -> str:
    """The fulfillment rate as a percentage.

    >>> format_rate(Decimal('0.1234')), format_rate(None)
    ('12.3%', '—')
    """
    if rate is None:
        return "—"
    return f"{(rate * 100).quantize(Decimal('0.1'))}%"
