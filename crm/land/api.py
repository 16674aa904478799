"""/api/v1 (read only): parks, parcels, carriers and a year's 亩均效益 evaluation of the
caller's counties. Writes go through the pages for now."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from sqlalchemy import select

from crm.api.util import columns_dict, page_args, page_of_list, paginate
from crm.core.access import READ_ROLES, load_or_404, roles_required
from crm.core.parsing import int_or_none, record_id_or_none
from crm.core.tenancy import readable_county_ids
from crm.land import queries
from crm.land.evaluation import INDICATORS
from crm.land.models import Carrier, Parcel, Park

bp = Blueprint("land_api", __name__, url_prefix="/api/v1")


@bp.get("/parks")
@roles_required(*READ_ROLES)
def parks():
    """One page of the parks of the caller's counties."""
    return paginate(select(Park).order_by(Park.id), columns_dict)


@bp.get("/parks/<int:park_id>")
@roles_required(*READ_ROLES)
def park(park_id: int):
    """One park."""
    return jsonify(columns_dict(load_or_404(Park, park_id)))


@bp.get("/parcels")
@roles_required(*READ_ROLES)
def parcels():
    """One page of the land parcels, optionally of one ``park_id``."""
    statement = select(Parcel).order_by(Parcel.id)
    park_id = record_id_or_none(request.args.get("park_id"))
    if park_id is not None:
        statement = statement.where(Parcel.park_id == park_id)
    return paginate(statement, columns_dict)


@bp.get("/parcels/<int:parcel_id>")
@roles_required(*READ_ROLES)
def parcel(parcel_id: int):
    """One land parcel."""
    return jsonify(columns_dict(load_or_404(Parcel, parcel_id)))


@bp.get("/carriers")
@roles_required(*READ_ROLES)
def carriers():
    """One page of the carriers (standard factories and buildings offered to investors)."""
    return paginate(select(Carrier).order_by(Carrier.id), columns_dict)


@bp.get("/carriers/<int:carrier_id>")
@roles_required(*READ_ROLES)
def carrier(carrier_id: int):
    """One carrier."""
    return jsonify(columns_dict(load_or_404(Carrier, carrier_id)))


@bp.get("/land-efficiency")
@roles_required(*READ_ROLES)
def efficiency():
    """One county's year scored and classed (``county``: needed only by a reader of several)."""
    page, per_page = page_args()
    readable = readable_county_ids()
    county_id = record_id_or_none(request.args.get("county")) or (readable[0] if len(readable) == 1 else None)
    year = int_or_none(request.args.get("year"))
    if county_id not in readable or year is None or not 2000 <= year <= 2100:
        abort(404)
    table = queries.efficiency_table(county_id, year)
    return page_of_list(table, page, per_page, _efficiency_json, county_id=county_id, year=year)


def _efficiency_json(firm) -> dict:
    """One firm's row of the table: its record, indicators, scores, class and ranks."""
    result = firm.result
    return {
        **columns_dict(firm.record),
        "indicators": {
            i: None if result.values[i] is None else str(round(result.values[i], 2)) for i in INDICATORS
        },
        "scores": {i: str(result.scores[i]) for i in INDICATORS},
        "total": None if result.total is None else str(result.total),
        "grade": result.grade,
        "county_rank": firm.county_rank,
        "park_rank": firm.park_rank,
    }
