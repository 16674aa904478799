"""Which funds count (issue 14 item 16): confirmed (认定) by a manager and not excluded (bank
loans, government money, local money); the rest is shown apart, on the pages, the dashboard,
the API and the export alike."""

from datetime import date
from decimal import Decimal

import pytest
from record_support import user_named

from crm.core.db import db
from crm.core.errors import ConflictError
from crm.core.tenancy import system_scope
from crm.funds import queries, services
from crm.funds.models import FundsRecord
from crm.projects.models import Project

TODAY = date(2026, 11, 23)


def _values(**kw):
    return {"month": date(2026, 3, 1), "origin": "out_of_province", "amount_wan": Decimal("1000"), **kw}


@pytest.fixture
def three_kinds(app, signed_project_ids):
    """County A's project: 1,000 confirmed 省外, 300 awaiting 认定 (市外省内), 5,000 bank loan."""
    with app.test_request_context(), system_scope():
        project = db.session.get(Project, signed_project_ids["a"])
        counted = services.create_funds(project, _values(), today=TODAY)
        pending = services.create_funds(
            project, _values(origin="in_province", amount_wan=Decimal("300")), today=TODAY
        )
        loan = services.create_funds(
            project, _values(exclusion="bank_loan", amount_wan=Decimal("5000")), today=TODAY
        )
        db.session.flush()
        services.confirm_funds(counted, user_named("a_manager"), version=counted.version)
        db.session.commit()
        return {"counted": counted.id, "pending": pending.id, "loan": loan.id, "project": project.id}


def test_only_confirmed_money_not_excluded_counts(app, world, three_kinds):
    with app.test_request_context(), system_scope():
        figures = queries.year_figures([world.county_a], 2026)
        assert figures.counted_total == Decimal("1000.00")
        assert figures.counted["out_of_province"] == Decimal("1000.00")
        assert (figures.pending, figures.pending_records) == (Decimal("300.00"), 1)
        assert figures.excluded == {"bank_loan": Decimal("5000.00"), "government": 0, "local": 0}
        rows = db.session.execute(queries.funds_that_count(FundsRecord.project_id)).all()
        assert [tuple(r) for r in rows] == [(three_kinds["project"], Decimal("1000.00"))]
        standings = {r.id: r.standing for r in db.session.query(FundsRecord)}
        assert standings == {
            three_kinds["counted"]: "counted",
            three_kinds["pending"]: "pending",
            three_kinds["loan"]: "excluded",
        }


def test_confirmation_is_a_managers_and_of_the_version_seen(app, three_kinds):
    with app.test_request_context(), system_scope():
        pending = db.session.get(FundsRecord, three_kinds["pending"])
        with pytest.raises(services.NotAllowedError):
            services.confirm_funds(pending, user_named("a_staff"), version=pending.version)
        seen = pending.version
        services.update_funds(pending, {"amount_wan": Decimal("3000")}, version=seen, today=TODAY)
        db.session.commit()
        with pytest.raises(ConflictError):  # changed since the manager looked
            services.confirm_funds(pending, user_named("a_manager"), version=seen)
        services.confirm_funds(pending, user_named("a_manager"), version=pending.version)
        db.session.commit()
        assert pending.standing == "counted" and pending.confirmed_by_id == user_named("a_manager").id


def test_changing_confirmed_figures_withdraws_the_confirmation_a_note_does_not(app, three_kinds):
    with app.test_request_context(), system_scope():
        counted = db.session.get(FundsRecord, three_kinds["counted"])
        services.update_funds(counted, {"note": "附验资报告"}, version=counted.version, today=TODAY)
        db.session.commit()
        assert counted.standing == "counted"
        services.update_funds(counted, {"amount_wan": Decimal("1200")}, version=counted.version, today=TODAY)
        db.session.commit()
        assert counted.standing == "pending" and counted.confirmed_by_id is None
        services.confirm_funds(counted, user_named("a_manager"), version=counted.version)
        db.session.commit()
        with pytest.raises(services.NotAllowedError):  # staff cannot take counted money away
            services.delete_funds(counted, version=counted.version, by=user_named("a_staff"))
        services.delete_funds(counted, version=counted.version, by=user_named("a_manager"))
        db.session.commit()
        assert db.session.get(FundsRecord, three_kinds["counted"]) is None


