"""Transfers: who offers and who answers, a stale answer, what moves, and the 60/40 split
reproduced in the county and city figures by an independent calculation."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from coordination_support import CODE_NAME, REAL_NAME
from sqlalchemy import select

from crm.audit.models import AuditEvent
from crm.coordination.moving import remaining_in
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.projects.models import Project

CENT = Decimal("0.01")


def _offer(api, confidential_project, world, as_user="a_manager", share="60", **extra):
    body = {"project_id": confidential_project.project_id, "to_county_id": world.county_b, "reason": "land",
            "from_share_percent": share, "years": 5, **extra}  # fmt: skip
    return api.post("/api/v1/transfers", as_user=as_user, json=body)


def _funds_ytd(api, username) -> dict:
    body = api.get("/api/v1/dashboard", as_user=username).get_json()
    return {c["county_id"]: Decimal(c["funds_ytd_wan"]) for c in body["counties"]} | {
        "total": Decimal(body["total"]["funds_ytd_wan"])
    }


def test_only_the_projects_county_manager_offers(api, confidential_project, world):
    assert _offer(api, confidential_project, world, as_user="a_staff").status_code == 403
    assert _offer(api, confidential_project, world, as_user="b_manager").status_code == 404  # not B's project
    assert (
        _offer(api, confidential_project, world, as_user="city").status_code == 403
    )  # reads it, may not offer
    refused = _offer(api, confidential_project, world, share="100.5")
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    offer = _offer(api, confidential_project, world)
    assert offer.status_code == 201, offer.get_json()
    # B sees the offer by the code name only; A's manager by the real name.
    assert (
        api.get(f"/api/v1/transfers/{offer.get_json()['id']}", as_user="b_manager").get_json()["project_name"]
        == CODE_NAME
    )
    assert offer.get_json()["project_name"] == REAL_NAME
    assert _offer(api, confidential_project, world).status_code == 422  # one open offer per project


def test_only_the_receiving_manager_answers_and_a_stale_answer_is_refused(
    api, confidential_project, world, app
):
    transfer = _offer(api, confidential_project, world).get_json()
    url = f"/api/v1/transfers/{transfer['id']}"
    assert api.post(f"{url}/accept", as_user="a_manager", json={"version": 1}).status_code == 403
    assert api.post(f"{url}/accept", as_user="b_staff", json={"version": 1}).status_code == 403
    assert api.post(f"{url}/accept", as_user="c_staff", json={"version": 1}).status_code == 404
    assert api.get(url, as_user="xian").status_code == 404  # a coordinator of another city
    assert api.get(url, as_user="city").status_code == 200
    stale = api.post(f"{url}/accept", as_user="b_manager", json={"version": 0})
    assert stale.status_code == 409 and stale.mimetype == "application/problem+json"
    no_reason = api.post(f"{url}/decline", as_user="b_manager", json={"version": 1})
    assert no_reason.status_code == 422
    declined = api.post(f"{url}/decline", as_user="b_manager", json={"version": 1, "note": "园区已满"})
    assert declined.status_code == 200 and declined.get_json()["status"] == "declined"
    again = api.post(f"{url}/accept", as_user="b_manager", json={"version": declined.get_json()["version"]})
    assert again.status_code == 409
    with app.app_context(), system_scope():
        assert db.session.get(Project, confidential_project.project_id).county_id == world.county_a


def test_acceptance_moves_the_project_and_its_records_and_both_counties_versions(
    api, confidential_project, world, app
):
    with app.app_context(), system_scope():
        newest = db.session.execute(select(AuditEvent.id).order_by(AuditEvent.id.desc())).scalars().first()
    transfer = _offer(api, confidential_project, world).get_json()
    accepted = api.post(
        f"/api/v1/transfers/{transfer['id']}/accept",
        as_user="b_manager",
        json={"version": transfer["version"]},
    )
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "accepted"
    assert (
        api.get(f"/api/v1/projects/{confidential_project.project_id}", as_user="a_manager").status_code == 404
    )
    moved = api.get(f"/api/v1/projects/{confidential_project.project_id}", as_user="b_manager")
    assert moved.status_code == 200 and moved.get_json()["name"] == REAL_NAME  # B's manager now
    funds = api.get(f"/api/v1/projects/{confidential_project.project_id}/funds", as_user="b_staff").get_json()
    assert funds["total"] == 3
    with app.app_context():
        assert remaining_in(confidential_project.project_id, world.county_a) == 0
        with system_scope():
            counties = set(
                db.session.execute(select(AuditEvent.county_id).where(AuditEvent.id > newest)).scalars()
            )
    assert {world.county_a, world.county_b} <= counties
    agreements = api.get("/api/v1/agreements", as_user="a_manager").get_json()["items"]
    assert [(s["county_id"], s["funds_percent"]) for s in agreements[0]["shares"]] == [
        (world.county_a, "60.00"),
        (world.county_b, "40.00"),
    ]
    assert agreements[0]["project_name"] == CODE_NAME  # no longer A's project


def test_the_split_flows_through_county_and_city_figures_each_wan_once(api, confidential_project, world):
    before = _funds_ytd(api, "city")  # warms the county cache too
    whole = sum((amount for _m, _o, amount in confidential_project.funds), Decimal(0))
    assert before[world.county_a] == whole and before[world.county_b] == 0
    transfer = _offer(api, confidential_project, world).get_json()
    api.post(f"/api/v1/transfers/{transfer['id']}/accept", as_user="b_manager", json={"version": 1})

    # Independently: December (the agreement's month onward) 60/40 per origin, A's part
    # rounded half up, B holding the remainder; June (before the agreement) wholly A's.
    december = [amount for month, _o, amount in confidential_project.funds if month.month == 12]
    a_part = sum(((a * Decimal("0.6")).quantize(CENT, ROUND_HALF_UP) for a in december), Decimal(0))
    expected_a = a_part + Decimal("500.00")
    expected_b = sum(december, Decimal(0)) - a_part
    assert (expected_a, expected_b) == (Decimal("1300.01"), Decimal("533.33"))

    city = _funds_ytd(api, "city")
    assert city[world.county_a] == expected_a
    assert city[world.county_b] == expected_b
    assert city["total"] == whole  # counted once
    assert _funds_ytd(api, "a_manager")[world.county_a] == expected_a
    assert _funds_ytd(api, "b_manager")[world.county_b] == expected_b
    summary = api.get("/api/v1/funds/summary", as_user="a_manager").get_json()
    assert Decimal(summary["counted_wan"]) == expected_a


def test_a_new_record_in_the_holding_county_updates_the_partners_cached_figures(
    api, confidential_project, world
):
    transfer = _offer(api, confidential_project, world).get_json()
    api.post(f"/api/v1/transfers/{transfer['id']}/accept", as_user="b_manager", json={"version": 1})
    before = _funds_ytd(api, "a_manager")[world.county_a]  # cached now
    created = api.post(
        f"/api/v1/projects/{confidential_project.project_id}/funds",
        as_user="b_staff",
        json={"month": "2026-12", "origin": "foreign" if False else "in_city", "amount_wan": "100"},
    ).get_json()
    api.post(
        f"/api/v1/funds/{created['id']}/confirm", as_user="b_manager", json={"version": created["version"]}
    )
    assert _funds_ytd(api, "a_manager")[world.county_a] == before + Decimal("60.00")


def test_offer_and_accept_by_the_pages(client, auth, confidential_project, world, app):
    auth.login("a_manager")
    page = client.get(f"/projects/{confidential_project.project_id}/transfer")
    assert page.status_code == 200
    answer = client.post(
        f"/projects/{confidential_project.project_id}/transfer",
        data={"to_county_id": world.county_b, "reason": "energy", "from_share_percent": "60", "years": "5"},
    )
    assert answer.status_code == 302
    transfer_url = answer.headers["Location"]
    auth.logout()
    auth.login("b_manager")
    detail = client.get(transfer_url).get_data(as_text=True)
    assert CODE_NAME in detail and REAL_NAME not in detail
    transfer_id = int(transfer_url.rstrip("/").rsplit("/", 1)[1])
    done = client.post(f"/transfers/{transfer_id}/answer", data={"decision": "accept", "version": "1"})
    assert done.status_code == 302
    assert "已接收" in client.get(transfer_url).get_data(as_text=True)
    with app.app_context(), system_scope():
        assert db.session.get(Project, confidential_project.project_id).county_id == world.county_b


def test_the_lists_show_the_transfer_and_agreement_to_both_and_the_city(
    api, confidential_project, world, client, auth
):
    transfer = _offer(api, confidential_project, world).get_json()
    api.post(f"/api/v1/transfers/{transfer['id']}/accept", as_user="b_manager", json={"version": 1})
    for user in ("a_manager", "b_staff", "city"):
        auth.login(user)
        page = client.get("/transfers")
        body = page.get_data(as_text=True)
        assert page.status_code == 200 and "已接收" in body and "60.00/60.00/60.00" in body, user
        assert (REAL_NAME in body) == (user == "b_manager"), user
        assert client.get(f"/projects/{confidential_project.project_id}").status_code == (
            200 if user != "a_manager" else 404
        )
        auth.logout()
    auth.login("c_staff")
    assert "岐山县" not in client.get("/transfers").get_data(as_text=True)
    assert client.get(f"/transfers/{transfer['id']}").status_code == 404


def test_offsite_construction_shares_without_moving_the_project(
    api, confidential_project, world, client, auth
):
    auth.login("a_manager")
    answer = client.post(
        f"/projects/{confidential_project.project_id}/offsite",
        data={"host_county_id": world.county_b, "park": "扶风县绛帐工业园", "origin_funds_percent": "70",
              "origin_output_percent": "50", "origin_tax_percent": "60", "years": "3"},
    )  # fmt: skip
    assert answer.status_code == 302
    assert (
        api.get(f"/api/v1/projects/{confidential_project.project_id}", as_user="a_manager").status_code == 200
    )
    # Independently: B gets 30 % of each December amount rounded half up; A (holding) the rest.
    december = [amount for month, _o, amount in confidential_project.funds if month.month == 12]
    b_part = sum(((a * Decimal("0.3")).quantize(CENT, ROUND_HALF_UP) for a in december), Decimal(0))
    city = _funds_ytd(api, "city")
    assert city[world.county_b] == b_part == Decimal("400.00")
    assert city[world.county_a] == sum((a for _m, _o, a in confidential_project.funds), Decimal(0)) - b_part
    assert city["total"] == sum((a for _m, _o, a in confidential_project.funds), Decimal(0))
    [agreement] = api.get("/api/v1/agreements", as_user="b_staff").get_json()["items"]
    assert agreement["kind"] == "offsite" and agreement["project_name"] == CODE_NAME
    assert [(s["output_percent"], s["tax_percent"]) for s in agreement["shares"]] == [
        ("50.00", "60.00"),
        ("50.00", "40.00"),
    ]
    auth.logout()
    auth.login("b_manager")
    assert (
        client.get(f"/projects/{confidential_project.project_id}/offsite").status_code == 404
    )  # A's project
    assert client.get(f"/projects/{confidential_project.project_id}/transfer").status_code == 404


def test_a_body_of_the_wrong_shape_answers_422_naming_the_field_not_500(api, confidential_project, world):
    """Found by the API fuzz: a reason or note that is not text reached the service."""
    wrong_reason = _offer(api, confidential_project, world, reason={}, share=0)
    assert wrong_reason.status_code == 422
    assert wrong_reason.content_type == "application/problem+json"
    assert "reason" in wrong_reason.get_json()["errors"]
    transfer = _offer(api, confidential_project, world).get_json()
    wrong_note = api.post(
        f"/api/v1/transfers/{transfer['id']}/decline",
        as_user="b_manager",
        json={"version": 1, "note": [None, None]},
    )
    assert wrong_note.status_code == 422
    assert "note" in wrong_note.get_json()["errors"]
    # Nothing was written: the offer still waits for its answer.
    assert (
        api.get(f"/api/v1/transfers/{transfer['id']}", as_user="b_manager").get_json()["status"] == "offered"
    )
