"""The confidential-name rule in its one home (crm/projects/confidential.py): the Python,
SQL and Jinja forms agree, and only the owner and the county's managers edit the record."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.projects import confidential
from crm.projects.models import Project

REAL, CODE = "某新能源巨头西北基地", "一号工程"
EVERYONE = ("a_staff", "a_staff2", "a_manager", "a_leader", "b_manager", "b_staff", "city", "prov", "admin")
MAY_SEE = {"a_staff", "a_manager"}  # the owner and county A's manager


def test_name_for_follows_the_rule():
    project = confidential.NameRef(REAL, CODE, owner_id=7, county_id=3)

    class Viewer:
        def __init__(self, user_id, role, county_id):
            self.id, self.role, self.county_id = user_id, role, county_id

        def has_role(self, *roles):
            return self.role in roles

    assert confidential.name_for(project, Viewer(7, "staff", 3)) == REAL  # the owner
    assert confidential.name_for(project, Viewer(1, "manager", 3)) == REAL  # the county's manager
    for other in (
        Viewer(2, "staff", 3),
        Viewer(3, "leader", 3),
        Viewer(4, "manager", 4),
        Viewer(5, "coordinator", None),
        Viewer(6, "admin", None),
        None,
    ):
        assert confidential.name_for(project, other) == CODE
    plain = confidential.NameRef("公开项目", "", owner_id=7, county_id=3)
    assert confidential.name_for(plain, None) == "公开项目"


def test_sql_python_and_jinja_agree_for_every_role(app, project_maker):
    secret = project_maker.make(name=REAL, code_name=CODE)
    plain = project_maker.make(name="公开的项目")
    with app.test_request_context(), system_scope():
        for username in EVERYONE:
            user = project_maker.user(username)
            rows = dict(db.session.execute(select(Project.id, confidential.name_column(user))).all())
            expected = REAL if username in MAY_SEE else CODE
            assert rows == {secret: expected, plain: "公开的项目"}, username
            assert confidential.name_for(db.session.get(Project, secret), user) == expected
            found = (
                db.session.execute(select(Project.id).where(confidential.name_search("%西北基地%", user)))
                .scalars()
                .all()
            )
            assert found == ([secret] if username in MAY_SEE else []), username
        template = app.jinja_env.from_string("{{ p|project_name }} {{ p is real_name_visible }}")
        assert template.render(p=db.session.get(Project, secret)) == f"{CODE} False"  # nobody logged in


@pytest.mark.parametrize("username, status", [("a_staff", 200), ("a_manager", 200), ("a_staff2", 403)])
def test_only_the_owner_and_the_managers_edit_a_confidential_project(
    app, project_maker, api, username, status, logged_in_client
):
    pid = project_maker.make(name=REAL, code_name=CODE)
    client = logged_in_client(username)
    page = client.get(f"/projects/{pid}/edit")
    assert page.status_code == status and (REAL in page.get_data(as_text=True)) is (status == 200)
    detail = client.get(f"/projects/{pid}").get_data(as_text=True)
    assert (f"/projects/{pid}/edit" in detail) is (status == 200)
    posted = client.post(f"/projects/{pid}/edit", data={"name": "改名", "version": "1"})
    assert (posted.status_code == 403) is (status == 403)
    patched = api.patch(
        f"/api/v1/projects/{pid}", as_user=username, json={"version": 1, "industry": "新能源"}
    )
    assert (patched.status_code == 403) is (status == 403)
    if status == 403:
        assert REAL not in patched.get_data(as_text=True)
        with app.app_context(), system_scope():
            assert db.session.get(Project, pid).name == REAL  # nothing was changed
    # Colleagues still move its stage and record its activities: the daily work on it.
    assert client.get(f"/projects/{pid}/stage").status_code == 200


def test_the_api_names_a_confidential_project_as_the_caller_may_see_it(project_maker, api):
    pid = project_maker.make(name=REAL, code_name=CODE)
    for username in ("a_staff", "a_manager", "a_staff2", "a_leader", "city"):
        expected = REAL if username in MAY_SEE else CODE
        assert api.get(f"/api/v1/projects/{pid}", as_user=username).get_json()["name"] == expected
        listed = api.get("/api/v1/projects", as_user=username).get_json()["items"]
        assert [p["name"] for p in listed if p["id"] == pid] == [expected]
        searched = api.get("/api/v1/projects?q=西北基地", as_user=username).get_json()["total"]
        assert searched == (1 if username in MAY_SEE else 0)
