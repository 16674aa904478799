"""Dashboard figures against values worked out by hand for a small county.

Today is 2026-03-31: day 90 of a 365-day year, so 序时进度 = target × 90 / 365.
"""
from datetime import date, datetime
from decimal import Decimal

import pytest

from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.dashboard.services import build_dashboard, figures_json
from crm.funds.models import CountyTarget, FundsRecord
from crm.projects.models import Project, StageChange

TODAY = date(2026, 3, 31)
D = date.fromisoformat


def _project(county, name, stage, planned=None, history=(), funds=(), **dates):
    project = Project(name=name, county_id=county, stage=stage,
                      planned_investment_wan=Decimal(planned) if planned else None,
                      **{k: D(v) if isinstance(v, str) else v for k, v in dates.items()})
    db.session.add(project)
    db.session.flush()
    previous = None
    for number, (to_stage, reached_on) in enumerate(history):
        db.session.add(StageChange(county_id=county, project_id=project.id, from_stage=previous, to_stage=to_stage,
                                   reached_on=D(reached_on), changed_at=datetime(2026, 1, 1, 0, 0, number)))
        previous = to_stage
    for month, origin, amount in funds:
        db.session.add(FundsRecord(county_id=county, project_id=project.id, month=D(month + "-01"), origin=origin,
                                   amount_wan=Decimal(amount)))
    return project


@pytest.fixture
def dash_world(app, world):
    a, b = world.county_a, world.county_b
    with app.app_context(), system_scope():
        _project(a, "P1 投产", "producing", 10000, signed_on="2026-01-10", registered_on="2026-02-01",
                 construction_started_on="2026-02-15", production_started_on="2026-03-20",
                 next_follow_up_on="2026-03-30",
                 history=[("lead", "2025-11-01"), ("contacted", "2025-11-11"), ("negotiating", "2025-12-01"),
                          ("signed", "2026-01-10"), ("registered", "2026-02-01"), ("started", "2026-02-15"),
                          ("producing", "2026-03-20")],
                 funds=[("2025-12", "out_of_province", "9999"), ("2026-01", "out_of_province", "1000"),
                        ("2026-02", "out_of_province", "2000"), ("2026-03", "foreign", "500"),
                        ("2026-04", "in_city", "777")])
        _project(a, "P2 去年签约", "signed", 5000, signed_on="2025-12-20", history=[("signed", "2025-12-20")])
        # registered without a registered_on date: reached on the day it passed into registered
        _project(a, "P3 开工", "started", 8000, signed_on="2026-02-01", construction_started_on="2026-03-01",
                 history=[("lead", "2025-12-01"), ("contacted", "2025-12-21"), ("visited", "2026-01-10"),
                          ("negotiating", "2026-01-20"), ("registered", "2026-02-10"), ("started", "2026-03-01")],
                 funds=[("2026-03", "in_province", "1500"), ("2026-03", "in_city", "250")])
        # moved back to negotiating by a manager: no longer counts as signed
        _project(a, "P4 退回洽谈", "negotiating", 3000, signed_on="2026-01-15", next_follow_up_on="2026-02-01",
                 history=[("lead", "2025-10-01"), ("negotiating", "2025-12-01"), ("signed", "2026-01-15"),
                          ("negotiating", "2026-02-01")])
        # lost after signing: the signing this year still counts
        _project(a, "P5 签约后终止", "lost", 2000, signed_on="2026-03-05", next_follow_up_on="2026-03-01",
                 history=[("lead", "2026-01-01"), ("signed", "2026-03-05"), ("lost", "2026-03-10")])
        _project(a, "P6 新线索", "lead", next_follow_up_on="2026-03-31", history=[("lead", "2026-03-01")])
        _project(b, "P7 扶风签约", "signed", 7000, signed_on="2026-03-01", history=[("signed", "2026-03-01")],
                 funds=[("2026-02", "in_city", "4000")])
        db.session.add_all([CountyTarget(county_id=a, year=2026, funds_target_wan=Decimal("36500")),
                            CountyTarget(county_id=a, year=2025, funds_target_wan=Decimal("99999")),
                            CountyTarget(county_id=b, year=2026, funds_target_wan=Decimal("10000"))])
        db.session.commit()
    return world


