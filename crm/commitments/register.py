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
from sqlalchemy import and_, case, func, literal, not_, select, true
from sqlalchemy.orm import joinedload, selectinload

from crm.commitments.models import (
    CLOSED_STATUSES,
    COMMITMENT_STATUSES,
    POLICY_KINDS,
    PROMISED_STATUSES,
    CollectiveDecision,
    Commitment,
    CommitmentReview,
    Fulfillment,
    Policy,
)
from crm.core import county_cache
from crm.core.db import db
from crm.core.tenancy import county_in, current_scope
from crm.projects.confidential import name_column
from crm.projects.models import Project
from crm.util.money import quantize_wan

ZERO = Decimal("0.00")


@dataclass
class RegisterFilters:
    status: str | None = None
    due_within: int | None = None  # days from today; open commitments only
    overdue: bool = False
    policy_kind: str | None = None
    project_id: int | None = None


def _known_choice(args, key: str, choices, errors: dict, unknown: str) -> str | None:
    """``args[key]`` when it is one of ``choices``; None when absent, or unknown (then said
    in ``errors``)."""
    value = (args.get(key) or "").strip()
    if value and value not in choices:
        errors[key] = [unknown]
        return None
    return value or None


def parse_filters(args) -> tuple[RegisterFilters, dict[str, list[str]]]:
    """Filters from query-string arguments; unknown values are reported, not guessed."""
    filters, errors = RegisterFilters(), {}
    filters.status = _known_choice(args, "status", COMMITMENT_STATUSES, errors, _("未知的状态"))
    due_within = (args.get("due_within") or "").strip()
    if due_within:
        if due_within.isdigit() and int(due_within) <= 3660:
            filters.due_within = int(due_within)
        else:
            errors["due_within"] = [_("天数必须是 0 到 3660 之间的整数")]
    filters.overdue = (args.get("overdue") or "").strip().lower() in ("1", "true", "on", "yes")
    filters.policy_kind = _known_choice(args, "policy_kind", POLICY_KINDS, errors, _("未知的政策类型"))
    return filters, errors


def _readable():
    """Belt and braces beside the session's tenant criteria (which also applies)."""
    scope = current_scope()
    if scope is None or scope.unrestricted:
        return true()
    return county_in(Commitment.county_id, scope.read_county_ids or [-1])


def _conditions(filters: RegisterFilters, today: date) -> list:
    conditions = [_readable()]
    if filters.status:
        conditions.append(Commitment.status == filters.status)
    if filters.due_within is not None:
        conditions.append(
            and_(
                Commitment.due_on >= today,
                Commitment.due_on <= today + timedelta(days=filters.due_within),
                not_(Commitment.status.in_(CLOSED_STATUSES)),
            )
        )
    if filters.overdue:
        conditions.append(Commitment.overdue_on(today))
    if filters.project_id is not None:
        conditions.append(Commitment.project_id == filters.project_id)
    if filters.policy_kind:
        conditions.append(
            Commitment.policy_id.in_(select(Policy.id).where(Policy.kind == filters.policy_kind))
        )
    return conditions


def rows_select(conditions: list):
    """``(commitment, fulfilled)`` rows with the project and policy each row shows loaded in
    the same statement (no query per row); the fulfilled sum is computed per output row."""
    paid = (
        select(func.coalesce(func.sum(Fulfillment.amount_wan), 0))
        .where(Fulfillment.commitment_id == Commitment.id)
        .correlate(Commitment)
        .scalar_subquery()
    )
    return (
        select(Commitment, paid)
        .where(*conditions)
        .options(joinedload(Commitment.project), joinedload(Commitment.policy))
        .order_by(Commitment.due_on, Commitment.id)
    )


def fulfilled_amount(value) -> Decimal:
    return quantize_wan(Decimal(str(value or 0)))


def _page_conditions(filters: RegisterFilters, today: date, limit: int | None, offset: int) -> list:
    return page_of(_conditions(filters, today), limit, offset)


