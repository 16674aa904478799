"""Two saves of one record that race, through the API (a PATCH, an action, a DELETE) or a page (a form,
a button): the loser is refused as a stale version refused by the service's own check is, with
the values stored now (the API's ``current``, the page's conflict box).

The race is made by moving the record's ``version`` on from a second connection just before
the loser's flush, after its service has checked the version the body carries."""

from __future__ import annotations

from datetime import date

import pytest
from page_content import conflict_box
from record_support import owned_project, save_records
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from crm.activities.models import Activity
from crm.commitments.models import Obligation
from crm.core.db import db


@pytest.fixture
def project_id(app, world) -> int:
    project = owned_project(
        world, "a_staff", "岐山新能源电池项目", "negotiating", first_contact_on=date(2026, 1, 5)
    )
    return save_records(app, {"project": project})["project"]


@pytest.fixture
def saved_meanwhile():
    """``saved_meanwhile(Model)``: the next flush that changes (or deletes) a ``Model`` record first finds
    its ``version`` moved on by another connection's committed UPDATE (as if another
    request had saved it a moment before)."""
    armed: list[type] = []

    def move_version_on(session, flush_context, instances):
        for record in [*session.dirty, *session.deleted]:
            if armed and isinstance(record, armed[0]):
                model = armed.pop()
                with db.engine.begin() as other:
                    table = model.__table__
                    other.execute(
                        update(table).where(table.c.id == record.id).values(version=table.c.version + 1)
                    )

    event.listen(Session, "before_flush", move_version_on)
    yield armed.append
    event.remove(Session, "before_flush", move_version_on)


def _raced_patch(api, saved_meanwhile, model, path: str, change: dict):
    """PATCH ``path`` at the version read, losing the race to a save made meanwhile."""
    read = api.version(path, as_user="a_staff")
    saved_meanwhile(model)
    answer = api.patch(path, as_user="a_staff", json={**change, "version": read})
    return read, answer


def _assert_lost_with_current(api, path: str, read: int, answer, field: str, unchanged):
    assert answer.status_code == 409 and answer.mimetype == "application/problem+json"
    body = answer.get_json()
    assert body["current"]["version"] == read + 1 == api.version(path, as_user="a_staff")
    assert body["current"][field] == unchanged
    assert api.get(path, as_user="a_staff").get_json()[field] == unchanged  # the loser saved nothing


def _new_record_path(api, project_id: int, kind: str, body: dict) -> str:
    """The API path of a new ``kind`` record (its plural path, e.g. ``activities``) of the project."""
    created = api.post(f"/api/v1/projects/{project_id}/{kind}", as_user="a_staff", json=body)
    return f"/api/v1/{kind}/{created.get_json()['id']}"


@pytest.fixture
def activity_path(api, project_id) -> str:
    """A new activity of the project: a negotiation on the investment agreement's terms."""
    body = {"kind": "negotiation", "occurred_on": "2026-11-20", "subject": "投资协议条款洽谈"}
    return _new_record_path(api, project_id, "activities", body)


@pytest.fixture
def obligation_path(api, project_id) -> str:
    """A new obligation of the project: to start building by the year's end."""
    body = {"kind": "construction_start", "due_on": "2026-12-31", "consequence": "withhold"}
    return _new_record_path(api, project_id, "obligations", body)


def test_a_raced_patch_at_version_answers_current(api, obligation_path, saved_meanwhile):
    read, answer = _raced_patch(api, saved_meanwhile, Obligation, obligation_path, {"note": "开工延期"})
    _assert_lost_with_current(api, obligation_path, read, answer, "note", None)


def test_a_raced_hand_rolled_patch_answers_current(api, activity_path, saved_meanwhile):
    read, answer = _raced_patch(api, saved_meanwhile, Activity, activity_path, {"subject": "达成一致"})
    _assert_lost_with_current(api, activity_path, read, answer, "subject", "投资协议条款洽谈")


def test_a_raced_delete_at_version_answers_current(api, activity_path, saved_meanwhile):
    read = api.version(activity_path, as_user="a_staff")
    saved_meanwhile(Activity)
    answer = api.delete(f"{activity_path}?version={read}", as_user="a_staff")
    _assert_lost_with_current(api, activity_path, read, answer, "subject", "投资协议条款洽谈")


def test_an_unraced_patch_still_saves(api, activity_path):
    read = api.version(activity_path, as_user="a_staff")
    answer = api.patch(activity_path, as_user="a_staff", json={"subject": "达成一致", "version": read})
    assert answer.status_code == 200 and answer.get_json()["version"] == read + 1


def test_a_raced_action_answers_current(api, obligation_path, saved_meanwhile):
    path = obligation_path
    read = api.version(path, as_user="a_staff")
    saved_meanwhile(Obligation)
    answer = api.post(f"{path}/outcome", as_user="a_staff", json={"actual_on": "2026-11-30", "version": read})
    _assert_lost_with_current(api, path, read, answer, "status", "pending")


def test_a_raced_form_shows_what_is_stored_now(client, auth, api, activity_path, saved_meanwhile):
    activity_id = activity_path.rsplit("/", 1)[1]
    read = api.version(activity_path, as_user="a_staff")
    auth.login("a_staff")
    saved_meanwhile(Activity)
    form = {"kind": "negotiation", "occurred_on": "2026-11-20", "subject": "达成一致", "version": str(read)}
    answer = client.post(f"/activities/{activity_id}/edit", data=form)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 409
    assert "投资协议条款洽谈" in conflict_box(page).values()  # the stored subject, beside the form
    assert 'value="达成一致"' in page  # what the user typed is kept
    assert f'name="version" type="hidden" value="{read + 1}"' in page  # saving again overwrites, knowingly
    assert api.get(activity_path, as_user="a_staff").get_json()["subject"] == "投资协议条款洽谈"


def test_a_raced_button_goes_back_saying_so(client, auth, api, activity_path, saved_meanwhile):
    activity_id = activity_path.rsplit("/", 1)[1]
    read = api.version(activity_path, as_user="a_staff")
    auth.login("a_staff")
    saved_meanwhile(Activity)
    answer = client.post(
        f"/activities/{activity_id}/delete", data={"version": str(read)}, follow_redirects=True
    )
    assert answer.status_code == 200 and "已被他人修改" in answer.get_data(as_text=True)
    assert api.get(activity_path, as_user="a_staff").status_code == 200  # not deleted
