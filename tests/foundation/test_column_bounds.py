"""Numbers past their columns are refused at the flush, on both databases, naming the field
(PostgreSQL answered 500 "numeric field overflow" where a service's own bound was wider
than its column; SQLite stored them)."""

from __future__ import annotations

import re

from record_support import owned_project, save_records


def test_a_land_figure_past_its_column_is_a_field_error(app, client, auth, world):
    auth.login("a_manager")
    page = client.get("/land/efficiency/rules").get_data(as_text=True)
    assert "threshold_a" in page
    fields = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', page))
    response = client.post("/land/efficiency/rules", data={**fields, "threshold_a": "50000"})
    assert response.status_code == 422 and "数字过大" in response.get_data(as_text=True)


def test_a_reward_rule_cap_past_its_column_is_refused_on_the_api(api, world):
    rule = {
        "name": "审计规则",
        "year": 2026,
        "basis": "funds_in_place",
        "milestone": "signed",
        "mode": "bracket",
        "tiers": [{"upper_wan": None, "rate_permille": "5"}],
    }
    for field in ("cap_wan", "min_planned_investment_wan"):
        refused = api.post(
            "/api/v1/reward-rules", as_user="a_manager", json={**rule, field: "99999999999999999"}
        )
        assert refused.status_code == 422, refused.get_json()
        assert list(refused.get_json()["errors"]) == [field]
    assert (
        api.post("/api/v1/reward-rules", as_user="a_manager", json={**rule, "cap_wan": "500"}).status_code
        == 201
    )


def test_the_check_reads_every_column_of_what_is_flushed(app, world):
    from crm.core.column_bounds import numbers_past_their_columns

    project = owned_project(
        world, "a_staff", "超大项目", "lead", planned_investment_wan=10**13, expected_jobs=2**31
    )
    assert set(numbers_past_their_columns(project)) == {"planned_investment_wan", "expected_jobs"}
    fits = owned_project(
        world, "a_staff", "正常项目", "lead", planned_investment_wan=99999, expected_jobs=300
    )
    assert numbers_past_their_columns(fits) == {}
    assert save_records(app, {"p": fits})["p"] > 0
