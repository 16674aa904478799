"""Reads of the review: targets, snapshots with 同比/环比, scores and the ranking.

The score of a frozen quarter is worked out on reading from the snapshot (frozen), the
imported indicators and the weights of the year; the rules are in docs/design.md and in
``crm.review.indicators``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from crm.core.access import descendant_county_ids
from crm.core.db import db
from crm.core.tenancy import county_in, system_scope
from crm.regions.models import Region
from crm.review.indicators import (
    DEFAULT_CLASS,
    DEFAULT_WEIGHTS,
    IMPORTED,
    change,
    indicator_score,
    previous_quarter,
    rank,
    total_score,
)
from crm.review.models import CountyClass, QuarterIndicators, QuarterSnapshot, ReviewTarget, ReviewWeights

__all__ = [
    "CHANGE_FIGURES",
    "RankedCounty",
    "changes",
    "classes_of",
    "indicator_percents",
    "own_rank",
    "ranking",
    "snapshots",
    "targets",
    "weights_for",
]

HUNDRED = Decimal(100)
# The figures 同比/环比 compare: the quarter's own (not the year to date).
CHANGE_FIGURES = {
    "funds_quarter_wan": lambda f: Decimal(f["funds_quarter_wan"]),
    "signed": lambda f: f["counts_quarter"]["signed"],
    "started": lambda f: f["counts_quarter"]["started"],
    "producing": lambda f: f["counts_quarter"]["producing"],
    "big_projects": lambda f: f["big_projects_quarter"],
}


def _of_counties(model, county_ids, year: int, *conditions) -> dict:
    """The ``model`` rows of ``county_ids`` for ``year`` (and ``conditions``), by county id."""
    rows = db.session.execute(
        select(model).where(county_in(model.county_id, county_ids), model.year == year, *conditions)
    ).scalars()
    return {row.county_id: row for row in rows}


def targets(county_ids, year: int) -> dict[int, ReviewTarget]:
    return _of_counties(ReviewTarget, county_ids, year)


def snapshots(county_ids, year: int, quarter: int) -> dict[int, QuarterSnapshot]:
    return _of_counties(QuarterSnapshot, county_ids, year, QuarterSnapshot.quarter == quarter)


def imported(county_ids, year: int, quarter: int) -> dict[int, dict]:
    rows = _of_counties(QuarterIndicators, county_ids, year, QuarterIndicators.quarter == quarter)
    return {county_id: dict(row.indicator_values) for county_id, row in rows.items()}


def classes_of(county_ids, year: int) -> dict[int, str]:
    rows = db.session.execute(
        select(CountyClass.county_id, CountyClass.county_class).where(
            county_in(CountyClass.county_id, county_ids), CountyClass.year == year
        )
    ).all()
    found = dict(rows)
    return {cid: found.get(cid, DEFAULT_CLASS) for cid in county_ids}


def weights_for(region_id: int, year: int, county_class: str) -> dict[str, int]:
    """The weights of ``region_id`` for the year and class; where it set none, those of the
    region above it (a city without weights uses its province's), else the defaults."""
    while region_id is not None:
        found = db.session.execute(
            select(ReviewWeights.weights).where(
                ReviewWeights.region_id == region_id,
                ReviewWeights.year == year,
                ReviewWeights.county_class == county_class,
            )
        ).scalar_one_or_none()
        if found is not None:
            return dict(found)
        region_id = db.session.execute(
            select(Region.parent_id).where(Region.id == region_id)
        ).scalar_one_or_none()
    return dict(DEFAULT_WEIGHTS)


def _against_target(actual, target, quarter: int) -> Decimal | None:
    """actual ÷ (annual target × quarter ÷ 4) in percent (序时 by quarter); None without a
    target above 0."""
    if target is None or Decimal(target) <= 0:
        return None
    due = Decimal(target) * quarter / 4
    return Decimal(actual) / due * HUNDRED


def indicator_percents(figures: dict, values: dict | None) -> dict[str, Decimal | None]:
    """Each indicator's completion in percent, before capping (see docs/design.md)."""
    target = figures.get("target") or {}
    quarter = figures["quarter"]
    result: dict[str, Decimal | None] = {
        "funds": _against_target(Decimal(figures["funds_ytd_wan"]), target.get("funds_wan"), quarter),
        "big_projects": _against_target(figures["big_projects_ytd"], target.get("big_projects"), quarter),
        "signings": _against_target(figures["counts_ytd"]["signed"], target.get("signings"), quarter),
        "starts": _against_target(figures["counts_ytd"]["started"], target.get("starts"), quarter),
    }
    for code, rate in figures["rates"].items():
        result[code] = Decimal(rate["value"]) * HUNDRED if rate["value"] is not None else None
    values = values or {}
    for code in IMPORTED:
        raw = values.get(code)
        result[code] = Decimal(raw) if raw is not None else None
    return result


@dataclass
class RankedCounty:
    snapshot_id: int
    county_id: int
    county_class: str
    funds_ytd: Decimal
    scores: dict[str, Decimal]
    bonus: Decimal
    penalty: Decimal
    score: Decimal
    rank: int = 0
    weights: dict[str, int] = field(default_factory=dict)


def ranking(region_id: int, year: int, quarter: int) -> list[RankedCounty]:
    """The counties below ``region_id`` with a frozen snapshot of the quarter, scored with
    the weights of ``region_id`` (per county class) and ranked; read in the system scope,
    so callers show each reader only what the reader may see (``own_rank``)."""
    with system_scope():
        county_ids = sorted(descendant_county_ids(region_id))
        frozen = snapshots(county_ids, year, quarter)
        values = imported(list(frozen), year, quarter)
        classes = classes_of(list(frozen), year)
        rows = []
        for county_id, snapshot in frozen.items():
            weights = weights_for(region_id, year, classes[county_id])
            percents = indicator_percents(snapshot.figures, values.get(county_id))
            scores = {code: indicator_score(p) for code, p in percents.items()}
            extra = values.get(county_id, {})
            bonus, penalty = Decimal(extra.get("bonus") or 0), Decimal(extra.get("penalty") or 0)
            rows.append(
                RankedCounty(
                    snapshot_id=snapshot.id,
                    county_id=county_id,
                    county_class=classes[county_id],
                    funds_ytd=Decimal(snapshot.figures["funds_ytd_wan"]),
                    scores=scores,
                    bonus=bonus,
                    penalty=penalty,
                    score=total_score(scores, weights, bonus, penalty),
                    weights=weights,
                )
            )
    ranks = rank([(r.county_id, r.score, r.funds_ytd) for r in rows])
    for row in rows:
        row.rank = ranks[row.county_id]
    return sorted(rows, key=lambda r: (r.rank, r.county_id))


def own_rank(county_id: int, year: int, quarter: int) -> tuple[RankedCounty | None, int, int | None]:
    """A county's own place among the counties of the region directly above it (its city;
    the province for a province-administered county): (its row or None, how many ranked,
    the region). Nothing of the other counties leaves this function."""
    with system_scope():
        parent = db.session.execute(
            select(Region.parent_id).where(Region.id == county_id)
        ).scalar_one_or_none()
    if parent is None:
        return None, 0, None
    rows = ranking(parent, year, quarter)
    mine = next((r for r in rows if r.county_id == county_id), None)
    return mine, len(rows), parent


def changes(county_id: int, year: int, quarter: int) -> dict[str, dict]:
    """{figure: {"yoy": 同比, "qoq": 环比}} of the county's frozen quarter against its
    frozen same quarter last year and previous quarter (None where one is not frozen)."""
    current = snapshots([county_id], year, quarter).get(county_id)
    if current is None:
        return {}
    last_year = snapshots([county_id], year - 1, quarter).get(county_id)
    before = snapshots([county_id], *previous_quarter(year, quarter)).get(county_id)
    result = {}
    for name, read in CHANGE_FIGURES.items():
        now = read(current.figures)
        result[name] = {
            "value": now,
            "yoy": change(now, read(last_year.figures)) if last_year else None,
            "qoq": change(now, read(before.figures)) if before else None,
        }
    return result
