"""The coordinator's weights and county classes set on a page: each class's weights sum to
100 (a wrong sum re-renders with the input kept), and the ranking scores with what was saved."""

from __future__ import annotations

import re
from decimal import Decimal

from review_helpers import WEIGHTS_DEVELOPMENT, close_the_quarter, expected_scores, set_targets

from crm.review.forms import class_field_name, weight_field_name
from crm.review.indicators import COUNTY_CLASSES, DEFAULT_WEIGHTS, INDICATORS


def value_of(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page).group(1)


def _posted(world, development: dict, classes: dict) -> dict:
    data = {}
    for county_class in COUNTY_CLASSES:
        weights = development if county_class == "development" else DEFAULT_WEIGHTS
        for code in INDICATORS:
            data[weight_field_name(county_class, code)] = str(weights.get(code, 0))
    for county_id, county_class in classes.items():
        data[class_field_name(county_id)] = county_class
    return data


def test_only_a_coordinator_opens_the_weights_page(client, auth, world):
    auth.login("a_manager")
    assert client.get("/reviews/weights?year=2026").status_code == 403
    auth.logout()
    auth.login("city")
    page = client.get("/reviews/weights?year=2026").get_data(as_text=True)
    assert "2026年点评权重与县域类型" in page and "重点生态功能区" in page
    assert "岐山县" in page and "扶风县" in page and "蓝田县" not in page  # the city's counties only


def test_a_wrong_sum_is_refused_beside_the_class_keeping_the_input(client, auth, world):
    auth.login("city")
    wrong = {**WEIGHTS_DEVELOPMENT, "funds": 45}  # 105
    classes = {world.county_a: "development", world.county_b: "agricultural"}
    refused = client.post("/reviews/weights?year=2026", data=_posted(world, wrong, classes))
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "合计为 105，须为 100" in text
    assert value_of(text, weight_field_name("development", "funds")) == "45"
    # Nothing was saved: the page shows the defaults again.
    again = client.get("/reviews/weights?year=2026").get_data(as_text=True)
    assert value_of(again, weight_field_name("development", "funds")) == str(DEFAULT_WEIGHTS["funds"])


def test_the_ranking_scores_with_the_weights_and_classes_saved_on_the_page(
    api, client, auth, world, review_case
):
    set_targets(api, world)
    auth.login("city")
    classes = {world.county_a: "development", world.county_b: "agricultural"}
    saved = client.post("/reviews/weights?year=2026", data=_posted(world, WEIGHTS_DEVELOPMENT, classes))
    assert saved.status_code == 302
    close_the_quarter(api, client, auth, world)
    got = {
        i["county_id"]: i
        for i in api.get("/api/v1/reviews?quarter=2026Q3", as_user="city").get_json()["items"]
    }
    assert got[world.county_b]["county_class"] == "agricultural"
    expected_a, expected_b = expected_scores()
    assert Decimal(got[world.county_a]["score"]) == expected_a
    assert Decimal(got[world.county_b]["score"]) == expected_b
