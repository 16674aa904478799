"""Reads of the land module: parks and their contents, where a project lands, the 亩均
table with ranks, low-efficiency firms' history, and land-and-projects lists with ages.
Every query runs under the tenant scope (county-owned models)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from crm.core import county_cache
from crm.core.db import db
from crm.core.i18n import N_
from crm.land import evaluation
from crm.land.models import Carrier, EfficiencyRecord, Parcel, Park, ProjectSite
from crm.land.services import SIGNED_STAGES, _add_years, rules_for
from crm.projects.models import Project

__all__ = [
    "EvaluatedFirm",
    "carriers_for_industry",
    "dashboard_land_counts",
    "efficiency_table",
    "idle_parcels",
    "land_counts",
    "low_efficiency_history",
    "matched_parcel_ids",
    "parks",
    "project_sites",
    "signed_without_land",
    "unsupplied_parcels",
]

STARTED_STAGES = ("started", "producing")


def parks() -> list[Park]:
    return list(db.session.execute(select(Park).order_by(Park.county_id, Park.name)).scalars())


def _sites(condition, *options) -> list[ProjectSite]:
    """The project sites matching ``condition``, oldest first."""
    return list(
        db.session.execute(
            select(ProjectSite).where(condition).options(*options).order_by(ProjectSite.id)
        ).scalars()
    )


def project_sites(project_id: int) -> list[ProjectSite]:
    return _sites(
        ProjectSite.project_id == project_id,
        selectinload(ProjectSite.parcel).selectinload(Parcel.park),
        selectinload(ProjectSite.carrier).selectinload(Carrier.park),
    )


def matched_parcel_ids(park_id: int) -> set[int]:
    """The park's parcels matched to at least one project (drawn as in use on the plan)."""
    return set(
        db.session.execute(
            select(ProjectSite.parcel_id)
            .join(Parcel, Parcel.id == ProjectSite.parcel_id)
            .where(Parcel.park_id == park_id)
        ).scalars()
    )


def parcel_sites(parcel_id: int) -> list[ProjectSite]:
    return _sites(ProjectSite.parcel_id == parcel_id)


def carrier_sites(carrier_id: int) -> list[ProjectSite]:
    return _sites(ProjectSite.carrier_id == carrier_id)


def carriers_for_industry(county_id: int, industry: str | None) -> list[Carrier]:
    """Carriers of the county with vacant space whose 适宜产业 mention ``industry`` (or the
    other way round: "新能源" suits "新能源汽车")."""
    if not industry:
        return []
    rows = db.session.execute(
        select(Carrier)
        .where(Carrier.county_id == county_id, Carrier.vacant_area_m2 > 0)
        .order_by(Carrier.name)
    ).scalars()
    return [c for c in rows if any(i in industry or industry in i for i in c.industry_list)]


# ---- land and projects --------------------------------------------------------------


def _signed_without_land_where(county_ids) -> tuple:
    return (
        Project.county_id.in_(county_ids),
        Project.stage.in_(SIGNED_STAGES),
        ~exists().where(ProjectSite.project_id == Project.id),
    )


def signed_without_land(county_ids, today: date) -> list[tuple[Project, int | None]]:
    """Signed (and later) projects matched to no parcel or carrier, with days since signing."""
    rows = db.session.execute(
        select(Project).where(*_signed_without_land_where(county_ids)).order_by(Project.signed_on, Project.id)
    ).scalars()
    return [(p, (today - p.signed_on).days if p.signed_on else None) for p in rows]


@dataclass(frozen=True)
class IdleParcel:
    parcel: Parcel
    reference: date  # 约定动工日期, else the supply date
    days: int  # since the reference
    level: str  # "pending" (not yet a year), "idle" (≥ 1 year), "reclaimable" (≥ 2 years)


IDLE_LEVELS = {
    "pending": N_("供地未开工"),
    "idle": N_("闲置（满一年）"),
    "reclaimable": N_("可无偿收回（满两年）"),
}


def idle_level(reference: date, today: date) -> str:
    """《闲置土地处置办法》第二条、第十四条: a year past the agreed start (or, with none agreed,
    the supply) without starting is 闲置; two years and the land may be taken back."""
    if today >= _add_years(reference, 2):
        return "reclaimable"
    if today >= _add_years(reference, 1):
        return "idle"
    return "pending"


def idle_parcels(county_ids, today: date) -> list[IdleParcel]:
    """Supplied (or marked idle) parcels on which no matched project has started, oldest first."""
    started = (
        select(ProjectSite.parcel_id)
        .join(Project, Project.id == ProjectSite.project_id)
        .where(
            ProjectSite.parcel_id.is_not(None),
            (Project.construction_started_on.is_not(None)) | Project.stage.in_(STARTED_STAGES),
        )
    )
    rows = db.session.execute(
        select(Parcel)
        .where(
            Parcel.county_id.in_(county_ids),
            Parcel.status.in_(("supplied", "idle")),
            Parcel.supplied_on.is_not(None),
            Parcel.id.not_in(started),
        )
        .options(selectinload(Parcel.park))
    ).scalars()
    found = []
    for parcel in rows:
        reference = parcel.agreed_start_on or parcel.supplied_on
        found.append(IdleParcel(parcel, reference, (today - reference).days, idle_level(reference, today)))
    return sorted(found, key=lambda i: (-i.days, i.parcel.code))


