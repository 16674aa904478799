"""Issue 14 item 3: evidence dates (signing, registration, construction and production
start) are facts that happened — none may lie after the bureau's today, on the stage form,
the project form and the API alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from clock_support import PINNED_TODAY

from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.tenancy import system_scope
from crm.projects.pipeline import move_stage

TOMORROW = PINNED_TODAY + timedelta(days=1)


def test_signing_tomorrow_is_refused_and_today_is_accepted(project_maker):
    pid = project_maker.make(stage="negotiating")
    with project_maker.app.test_request_context(), system_scope():
        with pytest.raises(ServiceError) as refused:
            move_stage(
                project_maker.get(pid),
                "signed",
                project_maker.user("a_staff"),
                evidence=project_maker.signed_evidence(signed_on=TOMORROW),
            )
        db.session.rollback()
        assert refused.value.errors == {"signed_on": ["签约日期不能晚于今天（2026-12-04）"]}
        assert project_maker.get(pid).stage == "negotiating"
        move_stage(
            project_maker.get(pid),
            "signed",
            project_maker.user("a_staff"),
            evidence=project_maker.signed_evidence(signed_on=PINNED_TODAY),
        )
        db.session.commit()
        assert project_maker.get(pid).signed_on == PINNED_TODAY


@pytest.mark.parametrize(
    "field, label",
    [
        ("registered_on", "注册日期"),
        ("construction_started_on", "开工日期"),
        ("production_started_on", "投产日期"),
    ],
)
def test_each_later_evidence_date_in_the_future_is_refused(project_maker, field, label):
    pid = project_maker.make(stage="negotiating")
    evidence = project_maker.signed_evidence(
        local_company_id=project_maker.local_id,
        registered_on="2025-04-01",
        construction_started_on="2025-05-01",
        production_started_on="2025-09-01",
    )
    evidence[field] = TOMORROW.isoformat()
    with project_maker.app.test_request_context(), system_scope():
        with pytest.raises(ServiceError) as refused:
            move_stage(project_maker.get(pid), "producing", project_maker.user("a_staff"), evidence=evidence)
        db.session.rollback()
    assert refused.value.errors[field] == [f"{label}不能晚于今天（2026-12-04）"]


def test_the_stage_form_shows_the_refusal_beside_the_field(project_maker, client, auth):
    pid = project_maker.make(stage="negotiating")
    auth.login("a_staff")
    response = client.post(
        f"/projects/{pid}/stage",
        data=project_maker.signing_form(signed_on=TOMORROW.isoformat(), contract_no="QS-9"),
    )
    assert response.status_code == 422
    assert "签约日期不能晚于今天（2026-12-04）" in response.get_data(as_text=True)
    with project_maker.app.test_request_context(), system_scope():
        assert project_maker.get(pid).stage == "negotiating"


def test_the_project_form_refuses_a_future_construction_start(project_maker, client, auth):
    pid = project_maker.make()
    auth.login("a_staff")
    page = client.get(f"/projects/{pid}/edit").get_data(as_text=True)
    version = page.split('name="version" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        f"/projects/{pid}/edit",
        data=project_maker.form_data(
            name="年产10GWh动力电池项目", construction_started_on=TOMORROW.isoformat(), version=version
        ),
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "开工日期不能晚于今天（2026-12-04）" in body


def test_the_api_answers_422_naming_the_field(project_maker, api):
    created = project_maker.api_create(api, "未来签约项目", signed_on=TOMORROW.isoformat())
    assert created.status_code == 422 and created.mimetype == "application/problem+json"
    assert created.json["errors"] == {"signed_on": ["签约日期不能晚于今天（2026-12-04）"]}
    pid = project_maker.make(stage="negotiating")
    version = api.version(f"/api/v1/projects/{pid}", "a_staff")
    moved = project_maker.api_sign(api, pid, version, "HT-8", TOMORROW.isoformat())
    assert moved.status_code == 422
    assert moved.json["errors"]["signed_on"] == ["签约日期不能晚于今天（2026-12-04）"]
