"""Issue 14 item 7, on projects: the 本地注册企业's code must have been issued in the
county. Another county of the same city is a warning (companies re-register); outside the
city (a Shanghai 9131… code) is refused unless a manager confirms it with a reason — on the
stage form, the project page and the API alike."""

from __future__ import annotations

import pytest

from crm.companies.models import Company
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.util.uscc import make_uscc

OUTSIDE = "本地注册企业“上海瑞能科技有限公司”的统一社会信用代码显示在本市以外登记（310115）"


@pytest.fixture
def companies(project_maker):
    """Ids of a company registered in Shanghai and one in 扶风县 (same city as 岐山县)."""
    with project_maker.app.app_context(), system_scope():
        shanghai = Company(name="上海瑞能科技有限公司", name_key="上海瑞能科技", uscc=make_uscc("310115", 11))
        fufeng = Company(name="扶风瑞能电池有限公司", name_key="扶风瑞能电池", uscc=make_uscc("610324", 12))
        db.session.add_all([shanghai, fufeng])
        db.session.commit()
        return {"shanghai": shanghai.id, "fufeng": fufeng.id}


def _signed(project_maker):
    return project_maker.make(stage="signed", **project_maker.signed_evidence())


def test_a_company_registered_outside_the_city_is_refused(project_maker, companies):
    pid = _signed(project_maker)
    errors = project_maker.register(pid, local_company_id=companies["shanghai"])
    assert list(errors) == ["local_company_id"] and errors["local_company_id"][0].startswith(OUTSIDE)
    with project_maker.app.test_request_context(), system_scope():
        assert project_maker.get(pid).stage == "signed"


def test_an_officer_cannot_confirm_it_and_a_manager_can(project_maker, companies):
    pid = _signed(project_maker)
    reason = "已迁入本县，尚未换发新执照"
    errors = project_maker.register(
        pid, local_company_id=companies["shanghai"], local_company_confirmation=reason
    )
    assert errors["local_company_confirmation"] == ["异地登记企业须由局长（科长）确认，请保存后请局长确认"]
    assert (
        project_maker.register(
            pid,
            as_user="a_manager",
            local_company_id=companies["shanghai"],
            local_company_confirmation=reason,
        )
        is None
    )
    with project_maker.app.test_request_context(), system_scope():
        project = project_maker.get(pid)
        assert project.stage == "registered"
        assert project.local_company_confirmation == reason
        assert project.local_company_confirmed_by.username == "a_manager"
        assert project.local_company_confirmed_at is not None


def test_another_county_of_the_city_is_accepted_with_a_warning(project_maker, companies, client, auth):
    pid = _signed(project_maker)
    assert project_maker.register(pid, local_company_id=companies["fufeng"]) is None
    auth.login("a_staff")
    page = client.get(f"/projects/{pid}").get_data(as_text=True)
    assert "本地注册企业的统一社会信用代码由同市其他登记机关颁发（扶风县（610324））" in page


def test_changing_the_local_company_drops_the_confirmation(project_maker, companies):
    pid = _signed(project_maker)
    project_maker.register(
        pid,
        as_user="a_manager",
        local_company_id=companies["shanghai"],
        local_company_confirmation="省局登记",
    )
    with project_maker.app.test_request_context(), system_scope():
        from crm.projects import services

        project = project_maker.get(pid)
        data = {"local_company_id": project_maker.local_id}
        services.update_project(project, data, project_maker.user("a_staff"), project.version)
        db.session.commit()
        project = project_maker.get(pid)
        assert project.local_company_confirmed_at is None and project.local_company_confirmation is None


def test_the_stage_form_and_the_detail_page(project_maker, companies, client, auth):
    pid = _signed(project_maker)
    auth.login("a_staff")
    data = {"to_stage": "registered", "local_company_id": str(companies["shanghai"]), "version": "3"}
    with project_maker.app.app_context(), system_scope():
        data["version"] = str(project_maker.get(pid).version)
    refused = client.post(f"/projects/{pid}/stage", data=data)
    assert refused.status_code == 422 and OUTSIDE in refused.get_data(as_text=True)
    auth.logout()
    auth.login("a_manager")
    moved = client.post(
        f"/projects/{pid}/stage", data={**data, "local_company_confirmation": "由省市场监管局登记"}
    )
    assert moved.status_code == 302
    page = client.get(f"/projects/{pid}").get_data(as_text=True)
    assert "本地注册企业在本市以外登记（上海市（310115））" not in page or "已由" in page
    assert (
        "已由a_manager确认：由省市场监管局登记" in page.replace(" ", "") or "确认：由省市场监管局登记" in page
    )


def test_the_api_refuses_with_422_and_reports_the_warning(project_maker, companies, api):
    pid = _signed(project_maker)
    version = api.version(f"/api/v1/projects/{pid}", "a_staff")
    refused = api.patch(
        f"/api/v1/projects/{pid}",
        as_user="a_staff",
        json={"stage": "registered", "version": version, "local_company_id": companies["shanghai"]},
    )
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    assert refused.json["errors"]["local_company_id"][0].startswith(OUTSIDE)
    moved = api.patch(
        f"/api/v1/projects/{pid}",
        as_user="a_staff",
        json={"stage": "registered", "version": version, "local_company_id": companies["fufeng"]},
    )
    assert moved.status_code == 200
    assert moved.json["warnings"] == [
        "本地注册企业的统一社会信用代码由同市其他登记机关颁发（扶风县（610324））：企业可能已迁入本县，请核对"
    ]
