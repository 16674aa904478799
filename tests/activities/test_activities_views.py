from datetime import date

from record_support import only_row_posted_by, rows_of
from sqlalchemy import func, select

from crm.activities.models import Activity
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.projects.models import Project

FORM = {
    "kind": "site_visit",
    "occurred_on": "2026-11-20",
    "subject": "企业高管来县实地考察",
    "participants": "王科长",
    "summary": "考察园区",
    "next_step": "提供地块资料",
    "next_follow_up_on": "2026年11月27日",
}


def _recorded_by(app, client, auth, username: str, project_id: int) -> Activity:
    """The activity ``username`` records with FORM on project ``project_id`` (logged in as them)."""
    return only_row_posted_by(
        app, client, auth, username, f"/projects/{project_id}/activities/new", FORM, Activity
    )


def _project(app, project_id):
    with app.app_context(), system_scope():
        project = db.session.get(Project, project_id)
        return project.next_follow_up_on, project.version


def test_staff_records_activity_and_project_follow_up_moves(app, client, auth, activity_project_ids):
    _, version_before = _project(app, activity_project_ids["a"])
    auth.login("a_staff")
    response = client.post(f"/projects/{activity_project_ids['a']}/activities/new", data=FORM)
    assert response.status_code == 302
    [activity] = rows_of(app, Activity)
    assert (activity.kind, activity.subject, activity.occurred_on) == (
        "site_visit",
        "企业高管来县实地考察",
        date(2026, 11, 20),
    )
    follow_up, version_after = _project(app, activity_project_ids["a"])
    assert follow_up == date(2026, 11, 27)
    assert version_after == version_before + 1  # written through the ORM: versioned and audited
    with app.app_context(), system_scope():
        from crm.audit.models import AuditEvent

        assert db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one() >= 2
    listing = client.get("/activities?kind=site_visit").get_data(as_text=True)
    assert "企业高管来县实地考察" in listing


def test_bad_input_keeps_text_and_writes_nothing(app, client, auth, activity_project_ids):
    auth.login("a_staff")
    data = dict(FORM, occurred_on="2026-13-45", next_follow_up_on="明天", subject="电话回访")
    response = client.post(f"/projects/{activity_project_ids['a']}/activities/new", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="2026-13-45"' in body and 'value="明天"' in body and 'value="电话回访"' in body
    assert rows_of(app, Activity) == []
    # follow-up before the activity itself: the service refuses it
    response = client.post(
        f"/projects/{activity_project_ids['a']}/activities/new",
        data=dict(FORM, next_follow_up_on="2026-11-01"),
    )
    assert response.status_code == 422
    assert "下次跟进日期不能早于本次跟进日期" in response.get_data(as_text=True)
    assert rows_of(app, Activity) == []
    assert _project(app, activity_project_ids["a"])[0] is None


def test_edit_with_stale_version_is_refused_and_shows_current(app, client, auth, activity_project_ids):
    activity = _recorded_by(app, client, auth, "a_staff", activity_project_ids["a"])
    first = client.post(f"/activities/{activity.id}/edit", data=dict(FORM, subject="第二轮洽谈", version="1"))
    assert first.status_code == 302
    second = client.post(
        f"/activities/{activity.id}/edit", data=dict(FORM, subject="别人的修改", version="1")
    )
    assert second.status_code == 409
    assert "第二轮洽谈" in second.get_data(as_text=True)
    assert rows_of(app, Activity)[0].subject == "第二轮洽谈"


def test_delete(app, client, auth, activity_project_ids):
    activity = _recorded_by(app, client, auth, "a_staff", activity_project_ids["a"])
    assert client.post(f"/activities/{activity.id}/delete").status_code == 302
    assert rows_of(app, Activity) == []


def test_other_county_ids_answer_404_everywhere(app, client, auth, activity_project_ids):
    activity = _recorded_by(app, client, auth, "b_staff", activity_project_ids["b"])
    auth.logout()
    auth.login("a_staff")
    assert client.get(f"/projects/{activity_project_ids['b']}/activities/new").status_code == 404
    assert client.post(f"/projects/{activity_project_ids['b']}/activities/new", data=FORM).status_code == 404
    assert client.get(f"/activities/{activity.id}/edit").status_code == 404
    assert client.post(f"/activities/{activity.id}/edit", data=FORM).status_code == 404
    assert client.post(f"/activities/{activity.id}/delete").status_code == 404
    assert client.get(f"/activities?project_id={activity_project_ids['b']}").status_code == 404
    assert "企业高管来县实地考察" not in client.get("/activities").get_data(as_text=True)
    assert len(rows_of(app, Activity)) == 1


def test_leader_reads_but_cannot_write(app, client, auth, activity_project_ids):
    activity = _recorded_by(app, client, auth, "a_staff", activity_project_ids["a"])
    auth.logout()
    auth.login("a_leader")
    assert "企业高管来县实地考察" in client.get("/activities").get_data(as_text=True)
    assert client.get(f"/projects/{activity_project_ids['a']}/activities/new").status_code == 403
    assert client.post(f"/projects/{activity_project_ids['a']}/activities/new", data=FORM).status_code == 403
    assert client.post(f"/activities/{activity.id}/edit", data=FORM).status_code == 403
    assert client.post(f"/activities/{activity.id}/delete").status_code == 403
    assert len(rows_of(app, Activity)) == 1


def test_coordinator_sees_both_counties_read_only(app, client, auth, activity_project_ids):
    for user, key in (("a_staff", "a"), ("b_staff", "b")):
        auth.login(user)
        client.post(
            f"/projects/{activity_project_ids[key]}/activities/new", data=dict(FORM, subject=f"{user} 考察")
        )
        auth.logout()
    auth.login("city")
    body = client.get("/activities").get_data(as_text=True)
    assert "a_staff 考察" in body and "b_staff 考察" in body
    assert client.get(f"/projects/{activity_project_ids['a']}/activities/new").status_code == 403
    auth.logout()
    auth.login("xian")  # coordinator of another city
    body = client.get("/activities").get_data(as_text=True)
    assert "a_staff 考察" not in body and "b_staff 考察" not in body
