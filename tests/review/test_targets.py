"""Targets from above: only a coordinator over the county sets them, the county reads them
as given (who, from where, when), the dashboard measures the county against them, and the
audit log of the county records the act under the coordinator's name."""

from __future__ import annotations

from decimal import Decimal

from review_helpers import TARGET_A, put, set_targets
from sqlalchemy import select

from crm.audit.models import AuditEvent
from crm.core.db import db
from crm.core.tenancy import system_scope


def test_only_a_coordinator_over_the_county_sets_its_targets(api, world):
    path = f"/api/v1/targets/{world.county_a}/2026"
    assert put(api, path, "a_manager", TARGET_A).status_code == 403  # the county does not set its own
    assert put(api, path, "b_manager", TARGET_A).status_code == 404  # another county's
    assert put(api, path, "xian", TARGET_A).status_code == 404  # a city not above it
    assert put(api, f"/api/v1/targets/{world.ids['610122']}/2026", "city", TARGET_A).status_code == 404
    refused = put(api, path, "city", {"funds_in_city_wan": "-5"})
    assert refused.status_code == 422 and "funds_in_city_wan" in refused.get_json()["errors"]
    assert put(api, path, "city", {}).status_code == 422  # nothing given
    made = put(api, path, "prov", TARGET_A)  # the province is above it too
    assert made.status_code == 200, made.get_json()
    assert made.get_json()["funds_wan"] == "4000.00"
    assert made.get_json()["set_by_region_id"] == world.province


def test_a_stale_change_is_refused(api, world):
    path = f"/api/v1/targets/{world.county_a}/2026"
    first = put(api, path, "city", TARGET_A).get_json()
    assert put(api, path, "prov", {**TARGET_A, "signings": 9, "version": first["version"]}).status_code == 200
    stale = put(api, path, "city", {**TARGET_A, "signings": 5, "version": first["version"]})
    assert stale.status_code == 409
    items = api.get("/api/v1/targets?year=2026", as_user="a_leader").get_json()["items"]
    assert [(t["county_id"], t["signings"]) for t in items] == [(world.county_a, 9)]


def test_a_put_without_the_version_does_not_replace_targets_it_has_not_read(api, world):
    """A PUT replaces every figure: one that carries no version (a script that sets one
    figure) would blank the others someone else gave. Refused with the stored figures."""
    path = f"/api/v1/targets/{world.county_a}/2026"
    first = put(api, path, "city", TARGET_A).get_json()
    blind = put(api, path, "prov", {"signings": 9})
    assert blind.status_code == 409 and blind.mimetype == "application/problem+json"
    current = blind.get_json()["current"]
    assert current["version"] == first["version"]
    assert (current["funds_out_of_province_wan"], current["signings"]) == ("2000.00", 4)
    stored = api.get("/api/v1/targets?year=2026", as_user="a_leader").get_json()["items"][0]
    assert (stored["funds_wan"], stored["signings"]) == (first["funds_wan"], first["signings"])
    read_first = put(api, path, "prov", {**TARGET_A, "signings": 9, "version": current["version"]})
    assert read_first.status_code == 200 and read_first.get_json()["signings"] == 9


def test_the_county_reads_its_targets_as_given_and_never_another_countys(api, client, auth, world):
    set_targets(api, world)
    mine = api.get("/api/v1/targets?year=2026", as_user="a_staff").get_json()["items"]
    assert [t["county_id"] for t in mine] == [world.county_a]
    both = api.get("/api/v1/targets?year=2026", as_user="city").get_json()["items"]
    assert sorted(t["county_id"] for t in both) == sorted([world.county_a, world.county_b])
    auth.login("a_leader")
    page = client.get("/targets?year=2026").get_data(as_text=True)
    assert "宝鸡市" in page and "下达" in page and "2,000.00" in page
    assert "扶风县" not in page  # B's row is not there
    assert "下达目标</a>" not in page  # no link to set them
    assert client.get(f"/targets/{world.county_a}/2026").status_code == 403
    assert client.get(f"/targets/{world.county_b}/2026").status_code == 404


def test_the_coordinator_sets_targets_on_the_page(client, auth, world, app):
    auth.login("city")
    assert client.get(f"/targets/{world.county_b}/2026").status_code == 200
    assert client.get(f"/targets/{world.ids['610122']}/2026").status_code == 404
    response = client.post(
        f"/targets/{world.county_b}/2026", data={"funds_out_of_province_wan": "1.5亿", "signings": "3"}
    )
    assert response.status_code == 302
    page = client.get("/targets?year=2026").get_data(as_text=True)
    assert "15,000.00" in page
    with app.app_context(), system_scope():
        audit = db.session.execute(
            select(AuditEvent).where(AuditEvent.table_name == "review_targets")
        ).scalar_one()
        assert (audit.county_id, audit.actor_id, audit.action) == (
            world.county_b,
            world.ids["city"],
            "create",
        )


def test_the_dashboard_measures_the_county_against_the_target_given(api, world, app):
    from crm.funds.models import CountyTarget

    with app.app_context(), system_scope():
        db.session.add(CountyTarget(county_id=world.county_a, year=2026, funds_target_wan=Decimal("99999")))
        db.session.commit()
    before = api.get("/api/v1/dashboard", as_user="a_manager").get_json()["total"]["funds_target_wan"]
    assert before == "99999.00"  # the county's own, while nothing is given
    set_targets(api, world)
    after = api.get("/api/v1/dashboard", as_user="a_manager").get_json()["total"]["funds_target_wan"]
    assert after == "4000.00"
