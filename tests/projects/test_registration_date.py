"""Issue 14 item 6: the registration date belongs to the local company. A new project
(新建, 合资) founds its local company, registered no earlier than the signing; an expansion
(扩建/增资) or relocation builds on a company registered perhaps years ago, and is not
refused for it. 注册落地 needs the project's local company, new or existing as its kind says."""

from __future__ import annotations

from datetime import date

from crm.core.tenancy import system_scope


def test_an_expansion_whose_company_was_registered_years_ago_is_registered(project_maker):
    pid = project_maker.make(kind="expansion", stage="negotiating")
    evidence = project_maker.signed_evidence(
        local_company_id=project_maker.local_id, registered_on="2019-03-01"
    )
    assert project_maker.register(pid, **evidence) is None
    with project_maker.app.test_request_context(), system_scope():
        project = project_maker.get(pid)
        assert (project.stage, project.registered_on) == ("registered", date(2019, 3, 1))


def test_a_new_company_registered_before_the_signing_is_refused(project_maker):
    pid = project_maker.make(kind="new", stage="negotiating")
    evidence = project_maker.signed_evidence(
        local_company_id=project_maker.local_id, registered_on="2019-03-01"
    )
    assert project_maker.register(pid, **evidence) == {
        "registered_on": [
            "新设企业（新建、合资项目）的注册日期不能早于签约日期；已有企业扩建、搬迁请选对项目类型"
        ]
    }


def test_the_missing_local_company_is_named_as_the_kind_expects(project_maker):
    new = project_maker.make(kind="joint_venture", stage="signed", **project_maker.signed_evidence())
    expansion = project_maker.make(
        name="二期扩建项目", kind="expansion", stage="signed", **project_maker.signed_evidence()
    )
    assert project_maker.register(new) == {"local_company_id": ["注册落地须选择新设立的本地注册企业"]}
    assert project_maker.register(expansion) == {
        "local_company_id": ["注册落地须选择在本地登记的企业（扩建、搬迁项目为已有企业）"]
    }


def test_the_project_form_accepts_the_old_date_for_an_expansion_and_refuses_it_for_a_new_project(
    project_maker, client, auth
):
    auth.login("a_staff")
    form = {
        "name": "年产5万吨再生铝扩建项目",
        "investor_company_id": str(project_maker.investor_id),
        "source_channel": "expo",
        "owner_id": str(project_maker.world.ids["a_staff"]),
        "capital_origin": "",
        "signed_on": "2025-05-01",
        "registered_on": "2018-06-01",
    }
    refused = client.post("/projects/new", data={**form, "kind": "new"})
    assert refused.status_code == 422
    assert "新设企业（新建、合资项目）的注册日期不能早于签约日期" in refused.get_data(as_text=True)
    created = client.post("/projects/new", data={**form, "kind": "expansion"})
    assert created.status_code == 302
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "2018-06-01" in page


def test_the_api_accepts_an_expansion_with_an_old_registration(project_maker, api):
    body = {
        "name": "增资扩建项目",
        "investor_company_id": project_maker.investor_id,
        "signed_on": "2025-05-01",
        "registered_on": "2018-06-01",
    }
    refused = api.post("/api/v1/projects", as_user="a_staff", json=body)
    assert refused.status_code == 422 and "registered_on" in refused.json["errors"]
    created = api.post("/api/v1/projects", as_user="a_staff", json={**body, "kind": "expansion"})
    assert created.status_code == 201 and created.json["registered_on"] == "2018-06-01"