def test_county_figures(app, dash_world):
    with app.test_request_context(), system_scope():
        d = build_dashboard([dash_world.county_a], TODAY)
    t = d.total
    assert {s: n for s, (n, _) in t.stages.items()} == {"signed": 3, "registered": 2, "started": 2, "producing": 1}
    assert {s: p for s, (_, p) in t.stages.items()} == {
        "signed": Decimal("20000.00"), "registered": Decimal("18000.00"), "started": Decimal("18000.00"),
        "producing": Decimal("10000.00")}
    assert t.funds_ytd == Decimal("5250.00")
    assert t.funds_by_origin == {"out_of_province": Decimal("3000.00"), "in_province": Decimal("1500.00"),
                                 "in_city": Decimal("250.00"), "foreign": Decimal("500.00")}
    assert t.target == Decimal("36500.00")
    assert t.time_target == Decimal("9000.00")
    assert t.time_completion == Decimal("0.5833")
    assert t.annual_completion == Decimal("0.1438")
    assert d.funds_by_month == [Decimal("1000.00"), Decimal("2000.00"), Decimal("2250.00")]
    assert d.overdue_count == 2
    assert [row.name for row in d.overdue] == ["P4 退回洽谈", "P1 投产"]


def test_funnel_and_median_days(app, dash_world):
    with app.test_request_context(), system_scope():
        d = build_dashboard([dash_world.county_a], TODAY)
    assert [(s["stage"], s["reached"]) for s in d.funnel] == [
        ("lead", 6), ("contacted", 5), ("visited", 5), ("negotiating", 5), ("signed", 5), ("registered", 2),
        ("started", 2), ("producing", 1)]
    assert [s["conversion"] for s in d.funnel] == [
        None, Decimal("0.8333"), Decimal("1.0000"), Decimal("1.0000"), Decimal("1.0000"), Decimal("0.4000"),
        Decimal("1.0000"), Decimal("0.5000")]
    # stays: lead 10, 20, 61, 63; contacted 20, 20; visited 10; negotiating 40, 21, 45 (P4's second stay
    # is still open); signed 22, 17, 5; registered 14, 19; started 33
    assert d.median_days == {"lead": 40.5, "contacted": 20.0, "visited": 10.0, "negotiating": 40.0,
                             "signed": 17.0, "registered": 16.5, "started": 33.0}


def test_coordinator_totals_and_ranking(app, dash_world):
    with app.test_request_context(), system_scope():
        d = build_dashboard([dash_world.county_a, dash_world.county_b], TODAY)
    assert d.total.stages["signed"] == (4, Decimal("27000.00"))
    assert d.total.funds_ytd == Decimal("9250.00")
    assert d.total.target == Decimal("46500.00")
    assert d.total.time_target == Decimal("11465.75")
    b = next(c for c in d.counties if c.county_id == dash_world.county_b)
    assert (b.funds_ytd, b.time_target, b.time_completion) == (Decimal("4000.00"), Decimal("2465.75"),
                                                               Decimal("1.6222"))
    data = figures_json(d)
    assert data["total"]["funds_ytd_wan"] == "9250.00" and len(data["counties"]) == 2


def test_page_shows_own_county_only(app, client, auth, dash_world):
    app.config["TODAY"] = TODAY
    auth.login("a_leader")
    body = client.get("/dashboard").get_data(as_text=True)
    assert 'data-testid="count-signed">3<' in body
    assert 'data-testid="funds-ytd">5,250.00<' in body
    assert 'data-testid="time-target">9,000.00<' in body
    assert 'data-testid="time-completion">58.3%<' in body
    assert "P7 扶风签约" not in body and 'data-testid="ranking"' not in body
    assert "设置年度目标" not in body  # leaders read only
    assert 'type="application/json" id="dashboard-data"' in body
    assert "<script>" not in body  # no inline script without a nonce


def test_coordinator_page_ranks_counties(app, client, auth, dash_world):
    app.config["TODAY"] = TODAY
    auth.login("city")
    body = client.get("/dashboard").get_data(as_text=True)
    assert 'data-testid="count-signed">4<' in body
    ranking = body[body.index('data-testid="ranking"'):]
    assert ranking.index("扶风县") < ranking.index("岐山县")
    assert "162.2%" in ranking and "58.3%" in ranking


def test_api_figures_and_roles(app, api, dash_world):
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