def test_project_page_shows_counted_pending_and_excluded_apart_and_manager_confirms(
    client, auth, three_kinds
):
    pid = three_kinds["project"]
    auth.login("a_staff")
    page = client.get(f"/projects/{pid}/funds").get_data(as_text=True)
    assert 'data-testid="funds-total">1,000.00<' in page
    assert 'data-testid="funds-pending">300.00<' in page
    assert 'data-testid="funds-excluded">5,000.00<' in page
    assert "银行贷款" in page and "待认定" in page
    assert client.post(f"/funds/{three_kinds['pending']}/confirm", data={"version": "1"}).status_code == 403
    auth.logout()
    auth.login("a_manager")
    assert client.post(f"/funds/{three_kinds['pending']}/confirm", data={"version": "1"}).status_code == 302
    page = client.get(f"/projects/{pid}/funds").get_data(as_text=True)
    assert 'data-testid="funds-total">1,300.00<' in page and 'data-testid="funds-pending">0.00<' in page
    stale = client.post(
        f"/funds/{three_kinds['pending']}/withdraw", data={"version": "1"}, follow_redirects=True
    )
    assert "已被他人修改" in stale.get_data(as_text=True)
    assert client.post(f"/funds/{three_kinds['pending']}/withdraw", data={"version": "2"}).status_code == 302
    page = client.get(f"/projects/{pid}/funds").get_data(as_text=True)
    assert 'data-testid="funds-total">1,000.00<' in page


def test_county_page_and_pending_list_show_unconfirmed_money_apart(client, auth, three_kinds):
    auth.login("a_leader")
    page = client.get("/funds?year=2026").get_data(as_text=True)
    assert 'data-testid="funds-year-total">1,000.00 万元<' in page
    assert 'data-testid="funds-year-pending">300.00 万元<' in page
    assert 'data-testid="funds-year-excluded">5,000.00 万元<' in page
    pending = client.get("/funds/pending").get_data(as_text=True)
    assert "岐山电池项目" in pending and "300.00" in pending and "5,000.00" not in pending
    assert 'action="/funds/' not in pending  # a leader reads; only a manager confirms
    auth.logout()
    auth.login("a_manager")
    done = client.post(f"/funds/{three_kinds['pending']}/confirm", data={"version": "1", "from": "pending"})
    assert done.headers["Location"].endswith("/funds/pending")
    assert "岐山电池项目" not in client.get("/funds/pending").get_data(as_text=True)


def test_dashboard_counts_only_the_funds_that_count(app, api, three_kinds):
    app.config["TODAY"] = TODAY
    body = api.get("/api/v1/dashboard", as_user="a_manager").get_json()
    assert Decimal(body["total"]["funds_ytd_wan"]) == Decimal("1000")
    api.post(f"/api/v1/funds/{three_kinds['pending']}/confirm", as_user="a_manager", json={"version": 1})
    body = api.get("/api/v1/dashboard", as_user="a_manager").get_json()
    assert Decimal(body["total"]["funds_ytd_wan"]) == Decimal("1300")


def test_api_confirms_summarises_and_refuses_with_problems(api, three_kinds):
    record = f"/api/v1/funds/{three_kinds['pending']}"
    assert api.get(record, as_user="a_staff").get_json()["standing"] == "pending"
    refused = api.post(f"{record}/confirm", as_user="a_staff", json={"version": 1})
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    assert api.post(f"{record}/confirm", as_user="a_manager", json={}).status_code == 422
    assert api.post(f"{record}/confirm", as_user="a_manager", json={"version": 7}).status_code == 409
    confirmed = api.post(f"{record}/confirm", as_user="a_manager", json={"version": 1})
    assert confirmed.status_code == 200 and confirmed.get_json()["standing"] == "counted"
    summary = api.get("/api/v1/funds/summary?year=2026", as_user="a_leader").get_json()
    assert (summary["counted_wan"], summary["pending_wan"], summary["excluded_wan"]) == (
        "1300.00",
        "0",
        "5000.00",
    )
    assert summary["excluded_by_kind_wan"]["bank_loan"] == "5000.00"
    assert api.get("/api/v1/funds/summary?year=2026", as_user="b_staff").get_json()["counted_wan"] == "0"
    created = api.post(
        f"/api/v1/projects/{three_kinds['project']}/funds",
        as_user="a_staff",
        json={"month": "2026-04", "origin": "in_city", "exclusion": "government", "amount_wan": "80"},
    )
    assert created.status_code == 201 and created.get_json()["standing"] == "excluded"
    bad = api.post(
        f"/api/v1/projects/{three_kinds['project']}/funds",
        as_user="a_staff",
        json={"month": "2026-04", "origin": "in_city", "exclusion": "gift", "amount_wan": "80"},
    )
    assert bad.status_code == 422 and "exclusion" in bad.get_json()["errors"]


def test_export_has_every_record_with_its_standing_and_exact_figures(client, auth, three_kinds):
    auth.login("a_leader")
    response = client.get("/funds/export?year=2026&format=csv")
    assert response.status_code == 200
    text = response.get_data().decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("记录编号,县区,项目,月份,资金来源,资金类别,认定情况,到位金额（万元）")
    assert any("省外,计入,已认定计入,1000.00" in line for line in lines)
    assert any("市外省内,计入,待认定,300.00" in line for line in lines)
    assert any("省外,银行贷款,不计入,5000.00" in line for line in lines)
    auth.logout()
    auth.login("b_staff")
    assert "岐山电池项目" not in client.get("/funds/export?year=2026&format=csv").get_data().decode(
        "utf-8-sig"
    )
