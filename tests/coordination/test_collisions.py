"""Collision alerts (撞车): raised by the same credit code or the same normalised name, seen by
both counties and the coordinators over both, never with the other county's confidential
details; the coordinator's ruling is recorded and audited."""

from __future__ import annotations

from datetime import date

from coordination_support import CODE_NAME, REAL_NAME
from sqlalchemy import select

from crm.audit.models import AuditEvent
from crm.companies.models import Company
from crm.coordination.models import CollisionAlert, Transfer
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.util.names import normalise_company_name


def _alerts(app) -> list[CollisionAlert]:
    with app.app_context(), system_scope():
        alerts = list(db.session.execute(select(CollisionAlert).order_by(CollisionAlert.id)).scalars())
        db.session.expunge_all()
        return alerts


def _company(app, name: str, uscc: str | None = None) -> int:
    with app.app_context(), system_scope():
        company = Company(name=name, name_key=normalise_company_name(name), uscc=uscc)
        db.session.add(company)
        db.session.commit()
        return company.id


def test_same_credit_code_alerts_both_counties_with_who_talked_first(
    app, confidential_project, world, new_project, api
):
    b_id = new_project(
        "b_staff", "扶风钛材深加工项目", confidential_project.company_id, first_contact_on=date(2026, 11, 20)
    )
    [alert] = _alerts(app)
    assert alert.match == "uscc"
    assert {alert.county_a_id, alert.county_b_id} == {world.county_a, world.county_b}
    assert alert.first_county_id == world.county_a  # A's first visit was on 3 January
    for user in ("a_manager", "b_manager", "a_staff", "b_leader", "city", "prov"):
        assert api.get(f"/api/v1/collisions/{alert.id}", as_user=user).status_code == 200, user
    for user in ("xian", "c_staff"):
        assert api.get(f"/api/v1/collisions/{alert.id}", as_user=user).status_code == 404, user
    seen_by_b = api.get(f"/api/v1/collisions/{alert.id}", as_user="b_manager").get_json()
    names = {p["county_id"]: (p["project_id"], p["name"]) for p in seen_by_b["projects"]}
    assert names[world.county_a] == (None, CODE_NAME)  # A's project: code name, no id
    assert names[world.county_b] == (b_id, "扶风钛材深加工项目")
    # A second B project on the same investor adds no second alert for the pair of counties.
    new_project("b_staff", "扶风钛材二期项目", confidential_project.company_id)
    assert len(_alerts(app)) == 1


def test_same_normalised_name_alerts_and_no_page_leaks_the_other_countys_details(
    app, confidential_project, world, new_project, client, auth
):
    variant = _company(app, "宝鸡钛业（集团）有限公司")
    new_project("b_staff", "扶风钛业合作项目", variant, planned_investment_wan="777")
    [alert] = _alerts(app)
    assert alert.match == "name"
    assert alert.first_county_id == world.county_a
    auth.login("b_manager")
    for path in ("/collisions", f"/collisions/{alert.id}", "/dashboard"):
        body = client.get(path).get_data(as_text=True)
        assert REAL_NAME not in body and "88888" not in body and "88,888" not in body, path
    listing = client.get("/collisions").get_data(as_text=True)
    assert CODE_NAME in listing and "宝鸡钛业（集团）有限公司" in listing
    auth.logout()
    auth.login("a_manager")
    body = client.get(f"/collisions/{alert.id}").get_data(as_text=True)
    assert REAL_NAME in body  # A's own manager
    assert "扶风钛业合作项目" not in body and "777" not in body  # B's project has no code name
    assert "他县项目" in body


def test_a_lost_project_raises_nothing(app, confidential_project, world, new_project):
    new_project(
        "b_staff", "扶风终止项目", confidential_project.company_id, stage="lost", lost_reason="投资方放弃"
    )
    assert _alerts(app) == []


def test_the_coordinator_rules_and_the_ruling_is_audited(app, confidential_project, world, new_project, api):
    new_project("b_staff", "扶风钛材项目", confidential_project.company_id)
    [alert] = _alerts(app)
    url = f"/api/v1/collisions/{alert.id}/ruling"
    body = {
        "version": alert.version,
        "ruling": "transfer",
        "lead_county_id": world.county_a,
        "note": "岐山先谈",
    }
    assert api.post(url, as_user="a_manager", json=body).status_code == 403
    assert api.post(url, as_user="xian", json=body).status_code == 404
    assert api.post(url, as_user="city", json={**body, "version": 99}).status_code == 409
    ruled = api.post(url, as_user="city", json=body)
    assert ruled.status_code == 200, ruled.get_json()
    assert ruled.get_json()["ruling"] == "transfer" and ruled.get_json()["lead_county_id"] == world.county_a
    with app.app_context(), system_scope():
        audited = db.session.execute(
            select(AuditEvent.action, AuditEvent.after).where(
                AuditEvent.table_name == "collision_alerts", AuditEvent.record_id == alert.id
            )
        ).all()
        assert any(action == "update" and after.get("ruling") == "transfer" for action, after in audited)
        offer = db.session.execute(select(Transfer).where(Transfer.collision_id == alert.id)).scalar_one()
        assert (offer.from_county_id, offer.to_county_id, offer.status) == (
            world.county_b,
            world.county_a,
            "offered",
        )
    # The ruling opened an offer that A's manager answers.
    assert (
        api.post(f"/api/v1/transfers/{offer.id}/accept", as_user="a_manager", json={"version": 1}).status_code
        == 200
    )


def test_managers_inbox_counts_open_alerts_and_offers(
    app, confidential_project, world, new_project, client, auth
):
    new_project("b_staff", "扶风钛材项目", confidential_project.company_id)
    auth.login("b_manager")
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'data-testid="inbox-count-collisions-open">1<' in page
    auth.logout()
    auth.login("city")
    assert 'data-testid="coordination-panel"' in client.get("/dashboard").get_data(as_text=True)


def test_another_countys_user_gets_404_on_the_alert_page(
    app, confidential_project, world, new_project, client, auth
):
    new_project("b_staff", "扶风钛材项目", confidential_project.company_id)
    [alert] = _alerts(app)
    auth.login("c_staff")
    assert client.get(f"/collisions/{alert.id}").status_code == 404
    assert "宝鸡钛业" not in client.get("/collisions").get_data(as_text=True)
    auth.logout()
    auth.login("xian")
    assert client.get(f"/collisions/{alert.id}").status_code == 404
    assert (
        client.post(f"/collisions/{alert.id}/rule", data={"ruling": "joint", "version": "1"}).status_code
        == 404
    )
    auth.logout()
    auth.login("city")
    assert (
        client.post(f"/collisions/{alert.id}/rule", data={"ruling": "joint", "version": "1"}).status_code
        == 302
    )
    assert "联合招商" in client.get(f"/collisions/{alert.id}").get_data(as_text=True)
