"""Benefit shares in the county figures: each county credited its share, each 万元 once.

For a project under a benefit-sharing agreement, the funds in place that count (认定, not
excluded: ``crm.funds.models.is_counted``) of a month are credited:
- months from the agreement's start month up to (not including) the month its term ends
  (``starts_on`` + ``years``): to each county its ``funds_percent`` of the month's amount per
  origin, rounded to 0.01 万元, the county holding the project taking what rounding left (so
  the parts add up to the amount exactly and a city's or province's total — the sum over its
  counties — counts it once);
- months before the start: wholly to the county that held the project when the agreement
  was made (``origin_county``: before a transfer the money was its work);
- months after the term: wholly to the county holding the project (no adjustment).

``adjustments`` gives the changes to the plain per-county sums (which credit the holding
county with everything); figures apply them. The amounts of another county's project are
read only as sums per project, origin and month, never shown as records.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app, has_app_context
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from crm.coordination.models import BenefitAgreement, BenefitShare
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.funds.models import FundsRecord, is_counted

__all__ = ["adjustments", "agreements_touching", "in_force", "partner_keys", "split_amount"]

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def split_amount(amount: Decimal, percents: dict[int, Decimal], holder: int) -> dict[int, Decimal]:
    """Each county's part of ``amount``; ``holder`` takes the rounding remainder.

    >>> split_amount(Decimal("100.01"), {1: Decimal(60), 2: Decimal(40)}, holder=2)
    {1: Decimal('60.01'), 2: Decimal('40.00')}
    """
    parts = {
        cid: (amount * pct / HUNDRED).quantize(CENT, ROUND_HALF_UP)
        for cid, pct in percents.items()
        if cid != holder
    }
    parts[holder] = amount - sum(parts.values(), Decimal(0))
    return dict(sorted(parts.items()))


def in_force(agreement, month: date) -> bool:
    start = agreement.starts_on.replace(day=1)
    return start <= month < agreement.ends_before().replace(day=1)


def agreements_touching(county_ids) -> list[BenefitAgreement]:
    """Agreements naming any of ``county_ids`` (as a share, origin or host)."""
    ids = list(county_ids)
    if not ids:
        return []
    return list(
        db.session.execute(
            select(BenefitAgreement)
            .where(
                or_(
                    BenefitAgreement.origin_county_id.in_(ids),
                    BenefitAgreement.host_county_id.in_(ids),
                    BenefitAgreement.id.in_(
                        select(BenefitShare.agreement_id).where(BenefitShare.county_id.in_(ids))
                    ),
                )
            )
            .options(selectinload(BenefitAgreement.shares))
            .order_by(BenefitAgreement.id)
        ).scalars()
    )


def adjustments(
    county_ids, first_month: date, last_day: date, agreements=None
) -> list[tuple[int, str, date, Decimal]]:
    """[(county, origin, month, change in 万元)] for ``county_ids`` between the dates
    (``agreements``: those naming any of them, when the caller has read them already)."""
    wanted = set(county_ids)
    agreements = _naming(agreements, wanted) if agreements is not None else agreements_touching(wanted)
    if not agreements:
        return []
    by_project: dict[int, list] = defaultdict(list)
    for agreement in agreements:
        by_project[agreement.project_id].append(agreement)
    with system_scope():
        rows = db.session.execute(
            select(
                FundsRecord.project_id,
                FundsRecord.county_id,
                FundsRecord.origin,
                FundsRecord.month,
                func.sum(FundsRecord.amount_wan),
            )
            .where(
                FundsRecord.project_id.in_(list(by_project)),
                FundsRecord.month >= first_month,
                FundsRecord.month <= last_day,
                is_counted(),
            )
            .group_by(FundsRecord.project_id, FundsRecord.county_id, FundsRecord.origin, FundsRecord.month)
        ).all()
    changes = []
    for project_id, holder, origin, month, amount in rows:
        amount = Decimal(amount or 0).quantize(CENT)
        month = month.replace(day=1)
        current = [a for a in by_project[project_id] if in_force(a, month)]
        if current:
            agreement = current[-1]  # the newest agreement in force decides
            percents = {s.county_id: s.funds_percent for s in agreement.shares}
            parts = split_amount(amount, percents, holder)
        else:
            earliest = by_project[project_id][0]
            if month >= earliest.starts_on.replace(day=1) or earliest.origin_county_id == holder:
                continue
            parts = {earliest.origin_county_id: amount}
        parts.setdefault(holder, Decimal(0))
        for county_id, part in parts.items():
            change = part - amount if county_id == holder else part
            if county_id in wanted and change:
                changes.append((county_id, origin, month, change))
    return changes


def _named(agreement) -> set[int]:
    return {agreement.origin_county_id, agreement.host_county_id, *(s.county_id for s in agreement.shares)}


def _naming(agreements, county_ids) -> list:
    return [a for a in agreements if _named(a) & set(county_ids)]


def partner_keys(county_ids, agreements=None) -> dict[int, tuple]:
    """{county: ((partner county, its version), …)}: a county's figures include its partners'
    records, so its cached figures are current only while theirs are (county cache ``extra``)."""
    partners: dict[int, set[int]] = defaultdict(set)
    wanted = set(county_ids)
    for agreement in agreements_touching(wanted):
        named = {
            agreement.origin_county_id,
            agreement.host_county_id,
            *(s.county_id for s in agreement.shares),
        }
        for cid in named & wanted:
            partners[cid] |= named - {cid}
    if not partners:
        return {}
    everyone = sorted(set().union(*partners.values()))
    source = current_app.extensions.get("county_cache", {}).get("versions") if has_app_context() else None
    versions = source(everyone) if source else {}
    return {
        cid: tuple((p, getattr(versions.get(p), "audit_id", None)) for p in sorted(others))
        for cid, others in partners.items()
    }
