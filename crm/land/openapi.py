"""OpenAPI paths and schemas of the land API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from collections.abc import Iterable

from crm.api import openapi as spec
from crm.land.models import CARRIER_KINDS, LAND_USES, PARCEL_STATUSES, PARK_KINDS

__all__ = ["PATHS", "SCHEMAS"]

DECIMAL = {"type": "string", "description": "decimal as text"}
DECIMAL_OR_NULL = {"type": ["string", "null"], "description": "decimal as text"}
COMMON = {"id": spec.INTEGER, "county_id": spec.INTEGER, **spec.STAMPS}
READ = ("403",)


def _page(summary: str, name: str, parameters: Iterable[dict] = ()) -> dict:
    return spec.get_page(summary, name, f"{name} list", parameters=parameters, refusals=READ)


def _one(summary: str, name: str) -> dict:
    return spec.get_one(summary, name, name, refusals=READ)


SCHEMAS = {
    "Park": spec.obj(
        {
            **COMMON,
            "name": spec.STRING,
            "kind": {"type": "string", "enum": list(PARK_KINDS)},
            "area_mu": DECIMAL_OR_NULL,
            "host_county": spec.TEXT_OR_NULL,
            "share_percent": {**DECIMAL_OR_NULL, "description": "飞地: this county's share, percent"},
            "sharing_note": spec.TEXT_OR_NULL,
        }
    ),
    "Parcel": spec.obj(
        {
            **COMMON,
            "park_id": spec.INTEGER,
            "code": spec.STRING,
            "area_mu": DECIMAL,
            "land_use": {"type": "string", "enum": list(LAND_USES)},
            "standard": {"type": "boolean", "description": "标准地"},
            "investment_intensity_wan": DECIMAL_OR_NULL,
            "output_per_mu_wan": DECIMAL_OR_NULL,
            "tax_per_mu_wan": DECIMAL_OR_NULL,
            "plot_ratio": DECIMAL_OR_NULL,
            "energy_per_output": DECIMAL_OR_NULL,
            "status": {"type": "string", "enum": list(PARCEL_STATUSES)},
            "approved_on": spec.DATE_OR_NULL,
            "supplied_on": spec.DATE_OR_NULL,
            "agreed_start_on": spec.DATE_OR_NULL,
            "grid_row": spec.INTEGER,
            "grid_col": spec.INTEGER,
            "note": spec.TEXT_OR_NULL,
        }
    ),
    "Carrier": spec.obj(
        {
            **COMMON,
            "park_id": spec.INTEGER,
            "name": spec.STRING,
            "kind": {"type": "string", "enum": list(CARRIER_KINDS)},
            "floor_area_m2": DECIMAL,
            "vacant_area_m2": DECIMAL,
            "industries": spec.TEXT_OR_NULL,
        }
    ),
    "LandEfficiency": spec.obj(
        {
            "county_id": spec.INTEGER,
            "year": spec.INTEGER,
            "items": spec.list_of({"type": "object"}),
            "total": spec.INTEGER,
            "page": spec.INTEGER,
            "per_page": spec.INTEGER,
        }
    ),
}

PATHS = {
    "/parks": {"get": _page("The parks of the caller's counties", "Park")},
    "/parks/{park_id}": spec.at("park_id", get=_one("One park", "Park")),
    "/parcels": {"get": _page("Parcels (optionally of one park)", "Parcel", [spec.query_id("park_id")])},
    "/parcels/{parcel_id}": spec.at("parcel_id", get=_one("One parcel", "Parcel")),
    "/carriers": {"get": _page("Standard factories and buildings", "Carrier")},
    "/carriers/{carrier_id}": spec.at("carrier_id", get=_one("One carrier", "Carrier")),
    "/land-efficiency": {
        "get": spec.get_one(
            "A county's year of 亩均效益: figures, scores, total, class A–D, ranks",
            "LandEfficiency",
            "LandEfficiency",
            refusals=(*READ, "404"),
            parameters=[
                spec.query("year", {"type": "integer", "minimum": 2000, "maximum": 2100}, required=True),
                spec.query_id("county", "needed when the caller reads several counties"),
                *spec.PAGE_PARAMETERS,
            ],
        )
    },
}
