"""Parks, parcels, carriers and project sites through the pages: who may do what, and
another county's ids answer 404."""

from decimal import Decimal

from sqlalchemy import select

from crm.commitments.models import Obligation
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.land.models import Park, ProjectSite


def _obligations(app, project_id):
    with app.app_context(), system_scope():
        rows = db.session.execute(select(Obligation).where(Obligation.project_id == project_id)).scalars()
        return {o.kind: o for o in rows}


def test_staff_creates_park_parcel_and_carrier(app, client, auth, world):
    auth.login("a_staff")
    response = client.post(
        "/land/parks/new",
        data={
            "name": "岐山飞地园",
            "kind": "enclave",
            "host_county": "西咸新区",
            "share_percent": "60",
            "sharing_note": "税收六四分成",
        },
    )
    assert response.status_code == 302
    with app.app_context(), system_scope():
        park = db.session.execute(select(Park)).scalar_one()
        assert (park.county_id, park.host_county, park.share_percent) == (world.county_a, "西咸新区", 60)
        park_id = park.id
    page = client.get(f"/land/parks/{park_id}").get_data(as_text=True)
    assert "位于西咸新区，本县分享 60.00%" in page
    # A 标准地 without its indicators is refused beside the fields.
    refused = client.post(
        f"/land/parks/{park_id}/parcels/new",
        data={"code": "F-1", "area_mu": "30", "land_use": "industrial", "status": "planned", "standard": "y"},
    )
    assert refused.status_code == 422 and "请填写" in refused.get_data(as_text=True)
    ok = client.post(
        f"/land/parks/{park_id}/parcels/new",
        data={
            "code": "F-1",
            "area_mu": "30",
            "land_use": "industrial",
            "status": "planned",
            "grid_row": "0",
            "grid_col": "0",
        },
    )
    assert ok.status_code == 302
    carrier = client.post(
        f"/land/parks/{park_id}/carriers/new",
        data={"name": "1号楼", "kind": "building", "floor_area_m2": "100", "vacant_area_m2": "200"},
    )
    assert carrier.status_code == 422 and "空置面积不能大于建筑面积" in carrier.get_data(as_text=True)
    svg = client.get(f"/land/parks/{park_id}/plan.svg")
    assert svg.mimetype == "image/svg+xml"
    body = svg.get_data(as_text=True)
    assert (
        "F-1" in body
        and 'data-status="planned"' in body
        and "http://" not in body.replace("http://www.w3.org", "")
    )


def test_leader_reads_but_may_not_write(app, client, auth, land_ids):
    auth.login("a_leader")
    assert client.get(f"/land/parks/{land_ids['a']['park']}").status_code == 200
    assert client.get("/land/parks/new").status_code == 403
    assert client.post(f"/land/parks/{land_ids['a']['park']}/parcels/new", data={}).status_code == 403
    assert client.get(f"/projects/{land_ids['a']['project']}/sites/new").status_code == 403


def test_other_county_ids_answer_404(app, client, auth, land_ids):
    auth.login("a_manager")
    b = land_ids["b"]
    for path in (
        f"/land/parks/{b['park']}",
        f"/land/parks/{b['park']}/plan.svg",
        f"/land/parks/{b['park']}/edit",
        f"/land/parcels/{b['standard']}",
        f"/land/parcels/{b['standard']}/edit",
        f"/land/carriers/{b['carrier']}",
        f"/land/carriers/{b['carrier']}/edit",
        f"/land/parks/{b['park']}/parcels/new",
        f"/land/parks/{b['park']}/carriers/new",
        f"/projects/{b['project']}/sites/new",
        f"/land/efficiency/{b['record']}/edit",
    ):
        assert client.get(path).status_code == 404, path
    for path in (f"/land/efficiency/{b['record']}/delete",):
        assert client.post(path).status_code == 404, path
    # Choosing another county's parcel for one's own project is a 404 too.
    response = client.post(
        f"/projects/{land_ids['a']['project']}/sites/new", data={"target": f"p{b['standard']}"}
    )
    assert response.status_code in (404, 422)
    with app.app_context(), system_scope():
        assert db.session.execute(select(ProjectSite)).first() is None
    page = client.get("/land").get_data(as_text=True)
    assert "a开发区" in page and "b开发区" not in page


def test_signing_on_a_standard_parcel_makes_its_conditions_obligations(app, client, auth, land_ids):
    a = land_ids["a"]
    auth.login("a_staff")
    response = client.post(
        f"/projects/{a['project']}/sites/new",
        data={"target": f"p{a['standard']}", "agreed_start_on": "2026-09-01"},
    )
    assert response.status_code == 302
    obligations = _obligations(app, a["project"])
    assert {k: (o.target_value, o.due_on.isoformat()) for k, o in obligations.items()} == {
        "construction_start": (None, "2026-09-01"),
        "production_start": (None, "2028-09-01"),
        "investment_intensity": (300, "2028-09-01"),
        "plot_ratio": (Decimal("1.20"), "2028-09-01"),
        "output_per_mu": (500, "2028-09-01"),
        "tax_per_mu": (25, "2028-09-01"),
    }
    assert "单位能耗不高于 0.0500 吨标煤/万元" in obligations["production_start"].note
    project_page = client.get(f"/projects/{a['project']}").get_data(as_text=True)
    assert "a开发区 · 地块 S-1" in project_page and "标准地履约事项已生成" in project_page
    # The obligations are the commitments module's own: listed on its due page.
    due = client.get("/obligations/due?within=3650")
    assert due.status_code == 200
    # Not twice: the button is gone and the service refuses.
    with app.app_context(), system_scope():
        site_id = db.session.execute(select(ProjectSite.id)).scalar_one()
    again = client.post(f"/land/sites/{site_id}/conditions")
    assert again.status_code == 302
    assert len(_obligations(app, a["project"])) == 6


