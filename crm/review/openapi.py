"""OpenAPI paths and schemas of targets from above and the quarterly review."""

from __future__ import annotations

from crm.api import openapi as spec
from crm.review.indicators import COUNTY_CLASSES, INDICATORS

__all__ = ["PATHS", "SCHEMAS"]

COUNT_OR_NULL = {"type": ["integer", "null"], "minimum": 0, "maximum": 100000}
MONEY_INPUT = {"type": ["string", "number", "null"], "description": "万元 (≥ 0); null: not given"}
QUARTER_PATH = {
    "name": "quarter",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[0-9]{4}[Qq][1-4]$"},
    "description": "a quarter such as 2026Q3",
}
QUARTER_QUERY = {
    "name": "quarter",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "pattern": "^[0-9]{4}[Qq][1-4]$"},
    "description": "a quarter such as 2026Q3 (default: the last ended quarter)",
}
YEAR_PATH = {
    "name": "year",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 2000, "maximum": 2100},
}
YEAR_QUERY = {
    "name": "year",
    "in": "query",
    "required": False,
    "schema": {"type": "integer", "minimum": 2000, "maximum": 2100},
}

TARGET = spec.obj(
    {
        "id": {"type": "integer"},
        "county_id": {"type": "integer"},
        "year": {"type": "integer"},
        "funds_out_of_province_wan": spec.MONEY_OR_NULL,
        "funds_in_province_wan": spec.MONEY_OR_NULL,
        "funds_in_city_wan": spec.MONEY_OR_NULL,
        "funds_foreign_wan": spec.MONEY_OR_NULL,
        "funds_wan": {
            **spec.MONEY_OR_NULL,
            "description": "the 落地金额 target: the sum of the origins given",
        },
        "big_projects": spec.ID_OR_NULL,
        "signings": spec.ID_OR_NULL,
        "starts": spec.ID_OR_NULL,
        "set_by_id": {"type": "integer"},
        "set_by_region_id": {"type": "integer", "description": "the city or province that gave it"},
        "set_at": spec.TIMESTAMP,
        "version": {"type": "integer"},
    }
)
TARGET_INPUT = spec.obj(
    {
        "funds_out_of_province_wan": MONEY_INPUT,
        "funds_in_province_wan": MONEY_INPUT,
        "funds_in_city_wan": MONEY_INPUT,
        "funds_foreign_wan": MONEY_INPUT,
        "big_projects": COUNT_OR_NULL,
        "signings": COUNT_OR_NULL,
        "starts": COUNT_OR_NULL,
        "version": {"type": "integer", "minimum": 0},
    },
    closed=True,
)
RANKED = spec.obj(
    {
        "id": {"type": "integer", "description": "the frozen quarter's snapshot"},
        "county_id": {"type": "integer"},
        "rank": {"type": "integer"},
        "ranked": {"type": "integer", "description": "a county's own answer: how many counties were ranked"},
        "score": {"type": "string"},
        "county_class": {"type": "string", "enum": list(COUNTY_CLASSES)},
        "funds_ytd_wan": spec.MONEY,
        "scores": {"type": "object", "additionalProperties": {"type": "string"}},
        "bonus": {"type": "string"},
        "penalty": {"type": "string"},
    }
)
REVIEWS = spec.obj(
    {
        "quarter": {"type": "string"},
        "items": {"type": "array", "items": spec.ref("ReviewRanked")},
        "total": {"type": "integer"},
        "page": {"type": "integer"},
        "per_page": {"type": "integer"},
    }
)
COUNTY_REVIEW = spec.obj(
    {
        "county_id": {"type": "integer"},
        "quarter": {"type": "string"},
        "frozen_at": spec.TIMESTAMP,
        "frozen_by_id": spec.ID_OR_NULL,
        "figures": {"type": "object", "description": "the figures as frozen (docs/design.md)"},
        "changes": {"type": "object", "description": "同比 (yoy) and 环比 (qoq) of the quarter's figures"},
        "imported": {"type": ["object", "null"]},
    }
)

PATHS = {
    "/targets": {
        "get": spec.operation(
            "The year's targets of the counties the reader reads (given by their city or province)",
            "200",
            "Targets",
            spec.page_of("ReviewTarget"),
            refusals=("403",),
            parameters=[YEAR_QUERY, *spec.PAGE_PARAMETERS],
        )
    },
    "/targets/{county_id}/{year}": {
        "parameters": [spec.path_id("county_id"), YEAR_PATH],
        "put": spec.operation(
            "A coordinator over the county sets its targets for the year",
            "200",
            "The target",
            spec.ref("ReviewTarget"),
            refusals=("403", "404", "409", "422"),
            body=TARGET_INPUT,
        ),
    },
    "/reviews": {
        "get": spec.operation(
            "A coordinator: the quarter's ranking of its counties; a county: its own rank only",
            "200",
            "The ranking",
            spec.ref("ReviewList"),
            refusals=("403",),
            parameters=[QUARTER_QUERY, *spec.PAGE_PARAMETERS],
        )
    },
    "/reviews/{county_id}/{quarter}": {
        "parameters": [spec.path_id("county_id"), QUARTER_PATH],
        "get": spec.operation(
            "A county's frozen quarter with 同比/环比",
            "200",
            "The frozen quarter",
            spec.ref("CountyReview"),
            refusals=("403", "404"),
        ),
    },
    "/reviews/{county_id}/{quarter}/freeze": {
        "parameters": [spec.path_id("county_id"), QUARTER_PATH],
        "post": spec.operation(
            "A coordinator over the county freezes an ended quarter (once)",
            "201",
            "Frozen",
            spec.obj(
                {
                    "county_id": {"type": "integer"},
                    "quarter": {"type": "string"},
                    "figures": {"type": "object"},
                }
            ),
            refusals=("403", "404", "409", "422"),
        ),
    },
    "/review-classes/{county_id}/{year}": {
        "parameters": [spec.path_id("county_id"), YEAR_PATH],
        "put": spec.operation(
            "A coordinator over the county sets its class for the year",
            "200",
            "The class",
            spec.obj(
                {
                    "county_id": {"type": "integer"},
                    "year": {"type": "integer"},
                    "county_class": {"type": "string"},
                }
            ),
            refusals=("403", "404", "422"),
            body=spec.obj(
                {"county_class": {"type": "string", "enum": list(COUNTY_CLASSES)}},
                required=("county_class",),
                closed=True,
            ),
        ),
    },
    "/review-weights/{year}/{county_class}": {
        "parameters": [
            YEAR_PATH,
            {
                "name": "county_class",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "enum": list(COUNTY_CLASSES)},
            },
        ],
        "put": spec.operation(
            "A coordinator sets its region's weights (whole percents summing to 100) for a year and class",
            "200",
            "The weights",
            spec.obj(
                {
                    "region_id": {"type": "integer"},
                    "year": {"type": "integer"},
                    "county_class": {"type": "string"},
                    "weights": {"type": "object", "additionalProperties": {"type": "integer"}},
                }
            ),  # fmt: skip
            refusals=("403", "422"),
            body=spec.obj(
                {
                    "weights": spec.obj(
                        {code: {"type": "integer", "minimum": 0, "maximum": 100} for code in INDICATORS},
                        closed=True,
                    )
                },
                required=("weights",),
                closed=True,
            ),
        ),
    },
}

SCHEMAS = {
    "ReviewTarget": TARGET,
    "ReviewRanked": RANKED,
    "ReviewList": REVIEWS,
    "CountyReview": COUNTY_REVIEW,
}
