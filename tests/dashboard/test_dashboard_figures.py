"""Dashboard figures against values worked out by hand for a small county.

Today is 2026-03-31: day 90 of a 365-day year, so 序时进度 = target × 90 / 365.
"""

from datetime import date
from decimal import Decimal

from crm.core.tenancy import system_scope
from crm.dashboard.services import build_dashboard, figures_json

TODAY = date(2026, 3, 31)


def test_county_figures(app, dashboard_world):
    with app.test_request_context(), system_scope():
        d = build_dashboard([dashboard_world.county_a], TODAY)
    t = d.total
    assert {s: n for s, (n, _) in t.stages.items()} == {
        "signed": 3,
        "registered": 2,
        "started": 2,
        "producing": 1,
    }
    assert {s: p for s, (_, p) in t.stages.items()} == {
        "signed": Decimal("20000.00"),
        "registered": Decimal("18000.00"),
        "started": Decimal("18000.00"),
        "producing": Decimal("10000.00"),
    }
    assert t.funds_ytd == Decimal("5250.00")
    assert t.funds_by_origin == {
        "out_of_province": Decimal("3000.00"),
        "in_province": Decimal("1500.00"),
        "in_city": Decimal("250.00"),
        "foreign": Decimal("500.00"),
    }
    assert t.target == Decimal("36500.00")
    assert t.time_target == Decimal("9000.00")
    assert t.time_completion == Decimal("0.5833")
    assert t.annual_completion == Decimal("0.1438")
    assert d.funds_by_month == [Decimal("1000.00"), Decimal("2000.00"), Decimal("2250.00")]
    assert d.overdue_count == 2
    assert [row.name for row in d.overdue] == ["P4 退回洽谈", "P1 投产"]


def test_funnel_and_median_days(app, dashboard_world):
    with app.test_request_context(), system_scope():
        d = build_dashboard([dashboard_world.county_a], TODAY)
    assert [(s["stage"], s["reached"]) for s in d.funnel] == [
        ("lead", 6),
        ("contacted", 5),
        ("visited", 5),
        ("negotiating", 5),
        ("signed", 5),
        ("registered", 2),
        ("started", 2),
        ("producing", 1),
    ]
    assert [s["conversion"] for s in d.funnel] == [
        None,
        Decimal("0.8333"),
        Decimal("1.0000"),
        Decimal("1.0000"),
        Decimal("1.0000"),
        Decimal("0.4000"),
        Decimal("1.0000"),
        Decimal("0.5000"),
    ]
    # stays: lead 10, 20, 61, 63; contacted 20, 20; visited 10; negotiating 40, 21, 45 (P4's second stay
    # is still open); signed 22, 17, 5; registered 14, 19; started 33
    assert d.median_days == {
        "lead": 40.5,
        "contacted": 20.0,
        "visited": 10.0,
        "negotiating": 40.0,
        "signed": 17.0,
        "registered": 16.5,
        "started": 33.0,
    }


def test_coordinator_totals_and_ranking(app, dashboard_world):
    with app.test_request_context(), system_scope():
        d = build_dashboard([dashboard_world.county_a, dashboard_world.county_b], TODAY)
    assert d.total.stages["signed"] == (4, Decimal("27000.00"))
    assert d.total.funds_ytd == Decimal("9250.00")
    assert d.total.target == Decimal("46500.00")
    assert d.total.time_target == Decimal("11465.75")
    b = next(c for c in d.counties if c.county_id == dashboard_world.county_b)
    assert (b.funds_ytd, b.time_target, b.time_completion) == (
        Decimal("4000.00"),
        Decimal("2465.75"),
        Decimal("1.6222"),
    )
    data = figures_json(d)
    assert data["total"]["funds_ytd_wan"] == "9250.00" and len(data["counties"]) == 2


def test_page_shows_own_county_only(app, client, auth, dashboard_world):
    app.config["TODAY"] = TODAY
    auth.login("a_leader")
    body = client.get("/dashboard").get_data(as_text=True)
    assert 'data-testid="count-signed">3<' in body
    assert 'data-testid="funds-ytd">5,250.00 万元<' in body
    assert 'data-testid="time-target">9,000.00 万元<' in body
    assert 'data-testid="time-completion">58.3%<' in body
    assert "P7 扶风签约" not in body and 'data-testid="ranking"' not in body
    assert "设置年度目标" not in body  # leaders read only
    assert 'type="application/json" id="dashboard-data"' in body
    assert "<script>" not in body  # no inline script without a nonce


def test_coordinator_page_ranks_counties(app, client, auth, dashboard_world):
    app.config["TODAY"] = TODAY
    auth.login("city")
    body = client.get("/dashboard").get_data(as_text=True)
    assert 'data-testid="count-signed">4<' in body
    ranking = body[body.index('data-testid="ranking"') :]
    assert ranking.index("扶风县") < ranking.index("岐山县")
    assert "162.2%" in ranking and "58.3%" in ranking


def test_api_figures_and_roles(app, api, dashboard_world):
    data = api.get("/api/v1/dashboard?as_of=2026-03-31", as_user="a_staff").get_json()
    assert data["total"]["stages"]["signed"] == {"count": 3, "planned_investment_wan": "20000.00"}
    assert data["total"]["time_proportional_target_wan"] == "9000.00"
    assert data["funnel"][1] == {"stage": "contacted", "reached": 5, "conversion": "0.8333"}
    other = api.get("/api/v1/dashboard?as_of=2026-03-31", as_user="b_staff").get_json()
    assert other["total"]["funds_ytd_wan"] == "4000.00"
    assert api.get("/api/v1/dashboard", as_user="admin").status_code == 403
    assert api.get("/api/v1/dashboard?as_of=soon", as_user="a_staff").status_code == 400


def test_admin_has_no_dashboard(client, auth, world):
    auth.login("admin")
    assert client.get("/dashboard").status_code == 403