def test_an_unsigned_project_gets_no_obligations_until_it_signs(app, client, auth, land_ids):
    a = land_ids["a"]
    with app.app_context(), system_scope():
        from crm.projects.models import Project

        db.session.get(Project, a["project"]).stage = "negotiating"
        db.session.commit()
    auth.login("a_staff")
    client.post(f"/projects/{a['project']}/sites/new", data={"target": f"p{a['standard']}"})
    assert _obligations(app, a["project"]) == {}
    with app.app_context(), system_scope():
        db.session.get(Project, a["project"]).stage = "signed"
        db.session.commit()
        site_id = db.session.execute(select(ProjectSite.id)).scalar_one()
    assert "生成标准地履约事项" in client.get(f"/projects/{a['project']}").get_data(as_text=True)
    assert client.post(f"/land/sites/{site_id}/conditions").status_code == 302
    obligations = _obligations(app, a["project"])
    assert obligations["construction_start"].due_on.isoformat() == "2027-02-01"  # a year after signing
    auth.logout()
    auth.login("b_staff")
    assert client.post(f"/land/sites/{site_id}/conditions").status_code == 404
    assert client.post(f"/land/sites/{site_id}/delete").status_code == 404


def test_carrier_match_and_status_lists(app, client, auth, land_ids):
    a = land_ids["a"]
    auth.login("a_staff")
    status = client.get("/land/status").get_data(as_text=True)
    assert "a县电池项目" in status and "b县电池项目" not in status  # signed, no land
    assert (
        client.post(f"/projects/{a['project']}/sites/new", data={"target": f"c{a['carrier']}"}).status_code
        == 302
    )
    status = client.get("/land/status").get_data(as_text=True)
    assert "a县电池项目" not in status
    assert "S-1" in status and "P-1" in status
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert 'data-testid="land-panel"' in dashboard
    assert '<span data-testid="land-without">0</span>' in dashboard
    assert '<span data-testid="land-not-started">1</span>' in dashboard  # S-1, supplied 2026-03-01
    assert '<span data-testid="land-idle">0</span>' in dashboard  # not a year yet
    assert '<span data-testid="land-unsupplied">1</span>' in dashboard  # P-1, approved 2025-06-01


def test_dashboard_land_figures_follow_a_match_and_recount_that_county_alone(
    app, client, auth, land_ids, monkeypatch
):
    from batch_spy import record_batches

    from crm.land import queries

    counted = record_batches(monkeypatch, queries, "_land_counts_by_county")
    a = land_ids["a"]
    auth.login("a_staff")
    assert '<span data-testid="land-without">1</span>' in client.get("/dashboard").get_data(as_text=True)
    assert '<span data-testid="land-without">1</span>' in client.get("/dashboard").get_data(as_text=True)
    assert len(counted) == 1  # the second visit counted nothing
    assert (
        client.post(f"/projects/{a['project']}/sites/new", data={"target": f"c{a['carrier']}"}).status_code
        == 302
    )
    assert '<span data-testid="land-without">0</span>' in client.get("/dashboard").get_data(as_text=True)
    assert counted[1:] == [counted[0]]  # county A's staff reads county A only: counted again once


def test_a_park_saved_by_someone_else_first_shows_its_values_and_saves_again(app, client, auth, world):
    from page_content import conflict_box

    auth.login("a_staff")
    park = {"name": "岐山产业园", "kind": "industrial_park"}
    assert client.post("/land/parks/new", data=park).status_code == 302
    with app.app_context(), system_scope():
        park_id = db.session.execute(select(Park.id)).scalar_one()
    assert (
        client.post(f"/land/parks/{park_id}/edit", data=dict(park, area_mu="500", version="1")).status_code
        == 302
    )
    stale = client.post(f"/land/parks/{park_id}/edit", data=dict(park, area_mu="800", version="1"))
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert conflict_box(page)["规划面积（亩）"] == "500.00"  # what the other saved
    assert 'value="800"' in page  # what this user typed
    again = client.post(f"/land/parks/{park_id}/edit", data=dict(park, area_mu="800", version="2"))
    assert again.status_code == 302
    with app.app_context(), system_scope():
        assert db.session.get(Park, park_id).area_mu == Decimal("800")


def test_undoing_a_match_counts_the_project_as_without_land_again(app, client, auth, land_ids):
    a = land_ids["a"]
    auth.login("a_staff")
    assert (
        client.post(f"/projects/{a['project']}/sites/new", data={"target": f"c{a['carrier']}"}).status_code
        == 302
    )
    assert '<span data-testid="land-without">0</span>' in client.get("/dashboard").get_data(as_text=True)
    with app.app_context(), system_scope():
        site_id = db.session.execute(select(ProjectSite.id).filter_by(project_id=a["project"])).scalar_one()
    undone = client.post(f"/land/sites/{site_id}/delete", follow_redirects=True)
    assert undone.status_code == 200 and "已取消匹配" in undone.get_data(as_text=True)
    with app.app_context(), system_scope():
        assert db.session.get(ProjectSite, site_id) is None
    assert '<span data-testid="land-without">1</span>' in client.get("/dashboard").get_data(as_text=True)
