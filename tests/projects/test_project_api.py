"""/api/v1/projects."""

from __future__ import annotations

from api_support import assert_not_found


def test_create_get_and_list(project_maker, api):
    response = project_maker.api_create(
        api, "年产10GWh动力电池项目", planned_investment_wan="120000", source_channel="expo", signed_on=None
    )
    assert response.status_code == 201
    created = response.json
    assert created["planned_investment_wan"] == "120000.00"
    assert created["stage"] == "lead" and created["version"] >= 1
    assert created["county_id"] == project_maker.world.county_a
    got = api.get(f"/api/v1/projects/{created['id']}", as_user="a_leader").json
    assert got["name"] == "年产10GWh动力电池项目"
    listing = api.get("/api/v1/projects?q=动力电池&stage=lead", as_user="a_staff").json
    assert listing["total"] == 1 and listing["items"][0]["id"] == created["id"]
    assert api.get("/api/v1/projects?stage=signed", as_user="a_staff").json["total"] == 0
    assert (
        api.get(f"/api/v1/projects?owner_id={project_maker.world.ids['a_staff2']}", as_user="a_staff").json[
            "total"
        ]
        == 0
    )


def test_create_refuses_bad_input_with_field_errors(project_maker, api):
    before = project_maker.counts()
    # An unknown investor and another county's owner, with other bad values beside them.
    bad = {"name": "x", "investor_company_id": 999999, "owner_id": project_maker.world.ids["b_staff"]}
    response = api.post(
        "/api/v1/projects",
        as_user="a_staff",
        json={
            **bad,
            "planned_investment_wan": "-1",
            "land_mu": "many",
            "signed_on": "2025-13-45",
            "expected_jobs": "10",
        },
    )
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    errors = response.json["errors"]
    assert set(errors) >= {"land_mu", "signed_on", "expected_jobs"}
    assert errors["land_mu"] == ["应为以亩为单位的数字"] and errors["expected_jobs"] == ["应为整数"]
    assert project_maker.counts() == before
    response = api.post("/api/v1/projects", as_user="a_staff", json={**bad, "planned_investment_wan": -1})
    assert response.status_code == 422
    assert response.json["errors"] == {
        "investor_company_id": ["所选企业不存在"],
        "owner_id": ["负责人必须是本县的招商人员"],
        "planned_investment_wan": ["金额不能为负数"],
    }
    assert api.post("/api/v1/projects", as_user="a_staff", json=["not", "an object"]).status_code == 400
    assert project_maker.counts() == before


def test_patch_requires_current_version_and_stale_answers_409(project_maker, api):
    pid = project_maker.make()
    version = api.version(f"/api/v1/projects/{pid}", "a_staff")
    assert api.patch(f"/api/v1/projects/{pid}", as_user="a_staff", json={"name": "无版本"}).status_code == 422
    first = api.patch(
        f"/api/v1/projects/{pid}", as_user="a_staff", json={"name": "第一次", "version": version}
    )
    assert first.status_code == 200 and first.json["version"] == version + 1
    second = api.patch(
        f"/api/v1/projects/{pid}", as_user="a_staff2", json={"name": "第二次", "version": version}
    )
    assert second.status_code == 409
    # What is stored now, by field name as the API writes a project: a client can retry.
    current = second.json["current"]
    assert (current["name"], current["stage"], current["version"]) == ("第一次", "lead", version + 1)
    assert api.get(f"/api/v1/projects/{pid}", as_user="a_staff").json["name"] == "第一次"


