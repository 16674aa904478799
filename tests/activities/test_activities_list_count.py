"""The activity list counts at most COUNT_CAP rows: a province's half a million stay cheap."""

from datetime import date

from crm.activities.models import Activity
from crm.core import pagination
from crm.core.db import db
from crm.core.tenancy import system_scope


def _add_activities(app, county_id, project_id, how_many):
    with app.app_context(), system_scope():
        db.session.add_all(
            Activity(
                county_id=county_id,
                project_id=project_id,
                kind="call",
                subject=f"电话{n}",
                occurred_on=date(2026, 3, 1),
            )
            for n in range(how_many)
        )
        db.session.commit()


def test_list_shows_an_exact_count_below_the_cap(app, client, auth, world, activity_project_ids, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    _add_activities(app, world.county_a, activity_project_ids["a"], 4)
    _add_activities(app, world.county_b, activity_project_ids["b"], 3)  # another county's: not counted
    auth.login("a_staff")
    page = client.get("/activities").get_data(as_text=True)
    assert "共 4 条" in page


def test_list_says_more_than_the_cap_and_still_pages(
    app, client, auth, world, activity_project_ids, monkeypatch
):
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    _add_activities(app, world.county_a, activity_project_ids["a"], 8)
    auth.login("a_staff")
    page = client.get("/activities").get_data(as_text=True)
    assert "共 5+ 条" in page
    assert page.count("电话") >= 5
