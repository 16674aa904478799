"""The dashboard's cost does not grow with the counties or the projects it covers.

A province coordinator reads a hundred counties; the figures must come from a fixed
number of grouped statements (no query per county or per project), and computing them
for several counties at once must give each county the figures it has on its own.
Statements are counted with an engine ``before_cursor_execute`` listener; no timings.
"""

from datetime import date
from decimal import Decimal

import pytest
from dashboard_data import add_project
from sql_statements import counted_statements

from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.dashboard.figures import REPORTED_STAGES, median_of_counts
from crm.dashboard.services import build_dashboard, figures_json

TODAY = date(2026, 3, 31)


def _page_statements(app, client, auth, username, path="/dashboard"):
    auth.login(username)
    client.get(path)  # warm up: the first request may load things once per process
    with counted_statements(app) as counter:
        response = client.get(path)
    assert response.status_code == 200
    auth.logout()
    return counter.n


def test_page_statements_same_for_one_and_three_counties(app, client, auth, dashboard_three_counties):
    """Coordinators of one county (xian: 蓝田县) and of three (prov) run the same statements;
    a county user runs one fewer (its scope needs no region tree)."""
    app.config["TODAY"] = TODAY
    one = _page_statements(app, client, auth, "xian")
    three = _page_statements(app, client, auth, "prov")
    assert one == three
    assert _page_statements(app, client, auth, "a_leader") <= one


def test_api_statements_same_for_one_and_three_counties(app, api, dashboard_three_counties):
    path = "/api/v1/dashboard?as_of=2026-03-31"
    api.get(path, as_user="xian")
    api.get(path, as_user="prov")
    with counted_statements(app) as one:
        assert len(api.get(path, as_user="xian").get_json()["counties"]) == 1
    with counted_statements(app) as three:
        data = api.get(path, as_user="prov").get_json()
    assert one.n == three.n
    assert len(data["counties"]) == 3


def test_statements_do_not_grow_with_projects(app, dashboard_three_counties):
    ids = sorted(dashboard_three_counties.ids[code] for code in ("610323", "610324", "610122"))
    with app.test_request_context(), system_scope(), counted_statements(app) as before:
        build_dashboard(ids, TODAY)
    with app.app_context(), system_scope():
        for number in range(25):
            add_project(
                ids[number % 3],
                f"N{number}",
                "signed",
                100 + number,
                signed_on="2026-02-01",
                next_follow_up_on="2026-03-01",
                history=[("lead", "2026-01-01"), ("negotiating", "2026-01-15"), ("signed", "2026-02-01")],
                funds=[("2026-02", "in_city", "10")],
            )
        db.session.commit()
    with app.test_request_context(), system_scope(), counted_statements(app) as after:
        build_dashboard(ids, TODAY)
    # 9: the benefit-sharing agreements naming the counties are read once (crm/coordination/shares.py).
    assert before.n == after.n <= 9


def test_counties_together_equal_each_county_alone(app, dashboard_three_counties):
    ids = sorted(dashboard_three_counties.ids[code] for code in ("610323", "610324", "610122"))
    with app.test_request_context(), system_scope():
        together = build_dashboard(ids, TODAY)
        alone = {cid: build_dashboard([cid], TODAY) for cid in ids}
    for county in together.counties:
        single = figures_json(alone[county.county_id])["total"]
        assert figures_json(together)["counties"][ids.index(county.county_id)] == {
            **single,
            "county_id": county.county_id,
        }
    for step, index in zip(together.funnel, range(8)):
        assert step["reached"] == sum(alone[cid].funnel[index]["reached"] for cid in ids)
    assert together.funds_by_month == [
        sum((alone[cid].funds_by_month[m] for cid in ids), Decimal(0)) for m in range(3)
    ]
    assert together.overdue_count == sum(alone[cid].overdue_count for cid in ids)
    for stage in REPORTED_STAGES:
        assert together.total.stages[stage][0] == sum(alone[cid].total.stages[stage][0] for cid in ids)


def test_fallbacks_in_the_third_county(app, dashboard_three_counties):
    c = dashboard_three_counties.ids["610122"]
    with app.test_request_context(), system_scope():
        d = build_dashboard([c], TODAY)
    # C1 on hold, no signed_on: signed on 2026-02-10 by its history; C3 produced this year
    assert {s: n for s, (n, _) in d.total.stages.items()} == {
        "signed": 1,
        "registered": 0,
        "started": 0,
        "producing": 1,
    }
    assert d.total.stages["signed"][1] == Decimal("4000.00")
    assert d.total.funds_by_origin["foreign"] == Decimal("500.00")
    assert d.funds_by_month == [Decimal("300.00"), Decimal(0), Decimal("200.00")]
    # furthest stages: C1 signed (history), C2 visited (current stage, no history), C3 producing
    assert [s["reached"] for s in d.funnel] == [3, 3, 3, 2, 2, 1, 1, 1]
    assert d.overdue_count == 1 and d.overdue[0].name == "C2 无记录"
    # stays: lead 36 (C1), 61 (C3); signed 19 (C1), 30 (C3); registered 62; started 141
    assert d.median_days["lead"] == 48.5 and d.median_days["signed"] == 24.5
    assert d.median_days["registered"] == 62.0 and d.median_days["started"] == 141.0


@pytest.mark.parametrize(
    "counts, expected",
    [
        ({}, None),
        ({5.0: 1}, 5.0),
        ({1.0: 1, 2.0: 1}, 1.5),
        ({1.0: 2, 9.0: 1}, 1.0),
        ({1.0: 1, 4.0: 2, 9.0: 1}, 4.0),
        ({1.0: 1, 3.0: 1, 9.0: 1, 20.0: 1}, 6.0),
    ],
)
def test_median_of_counts(counts, expected):
    assert median_of_counts(counts) == expected
