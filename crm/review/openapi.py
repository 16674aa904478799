"""OpenAPI paths and schemas of targets from above and the quarterly review."""

from __future__ import annotations

from crm.api import openapi as spec
from crm.review.indicators import COUNTY_CLASSES, INDICATORS

__all__ = ["PATHS", "SCHEMAS"]

COUNT_OR_NULL = {"type": ["integer", "null"], "minimum": 0, "maximum": 100000}
MONEY_INPUT = {"type": ["string", "number", "null"], "description": "万元 (≥ 0); null: not given"}
QUARTER = {"type": "string", "pattern": "^[0-9]{4}[Qq][1-4]$"}
YEAR = {"type": "integer", "minimum": 2000, "maximum": 2100}
QUARTER_PATH = spec.path_parameter("quarter", QUARTER, "a quarter such as 2026Q3")
QUARTER_QUERY = spec.query(
    "quarter", QUARTER, "a quarter such as 2026Q3 (default: the last ended quarter)", required=False
)
YEAR_PATH = spec.path_parameter("year", YEAR)
YEAR_QUERY = spec.query("year", YEAR, required=False)
COUNTY_ID = spec.path_id("county_id")

TARGET = spec.obj(
    {
        "id": spec.INTEGER,
        "county_id": spec.INTEGER,
        "year": spec.INTEGER,
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
        "set_by_id": spec.INTEGER,
        "set_by_region_id": {"type": "integer", "description": "the city or province that gave it"},
        "set_at": spec.TIMESTAMP,
        "version": spec.INTEGER,
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
        "county_id": spec.INTEGER,
        "rank": spec.INTEGER,
        "ranked": {"type": "integer", "description": "a county's own answer: how many counties were ranked"},
        "score": spec.STRING,
        "county_class": {"type": "string", "enum": list(COUNTY_CLASSES)},
        "funds_ytd_wan": spec.MONEY,
        "scores": {"type": "object", "additionalProperties": spec.STRING},
        "bonus": spec.STRING,
        "penalty": spec.STRING,
    }
)
# One page of the ranking, and the quarter it ranks.
REVIEWS = spec.obj({"quarter": spec.STRING, **spec.page_of("ReviewRanked")["properties"]})
COUNTY_REVIEW = spec.obj(
    {
        "county_id": spec.INTEGER,
        "quarter": spec.STRING,
        "frozen_at": spec.TIMESTAMP,
        "frozen_by_id": spec.ID_OR_NULL,
        "figures": {"type": "object", "description": "the figures as frozen (docs/design.md)"},
        "changes": {"type": "object", "description": "同比 (yoy) and 环比 (qoq) of the quarter's figures"},
        "imported": {"type": ["object", "null"]},
    }
)

PATHS = {
    "/targets": {
        "get": spec.get_page(
            "The year's targets of the counties the reader reads (given by their city or province)",
            "ReviewTarget",
            "Targets",
            parameters=[YEAR_QUERY],
            refusals=("403",),
        )
    },
    "/targets/{county_id}/{year}": spec.at(
        [COUNTY_ID, YEAR_PATH],
        put=spec.change(
            "A coordinator over the county sets its targets for the year. Every figure is "
            "replaced: a change of targets that exist carries their `version` (stale or "
            "missing: 409 with the stored figures)",
            "ReviewTarget",
            TARGET_INPUT,
            "The target",
        ),
    ),
    "/reviews": {
        "get": spec.get_one(
            "A coordinator: the quarter's ranking of its counties; a county: its own rank only",
            "ReviewList",
            "The ranking",
            refusals=("403",),
            parameters=[QUARTER_QUERY, *spec.PAGE_PARAMETERS],
        )
    },
    "/reviews/{county_id}/{quarter}": spec.at(
        [COUNTY_ID, QUARTER_PATH],
        get=spec.get_one(
            "A county's frozen quarter with 同比/环比",
            "CountyReview",
            "The frozen quarter",
            refusals=("403", "404"),
        ),
    ),
    "/reviews/{county_id}/{quarter}/freeze": spec.at(
        [COUNTY_ID, QUARTER_PATH],
        post=spec.operation(
            "A coordinator over the county freezes an ended quarter (once)",
            "201",
            "Frozen",
            spec.obj(
                {
                    "county_id": spec.INTEGER,
                    "quarter": spec.STRING,
                    "figures": {"type": "object"},
                }
            ),
            refusals=("403", "404", "409", "422"),
        ),
    ),
    "/review-classes/{county_id}/{year}": spec.at(
        [COUNTY_ID, YEAR_PATH],
        put=spec.operation(
            "A coordinator over the county sets its class for the year",
            "200",
            "The class",
            spec.obj(
                {
                    "county_id": spec.INTEGER,
                    "year": spec.INTEGER,
                    "county_class": spec.STRING,
                }
            ),
            refusals=("403", "404", "422"),
            body=spec.obj(
                {"county_class": {"type": "string", "enum": list(COUNTY_CLASSES)}},
                required=("county_class",),
                closed=True,
            ),
        ),
    ),
    "/review-weights/{year}/{county_class}": spec.at(
        [YEAR_PATH, spec.path_parameter("county_class", {"type": "string", "enum": list(COUNTY_CLASSES)})],
        put=spec.operation(
            "A coordinator sets its region's weights (whole percents summing to 100) for a year and class",
            "200",
            "The weights",
            spec.obj(
                {
                    "region_id": spec.INTEGER,
                    "year": spec.INTEGER,
                    "county_class": spec.STRING,
                    "weights": {"type": "object", "additionalProperties": spec.INTEGER},
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
    ),
}

SCHEMAS = {
    "ReviewTarget": TARGET,
    "ReviewRanked": RANKED,
    "ReviewList": REVIEWS,
    "CountyReview": COUNTY_REVIEW,
}