def unsupplied_parcels(county_ids, today: date) -> list[tuple[Parcel, int | None]]:
    """Parcels not yet supplied (规划待供), with days since the land was approved (批而未供)."""
    rows = db.session.execute(
        select(Parcel)
        .where(Parcel.county_id.in_(county_ids), Parcel.status == "planned")
        .options(selectinload(Parcel.park))
        .order_by(Parcel.approved_on, Parcel.code)
    ).scalars()
    return [(p, (today - p.approved_on).days if p.approved_on else None) for p in rows]


def land_counts(county_ids, today: date) -> dict:
    """The dashboard's figures: signed projects without land, 闲置 parcels (≥ 1 year), approved
    but unsupplied parcels, counted in the database (a province would otherwise load every
    such project)."""
    parts = _land_counts_by_county(list(county_ids), today).values()
    return {name: sum(part[name] for part in parts) for name in _LAND_COUNT_NAMES}


#: The county cache's name for each county's land figures (crm/core/county_cache.py).
LAND_COUNTS_CACHE = "land_counts"
_LAND_COUNT_NAMES = ("without_land", "idle", "not_started", "unsupplied")


def _land_counts_by_county(county_ids: list[int], today: date) -> dict[int, dict]:
    """``land_counts`` of each county, in three statements for all of them."""
    without = dict(
        db.session.execute(
            select(Project.county_id, func.count(Project.id))
            .where(*_signed_without_land_where(county_ids))
            .group_by(Project.county_id)
        ).all()
    )
    approved = dict(
        db.session.execute(
            select(Parcel.county_id, func.count(Parcel.id))
            .where(
                Parcel.county_id.in_(county_ids), Parcel.status == "planned", Parcel.approved_on.is_not(None)
            )
            .group_by(Parcel.county_id)
        ).all()
    )
    counts = {
        cid: {
            "without_land": without.get(cid, 0),
            "idle": 0,
            "not_started": 0,
            "unsupplied": approved.get(cid, 0),
        }
        for cid in county_ids
    }
    for item in idle_parcels(county_ids, today):
        county = counts[item.parcel.county_id]
        county["not_started"] += 1
        county["idle"] += item.level != "pending"
    return counts


def dashboard_land_counts(county_ids, today: date) -> dict:
    """``land_counts`` added up from each county's, kept per county in the county cache for
    the day: a province's dashboard counts again only the counties written to since."""
    counts = county_cache.summed_over_readable(
        LAND_COUNTS_CACHE, county_ids, lambda missing: _land_counts_by_county(missing, today), day=today
    )
    return counts or dict.fromkeys(_LAND_COUNT_NAMES, 0)


# ---- 亩均效益 ------------------------------------------------------------------------


@dataclass(frozen=True)
class EvaluatedFirm:
    record: EfficiencyRecord
    result: evaluation.Evaluation
    county_rank: int | None
    park_rank: int | None


def evaluate_records(records, rules) -> list[EvaluatedFirm]:
    """Score ``records`` (one county, one year) and rank them in the county and in each park."""
    results = {
        r.id: evaluation.evaluate(
            rules,
            land_mu=r.land_mu,
            value_added=r.value_added_wan,
            tax=r.tax_wan,
            energy=r.energy_tce,
            employees=r.employees,
        )
        for r in records
    }
    county_ranks = evaluation.rank({rid: res.total for rid, res in results.items()})
    park_ranks: dict = {}
    for park_id in {r.park_id for r in records}:
        park_ranks.update(
            evaluation.rank({r.id: results[r.id].total for r in records if r.park_id == park_id})
        )
    firms = [EvaluatedFirm(r, results[r.id], county_ranks.get(r.id), park_ranks.get(r.id)) for r in records]
    return sorted(
        firms,
        key=lambda f: (f.county_rank is None, f.county_rank or 0, f.record.firm_name),
    )


def efficiency_records(county_id: int, year: int | None = None, park_id: int | None = None):
    query = (
        select(EfficiencyRecord)
        .where(EfficiencyRecord.county_id == county_id)
        .options(selectinload(EfficiencyRecord.park))
        .order_by(EfficiencyRecord.year, EfficiencyRecord.firm_name)
    )
    if year is not None:
        query = query.where(EfficiencyRecord.year == year)
    if park_id is not None:
        query = query.where(EfficiencyRecord.park_id == park_id)
    return list(db.session.execute(query).scalars())


def efficiency_table(county_id: int, year: int) -> list[EvaluatedFirm]:
    """The county's firms of ``year`` scored by its current rules, best first; firms under
    the minimum land size last, unranked."""
    rules, _row = rules_for(county_id)
    return evaluate_records(efficiency_records(county_id, year), rules)


def years_with_data(county_id: int) -> list[int]:
    return list(
        db.session.execute(
            select(EfficiencyRecord.year)
            .where(EfficiencyRecord.county_id == county_id)
            .distinct()
            .order_by(EfficiencyRecord.year.desc())
        ).scalars()
    )


def low_efficiency_history(county_id: int, year: int) -> list[tuple[str, list[tuple[int, EvaluatedFirm]]]]:
    """Firms classed C or D in ``year``, each with its evaluation in every year on record
    (by the county's current rules), oldest year first."""
    rules, _row = rules_for(county_id)
    by_year: dict[int, list[EvaluatedFirm]] = {}
    for record in efficiency_records(county_id):
        by_year.setdefault(record.year, []).append(record)
    evaluated = {y: evaluate_records(rows, rules) for y, rows in by_year.items()}
    low = sorted(
        f.record.firm_name for f in evaluated.get(year, []) if f.result.grade in evaluation.LOW_CLASSES
    )
    history = []
    for name in low:
        rows = [(y, f) for y in sorted(evaluated) for f in evaluated[y] if f.record.firm_name == name]
        history.append((name, rows))
    return history