def page_of(conditions: list, limit: int | None, offset: int = 0) -> list:
    """Conditions selecting one page (by due date) of the commitments ``conditions`` match."""
    if limit is None:
        return conditions
    # Pick the page's ids on the narrow (county_id, due_on) index first; only those rows
    # are then read whole and joined (sorting every full row to skip most was the cost).
    page = (
        select(Commitment.id)
        .where(*conditions)
        .order_by(Commitment.due_on, Commitment.id)
        .limit(limit)
        .offset(offset)
    )
    return [Commitment.id.in_(page)]


def register_rows(filters: RegisterFilters, today: date, limit: int | None = None, offset: int = 0):
    """``[(commitment, fulfilled_wan)]`` ordered by due date (one page when ``limit`` is set)."""
    statement = rows_select(_page_conditions(filters, today, limit, offset))
    return [(c, fulfilled_amount(p)) for c, p in db.session.execute(statement).all()]


def export_rows(filters: RegisterFilters, today: date, viewer=None, batch: int = 1000):
    """Every row of the register as plain columns (no ORM objects), fetched in batches as
    the caller iterates: what the exports write, at any size, in one statement.
    ``project_name`` is the name ``viewer`` may read (crm/projects/confidential.py)."""
    paid = (
        select(func.coalesce(func.sum(Fulfillment.amount_wan), 0))
        .where(Fulfillment.commitment_id == Commitment.id)
        .correlate(Commitment)
        .scalar_subquery()
    )
    statement = (
        select(
            Commitment.id,
            Commitment.county_id,
            name_column(viewer).label("project_name"),
            Commitment.clause,
            Policy.name.label("policy_name"),
            Policy.legal_basis,
            Policy.kind.label("policy_kind"),
            Commitment.amount_wan,
            paid.label("paid"),
            Commitment.committed_on,
            Commitment.due_on,
            Commitment.status,
            review_state_column("fair_competition").label("fair_review"),
            review_state_column("legality").label("legal_review"),
            Commitment.override_reason,
            CollectiveDecision.meeting.label("decision_meeting"),
            CollectiveDecision.held_on.label("decision_held_on"),
            CollectiveDecision.minute_no.label("decision_minute_no"),
        )
        .join(Project, Project.id == Commitment.project_id)
        .join(Policy, Policy.id == Commitment.policy_id)
        .outerjoin(CollectiveDecision, CollectiveDecision.id == Commitment.cap_decision_id)
        .where(*_conditions(filters, today))
        .order_by(Commitment.due_on, Commitment.id)
    )
    return db.session.execute(statement.execution_options(yield_per=batch))


def review_state_column(kind: str):
    """The state of a commitment's review of ``kind`` in SQL: the conclusion of its current
    record (latest review date, then entry; superseded ones skipped), else ``pending`` —
    ``Commitment.fair_review`` / ``legal_review`` for a whole export in one statement."""
    current = (
        select(CommitmentReview.conclusion)
        .where(
            CommitmentReview.commitment_id == Commitment.id,
            CommitmentReview.kind == kind,
            CommitmentReview.superseded_at.is_(None),
        )
        .order_by(CommitmentReview.reviewed_on.desc(), CommitmentReview.id.desc())
        .limit(1)
        .correlate(Commitment)
        .scalar_subquery()
    )
    return func.coalesce(current, literal("pending"))


def register_statement(filters: RegisterFilters, today: date, limit: int | None = None, offset: int = 0):
    """The filtered commitments (one page when ``limit`` is set) as an ORM select for the
    API; the fulfillments behind ``fulfilled_wan`` come in one more statement per page."""
    return (
        select(Commitment)
        .where(*_page_conditions(filters, today, limit, offset))
        .options(
            selectinload(Commitment.fulfillments),
            # What each row shows beside the register's columns: review states, risk flags
            # (from the policy's kind) and the collective decision of an approval above the cap.
            selectinload(Commitment.reviews),
            selectinload(Commitment.policy),
            selectinload(Commitment.cap_decision),
        )
        .order_by(Commitment.due_on, Commitment.id)
    )


