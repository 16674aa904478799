"""The frozen quarter: its figures (checked against the design's definitions worked out
again in review_oracle.py), never changed by later edits, frozen once, only when ended,
同比 and 环比, and the CLI."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import review_oracle as oracle
from review_helpers import freeze, set_targets
from sqlalchemy import select

from crm.core.db import db
from crm.core.tenancy import system_scope


def _county_review(api, county_id, quarter, username="city"):
    response = api.get(f"/api/v1/reviews/{county_id}/{quarter}", as_user=username)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_frozen_figures_follow_the_design(api, world, review_case):
    set_targets(api, world)
    assert freeze(api, world.county_a, "2026Q3").status_code == 201
    figures = _county_review(api, world.county_a, "2026Q3")["figures"]
    expected = oracle.figures("a", 2026, 3)
    assert Decimal(figures["funds_ytd_wan"]) == expected["funds_ytd"] == 2200
    assert figures["funds_ytd_by_origin_wan"] == {
        "out_of_province": "1000.00", "in_province": "700.00", "in_city": "500.00", "foreign": "0.00",
    }  # fmt: skip
    assert Decimal(figures["funds_quarter_wan"]) == expected["funds_quarter"] == 800
    assert (
        figures["counts_ytd"]
        == expected["count"]
        == {"signed": 3, "registered": 1, "started": 1, "producing": 1}
    )
    assert figures["counts_quarter"] == expected["count_quarter"]
    assert (
        (figures["big_projects_ytd"], figures["big_projects_quarter"])
        == (expected["big"], expected["big_quarter"])
        == (1, 0)
    )
    for code, pair in expected["rates"].items():
        assert figures["rates"][code]["value"] == oracle.rate_value(pair), code
    assert figures["rates"]["landing_rate"]["value"] == "0.3333"
    assert figures["rates"]["investment_rate"]["value"] == "0.0913"  # 2,100 of 23,000 万元
    assert figures["target"]["funds_wan"] == "4000.00"
    assert figures["land"] == {"without_land": 3, "idle": 0, "not_started": 0, "unsupplied": 0}


def test_a_frozen_quarter_does_not_change_when_projects_are_edited(api, world, review_case, app):
    from crm.funds.models import FundsRecord
    from crm.projects.models import Project

    assert freeze(api, world.county_a, "2026Q3").status_code == 201
    before = _county_review(api, world.county_a, "2026Q3")
    with app.app_context(), system_scope():
        project = db.session.get(Project, review_case.projects["a2"])
        project.planned_investment_wan = Decimal(50000)  # now an 亿元 project
        project.construction_started_on = date(2026, 9, 1)
        project.stage = "started"
        db.session.add(
            FundsRecord(county_id=world.county_a, project_id=project.id, month=date(2026, 9, 1),
                        origin="in_city", amount_wan=Decimal(777),
                        confirmed_at=datetime(2026, 10, 9), confirmed_by_id=world.ids["a_manager"])
        )  # fmt: skip
        db.session.commit()
    after = _county_review(api, world.county_a, "2026Q3")
    assert after["figures"] == before["figures"]
    assert after["frozen_at"] == before["frozen_at"]
    # Freezing again is refused; the live figures moved on.
    assert freeze(api, world.county_a, "2026Q3").status_code == 409
    with app.app_context(), system_scope():
        from crm.review.figures import quarter_figures

        live = quarter_figures(world.county_a, 2026, 3, None, None)
    assert live["big_projects_ytd"] == 2 and live["funds_ytd_wan"] != before["figures"]["funds_ytd_wan"]


def test_only_an_ended_quarter_is_frozen(api, world, review_case):
    refused = freeze(api, world.county_a, "2026Q4")  # the clock is pinned in December 2026
    assert refused.status_code == 422
    assert freeze(api, world.county_a, "2026Q3", username="a_manager").status_code == 403
    assert freeze(api, world.county_a, "2026Q3", username="xian").status_code == 404


def test_year_on_year_and_quarter_on_quarter(api, client, auth, world, review_case):
    assert _changes_without_earlier(api, world)
    for quarter in ("2025Q3", "2026Q2"):
        assert freeze(api, world.county_a, quarter).status_code == 201
    changes = _county_review(api, world.county_a, "2026Q3")["changes"]
    q3, q2, last_year = (oracle.figures("a", *q) for q in ((2026, 3), (2026, 2), (2025, 3)))
    funds = changes["funds_quarter_wan"]
    assert Decimal(funds["yoy"]["difference"]) == q3["funds_quarter"] - last_year["funds_quarter"] == 600
    assert funds["yoy"]["percent"] == "300.00"
    assert Decimal(funds["qoq"]["difference"]) == q3["funds_quarter"] - q2["funds_quarter"] == 400
    assert funds["qoq"]["percent"] == "100.00"
    signed = changes["signed"]
    assert signed["value"] == q3["count_quarter"]["signed"] == 1
    assert signed["yoy"] == {"difference": "1", "percent": None}  # none signed in 2025Q3: no percent
    assert signed["qoq"]["difference"] == str(q3["count_quarter"]["signed"] - q2["count_quarter"]["signed"])
    auth.login("a_leader")  # the county reads its own frozen quarter with both comparisons
    page = client.get(f"/reviews/{world.county_a}/2026Q3").get_data(as_text=True)
    assert "+600（300.00%）" in page and "+400（100.00%）" in page


def _changes_without_earlier(api, world) -> bool:
    assert freeze(api, world.county_a, "2026Q3").status_code == 201
    changes = _county_review(api, world.county_a, "2026Q3")["changes"]
    return all(c["yoy"] is None and c["qoq"] is None for c in changes.values())


def test_the_cli_freezes_every_county_below_a_city(runner, world, review_case, app):
    from crm.review.models import QuarterSnapshot

    result = runner.invoke(args=["review", "freeze", "--quarter", "2026Q3", "--region", "610300"])
    assert result.exit_code == 0, result.output
    assert "岐山县" in result.output and "扶风县" in result.output
    again = runner.invoke(args=["review", "freeze", "--quarter", "2026Q3", "--region", "610323"])
    assert again.exit_code == 0 and "已冻结 (already frozen)" in again.output
    assert (
        runner.invoke(args=["review", "freeze", "--quarter", "2026Q9", "--region", "610323"]).exit_code != 0
    )
    with app.app_context(), system_scope():
        rows = db.session.execute(select(QuarterSnapshot.county_id, QuarterSnapshot.frozen_by_id)).all()
    assert sorted(rows) == sorted([(world.county_a, None), (world.county_b, None)])


def test_a_quarter_or_year_not_like_the_document_says_is_refused_naming_it(api, world):
    for query, name in (("quarter=0000Q1", "quarter"), ("quarter=2026Q5", "quarter"), ("year=99999", "year")):
        path = "/api/v1/reviews?" if name == "quarter" else "/api/v1/targets?"
        refused = api.get(path + query, as_user="city")
        assert refused.status_code in (400, 422), (query, refused.status_code)  # the contract, or the view
        assert name in refused.get_json()["errors"]
