"""My follow-ups (overdue / today / this week) and the per-user iCalendar feed."""

import re
from datetime import date

from record_support import user_named
from sqlalchemy import select

from crm.core.db import db
from crm.core.hooks import FollowUpItem, register_followup_source
from crm.core.tenancy import system_scope
from crm.projects.models import Project

MONDAY = date(2026, 11, 23)


def _schedule(app, world, plan):
    """plan: [(name, owner username, county key, due date)] → projects."""
    with app.app_context(), system_scope():
        for name, owner, county, due in plan:
            db.session.add(
                Project(
                    name=name,
                    county_id=getattr(world, f"county_{county}"),
                    owner_id=world.ids[owner],
                    stage="negotiating",
                    next_follow_up_on=due,
                )
            )
        db.session.commit()


def _section(body, testid):
    match = re.search(rf'data-testid="{testid}">(.*?)</div>\s*</div>', body, re.S)
    return match.group(1) if match else ""


def test_buckets_split_at_today_and_sunday(app, client, auth, world):
    app.config["TODAY"] = date(2026, 11, 25)  # a Wednesday; the week ends Sunday the 29th
    _schedule(
        app,
        world,
        [
            ("昨天到期项目", "a_staff", "a", date(2026, 11, 24)),
            ("今天到期项目", "a_staff", "a", date(2026, 11, 25)),
            ("明天到期项目", "a_staff", "a", date(2026, 11, 26)),
            ("周日到期项目", "a_staff", "a", date(2026, 11, 29)),
            ("下周一到期项目", "a_staff", "a", date(2026, 11, 30)),
            ("同事的项目", "a_staff2", "a", date(2026, 11, 25)),
        ],
    )
    auth.login("a_staff")
    body = client.get("/followups").get_data(as_text=True)
    overdue, today, week = _section(body, "overdue"), _section(body, "today"), _section(body, "this-week")
    assert "昨天到期项目" in overdue and "今天到期项目" not in overdue
    assert "今天到期项目" in today and "明天到期项目" not in today
    assert "明天到期项目" in week and "周日到期项目" in week
    assert "下周一到期项目" not in body
    assert "同事的项目" not in body


def test_lost_projects_are_not_followed_up(app, client, auth, world):
    app.config["TODAY"] = MONDAY
    _schedule(app, world, [("已终止项目", "a_staff", "a", MONDAY)])
    with app.app_context(), system_scope():
        db.session.execute(select(Project)).scalar_one().stage = "lost"
        db.session.commit()
    auth.login("a_staff")
    assert "已终止项目" not in client.get("/followups").get_data(as_text=True)


def test_other_sources_show_on_the_page_and_in_the_feed(app, client, auth, world):
    app.config["TODAY"] = MONDAY
    register_followup_source(
        app,
        lambda user, until: (
            [FollowUpItem(MONDAY, "厂房补贴第二期兑现", "/commitments/7", "承诺兑现")]
            if user.username == "a_staff"
            else []
        ),
    )
    auth.login("a_staff")
    assert "厂房补贴第二期兑现" in _section(client.get("/followups").get_data(as_text=True), "today")
    client.post("/followups/calendar-token")
    feed = client.get(_feed_url(app, "a_staff"))
    assert "厂房补贴第二期兑现" in _unfold(feed.get_data(as_text=True))


def _feed_url(app, username):
    """Issue a token the way the page does and return the feed's path."""
    from crm.auth.services import issue_calendar_token

    with app.app_context(), system_scope():
        user = user_named(username)
        token = issue_calendar_token(user)
        db.session.commit()
    return f"/calendar/{token}.ics"


def _unfold(ics: str) -> str:
    return ics.replace("\r\n ", "")


def test_feed_gives_the_token_users_items_only(app, client, world):
    app.config["TODAY"] = MONDAY
    long_name = "岐山县年产十万吨高端装备制造及配套零部件产业园建设项目（一期）"
    _schedule(
        app,
        world,
        [
            (long_name, "a_staff", "a", date(2026, 11, 20)),
            ("同事的项目", "a_staff2", "a", MONDAY),
            ("扶风县的项目", "b_staff", "b", MONDAY),
        ],
    )
    url = _feed_url(app, "a_staff")
    response = client.get(url)  # no login: the token is the credential
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.get_data(as_text=True)
    assert raw.startswith("BEGIN:VCALENDAR\r\n") and raw.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    assert "\r\n " in raw  # the long summary was folded
    text = _unfold(raw)
    assert long_name in text and "DTSTART;VALUE=DATE:20261120" in text
    assert text.count("BEGIN:VEVENT") == 1
    assert "同事的项目" not in text and "扶风县的项目" not in text


def test_wrong_or_replaced_token_is_404(app, client, world):
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    old = _feed_url(app, "a_staff")
    new = _feed_url(app, "a_staff")
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_token_is_issued_from_the_page(app, client, auth, world):
    auth.login("a_staff")
    response = client.post("/followups/calendar-token", follow_redirects=True)
    body = response.get_data(as_text=True)
    match = re.search(r"(/calendar/[A-Za-z0-9_\-]+\.ics)", body)
    assert match
    auth.logout()
    assert client.get(match.group(1)).status_code == 200


def test_admin_has_no_followups_page(client, auth, world):
    auth.login("admin")
    assert client.get("/followups").status_code == 403


def test_feed_runs_in_the_token_users_county_scope(app, client, world):
    """A source that lists whatever the scope lets it see shows county A's projects only."""
    app.config["TODAY"] = MONDAY

    def everything_visible(user, until):
        rows = db.session.execute(select(Project.id, Project.name)).all()
        return [FollowUpItem(MONDAY, name, f"/projects/{pid}", "全部可见") for pid, name in rows]

    register_followup_source(app, everything_visible)
    _schedule(app, world, [("岐山的项目", "a_staff2", "a", None), ("扶风的项目", "b_staff", "b", None)])
    text = _unfold(client.get(_feed_url(app, "a_staff")).get_data(as_text=True))
    assert "岐山的项目" in text and "扶风的项目" not in text
    text = _unfold(client.get(_feed_url(app, "b_staff")).get_data(as_text=True))
    assert "扶风的项目" in text and "岐山的项目" not in text
