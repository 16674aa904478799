"""Score and ranking reproduced by review_oracle.py (the design's rules over the raw facts):
weights per year and county class, the imported indicators, bonus and penalty, ties."""

from __future__ import annotations

from decimal import Decimal

import pytest
import review_oracle as oracle
from review_helpers import (
    HEADERS,
    IMPORTED,
    ORACLE_TARGET_A,
    WEIGHTS_DEVELOPMENT,
    close_the_quarter,
    expected_scores,
    freeze,
    import_sheet,
    put,
    set_targets,
    sheet_csv,
)

from crm.review.indicators import rank


def _prepare(api, client, auth, world):
    set_targets(api, world)
    assert (
        put(
            api, f"/api/v1/review-classes/{world.county_b}/2026", "city", {"county_class": "agricultural"}
        ).status_code
        == 200
    )
    weights = put(api, "/api/v1/review-weights/2026/development", "city", {"weights": WEIGHTS_DEVELOPMENT})
    assert weights.status_code == 200, weights.get_json()
    close_the_quarter(api, client, auth, world)


def test_scores_and_ranks_match_the_independent_calculation(api, client, auth, world, review_case):
    _prepare(api, client, auth, world)
    body = api.get("/api/v1/reviews?quarter=2026Q3", as_user="city").get_json()
    got = {item["county_id"]: item for item in body["items"]}
    # A is 重点开发区 with the city's weights; B 农产品主产区, for which neither the city nor
    # the province set weights: the defaults.
    expected_a, expected_b = expected_scores()
    assert Decimal(got[world.county_a]["score"]) == expected_a
    assert Decimal(got[world.county_b]["score"]) == expected_b
    assert got[world.county_b]["scores"]["gdp"] == "120.00"  # 130 % is capped
    funds = {c: oracle.figures(c, 2026, 3)["funds_ytd"] for c in "ab"}
    ranks = oracle.ranks({"a": (expected_a, funds["a"]), "b": (expected_b, funds["b"])})
    assert (got[world.county_a]["rank"], got[world.county_b]["rank"]) == (ranks["a"], ranks["b"])
    # The province ranks the same counties with the defaults (the city's weights are the city's).
    province = api.get("/api/v1/reviews?quarter=2026Q3", as_user="prov").get_json()["items"]
    by_county = {item["county_id"]: Decimal(item["score"]) for item in province}
    assert by_county[world.county_a] == oracle.score(
        "a", 2026, 3, ORACLE_TARGET_A, IMPORTED["610323"], oracle.DEFAULT_WEIGHTS
    )


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ([(1, "90", "5"), (2, "90", "7"), (3, "80", "1")], {2: 1, 1: 2, 3: 3}),  # tie: more 落地金额 first
        ([(1, "80", "1"), (2, "80", "1"), (3, "95", "0")], {3: 1, 1: 2, 2: 2}),  # still equal: shared
        ([(1, "70", "0"), (2, "70", "0"), (3, "70", "0"), (4, "60", "9")], {1: 1, 2: 1, 3: 1, 4: 4}),
    ],
)
def test_ties_go_to_higher_funds_then_share_the_rank(entries, expected):
    as_decimals = [(c, Decimal(s), Decimal(f)) for c, s, f in entries]
    assert rank(as_decimals) == expected
    oracle_view = {c: (Decimal(s), Decimal(f)) for c, s, f in entries}
    assert oracle.ranks(oracle_view) == expected


def test_weights_must_be_whole_percents_summing_to_100(api, world):
    path = "/api/v1/review-weights/2026/development"
    assert put(api, path, "city", {"weights": {"funds": 60, "gdp": 30}}).status_code == 422
    assert put(api, path, "city", {"weights": {"funds": 100, "nonsense": 0}}).status_code == 422
    assert put(api, path, "a_manager", {"weights": {"funds": 100}}).status_code == 403
    assert put(api, path, "city", {"weights": {"funds": 100}}).status_code == 200


def test_the_import_is_all_or_nothing(api, client, auth, world, review_case):
    wrong_header = import_sheet(client, auth, "2026Q3", sheet_csv(headers=HEADERS[:-1]))
    assert wrong_header.status_code == 422
    outside = dict(IMPORTED) | {"610122": IMPORTED["610324"]}  # 蓝田县 is Xi'an's
    refused = import_sheet(client, auth, "2026Q3", sheet_csv(outside))
    assert refused.status_code == 422 and "610122" in refused.get_data(as_text=True)
    bad = {"610323": IMPORTED["610323"] | {"gdp": "abc"}}
    assert import_sheet(client, auth, "2026Q3", sheet_csv(bad)).status_code == 422
    assert import_sheet(client, auth, "2026Q3", sheet_csv(), username="a_manager").status_code == 403
    freeze(api, world.county_a, "2026Q3")
    body = api.get(f"/api/v1/reviews/{world.county_a}/2026Q3", as_user="city").get_json()
    assert body["imported"] is None  # nothing of the refused sheets was kept