def _sum_columns(today: date):
    """What the register's figures are made of: owed (from the commitments) and paid (from
    the fulfillments joined to them)."""
    binding = Commitment.status.in_(PROMISED_STATUSES)
    overdue = Commitment.overdue_on(today)
    owed = (
        func.sum(case((binding, Commitment.amount_wan), else_=0)).label("promised"),
        func.count(case((overdue, Commitment.id))).label("overdue_count"),
        func.sum(case((overdue, Commitment.amount_wan), else_=0)).label("overdue_owed"),
        func.count(Commitment.id).label("total"),
    )
    paid = (
        func.sum(case((binding, Fulfillment.amount_wan), else_=0)).label("fulfilled"),
        func.sum(case((overdue, Fulfillment.amount_wan), else_=0)).label("overdue_paid"),
    )
    return owed, paid


def _money(value) -> Decimal:
    return quantize_wan(Decimal(str(value))) if value is not None else ZERO


#: The county cache's name for each county's register sums (crm/core/county_cache.py).
REGISTER_CACHE = "register_sums"
_SUMS = ("promised", "fulfilled", "overdue_count", "overdue_owed", "overdue_paid", "total")


def _sums_statement(today: date, conditions: list, by_county: bool = False):
    """Owed (from the commitments) and paid (from their fulfillments) summed over the
    commitments ``conditions`` select, in one statement; one row per county with
    ``by_county``."""
    owed_columns, paid_columns = _sum_columns(today)
    group = (Commitment.county_id,) if by_county else ()
    owed = select(*group, *owed_columns).where(*conditions).group_by(*group).subquery()
    paid = (
        select(*group, *paid_columns)
        .select_from(Fulfillment)
        .join(Commitment, Commitment.id == Fulfillment.commitment_id)
        .where(*conditions)
        .group_by(*group)
        .subquery()
    )
    columns = [getattr(owed.c, name) if name in owed.c else getattr(paid.c, name) for name in _SUMS]
    if not by_county:
        return select(*columns).select_from(owed.join(paid, true()))
    # Every county with commitments has an owed row; a paid row only once something was paid.
    return select(owed.c.county_id, *columns).select_from(
        owed.outerjoin(paid, paid.c.county_id == owed.c.county_id)
    )


def _raw_sums(row) -> dict:
    return {
        name: (int(value or 0) if name in ("overdue_count", "total") else Decimal(str(value or 0)))
        for name, value in zip(_SUMS, row, strict=True)
    }


def _sums_by_county(county_ids: list[int], today: date) -> dict[int, dict]:
    rows = db.session.execute(
        _sums_statement(today, [Commitment.county_id.in_(county_ids)], by_county=True)
    ).all()
    found = {row[0]: _raw_sums(row[1:]) for row in rows}
    empty = _raw_sums([0] * len(_SUMS))
    return {cid: found.get(cid, empty) for cid in county_ids}


def figures(filters: RegisterFilters, today: date) -> dict:
    """The filtered register's totals, summed in the database (no rows loaded). Without
    filters they are the sums of each readable county's, kept per county in the county
    cache for the day (overdue follows the date): a province of 100 counties then sums
    only the counties written to since, instead of every commitment (bench/RESULTS.md)."""
    scope = current_scope()
    if filters == RegisterFilters() and scope is not None and not scope.unrestricted:
        sums = county_cache.summed_over_readable(
            REGISTER_CACHE, scope.read_county_ids, lambda missing: _sums_by_county(missing, today), day=today
        ) or _raw_sums([0] * len(_SUMS))
    else:
        sums = _raw_sums(db.session.execute(_sums_statement(today, _conditions(filters, today))).one())
    promised, fulfilled = _money(sums["promised"]), _money(sums["fulfilled"])
    return {
        "count": sums["total"],
        "promised": promised,
        "fulfilled": fulfilled,
        "outstanding": promised - fulfilled,
        "rate": (fulfilled / promised).quantize(Decimal("0.0001")) if promised else None,
        "overdue_count": sums["overdue_count"],
        "overdue_amount": _money(sums["overdue_owed"]) - _money(sums["overdue_paid"]),
    }


def format_rate(rate: Decimal | None) -> str:
    """The fulfillment rate as a percentage.

    >>> format_rate(Decimal('0.1234')), format_rate(None)
    ('12.3%', '—')
    """
    if rate is None:
        return "—"
    return f"{(rate * 100).quantize(Decimal('0.1'))}%"