def test_stage_change_through_patch_follows_the_pipeline_rules(project_maker, api):
    pid = project_maker.make(stage="negotiating")
    version = api.version(f"/api/v1/projects/{pid}", "a_staff")
    refused = api.patch(
        f"/api/v1/projects/{pid}", as_user="a_staff", json={"stage": "signed", "version": version}
    )
    assert refused.status_code == 422
    assert refused.json["errors"]["contract_no"] == ["签约须填写合同编号"]
    moved = project_maker.api_sign(api, pid, version, "HT-7", "2025-07-01")
    assert moved.status_code == 200 and moved.json["stage"] == "signed"
    back = api.patch(
        f"/api/v1/projects/{pid}",
        as_user="a_staff",
        json={"stage": "visited", "version": moved.json["version"], "note": "重谈"},
    )
    assert back.status_code == 422 and "to_stage" in back.json["errors"]
    history = api.get(f"/api/v1/projects/{pid}/stage-changes", as_user="a_leader").json
    assert [(c["from_stage"], c["to_stage"]) for c in history["items"]] == [
        (None, "lead"),
        ("lead", "negotiating"),
        ("negotiating", "signed"),
    ]
    assert history["items"][-1]["reached_on"] == "2025-07-01"


def test_other_county_and_roles(project_maker, api):
    pid = project_maker.make(as_user="b_staff")
    assert_not_found(api, "a_staff", f"/api/v1/projects/{pid}", ("get", "patch"), {"name": "x", "version": 1})
    assert_not_found(api, "a_staff", f"/api/v1/projects/{pid}/stage-changes", ("get",))
    assert api.get("/api/v1/projects", as_user="a_staff").json["total"] == 0
    own = project_maker.make()
    assert (
        api.patch(f"/api/v1/projects/{own}", as_user="a_leader", json={"name": "x", "version": 1}).status_code
        == 403
    )
    assert api.post("/api/v1/projects", as_user="city", json={"name": "x"}).status_code == 403
    assert api.get("/api/v1/projects", as_user="admin").status_code == 403
    assert api.get("/api/v1/projects", as_user="city").json["total"] == 2


def test_openapi_lists_project_paths(client):
    document = client.get("/api/v1/openapi.json").json
    assert {"/projects", "/projects/{project_id}", "/projects/{project_id}/stage-changes"} <= set(
        document["paths"]
    )
    assert "patch" in document["paths"]["/projects/{project_id}"]
    assert "planned_investment_wan" in document["components"]["schemas"]["Project"]["properties"]


def test_create_at_a_later_stage_needs_that_stage_evidence(project_maker, api):
    body = {"name": "年产3万吨再生铝项目", "stage": "signed", "planned_investment_wan": "30000"}
    before = project_maker.counts()
    refused = api.post("/api/v1/projects", as_user="a_staff", json=body)
    assert refused.status_code == 422
    assert set(refused.json["errors"]) == {"signed_on", "contract_no"}
    assert project_maker.counts() == before
    created = api.post(
        "/api/v1/projects",
        as_user="a_staff",
        json={**body, "signed_on": "2026-02-03", "contract_no": "HT-2026-1"},
    )
    assert created.status_code == 201 and created.json["stage"] == "signed"


def test_a_project_created_without_an_owner_is_the_callers_and_stays_editable_when_confidential(
    project_maker, api
):
    """As the form does, the officer who records a project follows it up: a confidential
    project created through the API without ``owner_id`` could not be edited by its creator."""
    body = {"name": "保密的新能源项目", "code_name": "代号丁"}
    created = api.post("/api/v1/projects", as_user="a_staff", json=body)
    assert created.status_code == 201
    project = created.get_json()
    assert project["owner_id"] == project_maker.world.ids["a_staff"] and project["name"] == "保密的新能源项目"
    edited = api.patch(
        f"/api/v1/projects/{project['id']}",
        as_user="a_staff",
        json={"industry": "新能源", "version": project["version"]},
    )
    assert edited.status_code == 200, edited.get_json()
    unowned = api.post(
        "/api/v1/projects", as_user="a_staff", json={"name": "无人负责的项目", "owner_id": None}
    )
    assert unowned.status_code == 201 and unowned.get_json()["owner_id"] is None  # said so: left unowned
