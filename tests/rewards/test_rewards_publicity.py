"""Issue 14 item 5: the 公示 notice names the period as a notice does, has a 公示期, and
objections are recorded against its lines during it and resolved by a manager."""

from datetime import date, timedelta

import pytest
from clock_support import PINNED_NOW

from crm.core.db import db
from crm.core.errors import ServiceError
from crm.rewards import publicity, services
from crm.rewards.models import RewardList, RewardObjection

MAY = date(2026, 5, 1)


@pytest.fixture
def draft(reward_builder):
    """A 2026 draft with one eligible and one ineligible project."""
    good = reward_builder.project("光伏组件项目", reached_on=date(2026, 5, 10), funds=[(MAY, 3000)])
    reward_builder.referral(good, name="周原商会", kind="unit")
    reward_builder.project("无备案项目", reached_on=date(2026, 6, 1), funds=[(MAY, 800)])
    list_id = reward_builder.create_list(reward_builder.rule(year=2026), "2026")
    return list_id


def _publish(client, list_id, start="2026-12-04", end="2026-12-10"):
    return client.post(
        f"/rewards/lists/{list_id}/publish",
        data={"notice_start": start, "notice_end": end},
        follow_redirects=True,
    )


def _lines(reward_builder, list_id):
    with reward_builder.ctx():
        reward_list = db.session.get(RewardList, list_id)
        return {line.project_name: line.id for line in reward_list.lines}, reward_list.total_reward_wan


def _object(client, list_id, line_id, received_on="2026-12-04", **extra):
    data = {
        "line_id": str(line_id),
        "objector": "李明",
        "objector_contact": "13800000000",
        "received_on": received_on,
        "content": "引荐人并未实际参与该项目的引进",
        **extra,
    }
    return client.post(f"/rewards/lists/{list_id}/objections/new", data=data, follow_redirects=True)


def test_the_notice_names_a_whole_year_as_a_notice_does(client, auth, draft):
    auth.login("a_leader")
    page = client.get(f"/rewards/lists/{draft}/notice").get_data(as_text=True)
    assert "经审核，2026年度符合奖励条件" in page
    assert "2026期间" not in page and "期间" not in page
    assert "未发布公示" in page


def test_a_manager_publishes_a_list_for_its_notice_period(client, auth, reward_builder, draft):
    auth.login("a_staff")
    assert client.get(f"/rewards/lists/{draft}/publish").status_code == 403
    auth.logout()
    auth.login("a_manager")
    early = _publish(client, draft, start="2026-12-01")
    assert early.status_code == 422 and "公示开始日期不能早于今天" in early.get_data(as_text=True)
    reversed_dates = _publish(client, draft, start="2026-12-10", end="2026-12-05")
    assert reversed_dates.status_code == 422 and "公示结束日期不能早于开始日期" in reversed_dates.get_data(
        as_text=True
    )
    page = _publish(client, draft).get_data(as_text=True)
    assert "名单已进入公示期" in page and "公示中" in page and "2026-12-04 – 2026-12-10" in page
    notice = client.get(f"/rewards/lists/{draft}/notice").get_data(as_text=True)
    assert "公示期为2026年12月4日至2026年12月10日" in notice and "不得对外公示" not in notice
    assert "2026年12月4日" in notice  # the notice is dated the day it was published
    # Its lines are what the public saw: no recomputation, no deletion.
    refused = client.post(f"/rewards/lists/{draft}/refresh", follow_redirects=True).get_data(as_text=True)
    assert "公示中的名单不能重新计算或删除" in refused
    client.post(f"/rewards/lists/{draft}/delete", follow_redirects=True)
    assert reward_builder.get(RewardList, draft).status == "publicized"


def test_objections_are_recorded_during_the_notice_period_against_a_listed_line(
    client, auth, reward_builder, draft
):
    auth.login("a_manager")
    _publish(client, draft, end="2026-12-10")
    auth.logout()
    lines, _total = _lines(reward_builder, draft)
    auth.login("a_staff")
    future = _object(client, draft, lines["光伏组件项目"], received_on="2026-12-05")
    assert future.status_code == 422 and "收到日期不能晚于今天" in future.get_data(as_text=True)
    unlisted = _object(client, draft, lines["无备案项目"])
    assert unlisted.status_code == 422  # only lines of the notice (eligible ones) can be objected to
    page = _object(client, draft, lines["光伏组件项目"]).get_data(as_text=True)
    assert "异议已登记" in page and "引荐人并未实际参与该项目的引进" in page and "待处理" in page
    with reward_builder.ctx():
        reward_list = db.session.get(RewardList, draft)
        with pytest.raises(ServiceError) as late:
            publicity.record_objection(
                reward_list,
                line_id=lines["光伏组件项目"],
                objector="王五",
                received_on=date(2026, 12, 3),
                content="迟到的异议",
            )
    assert "公示期（2026-12-04 至 2026-12-10）" in late.value.errors["received_on"][0]


def test_a_draft_takes_no_objection(reward_builder, draft):
    lines, _total = _lines(reward_builder, draft)
    with reward_builder.ctx():
        with pytest.raises(ServiceError, match="只有公示中的名单可以登记异议"):
            publicity.record_objection(
                db.session.get(RewardList, draft),
                line_id=lines["光伏组件项目"],
                objector="王五",
                received_on=date(2026, 12, 4),
                content="异议",
            )


def test_an_upheld_objection_withdraws_the_reward_and_the_list_is_finalized_after_the_period(
    client, auth, reward_builder, draft, app
):
    auth.login("a_manager")
    _publish(client, draft, end="2026-12-10")
    lines, total = _lines(reward_builder, draft)
    assert total > 0
    _object(client, draft, lines["光伏组件项目"])
    with reward_builder.ctx():
        objection_id = db.session.query(RewardObjection.id).scalar()
    refused = client.post(f"/rewards/lists/{draft}/finalize", follow_redirects=True).get_data(as_text=True)
    assert "公示期至 2026-12-10 结束，期满后才能定稿" in refused
    app.config["NOW"] = PINNED_NOW + timedelta(days=7)  # the 公示期 is over
    auth.login("a_manager")  # the session of a week ago has expired
    refused = client.post(f"/rewards/lists/{draft}/finalize", follow_redirects=True).get_data(as_text=True)
    assert "还有 1 条异议未处理" in refused
    no_outcome = client.post(f"/rewards/objections/{objection_id}/resolve", data={"decision": "upheld"})
    assert no_outcome.status_code == 422
    page = client.post(
        f"/rewards/objections/{objection_id}/resolve",
        data={"decision": "upheld", "outcome": "经核查引荐关系不实"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "异议已处理" in page and "异议成立" in page
    assert "公示期异议成立：经核查引荐关系不实" in page
    _lines_now, total_now = _lines(reward_builder, draft)
    assert total_now == 0
    done = client.post(f"/rewards/lists/{draft}/finalize", follow_redirects=True).get_data(as_text=True)
    assert "名单已定稿" in done
    stored = reward_builder.get(RewardList, draft)
    assert stored.status == "finalized" and stored.total_reward_wan == 0


def test_a_dismissed_objection_keeps_the_line_and_staff_cannot_resolve(
    client, auth, reward_builder, draft, app
):
    auth.login("a_manager")
    _publish(client, draft)
    lines, total = _lines(reward_builder, draft)
    _object(client, draft, lines["光伏组件项目"])
    auth.logout()
    with reward_builder.ctx():
        objection_id = db.session.query(RewardObjection.id).scalar()
    auth.login("a_staff")
    assert client.get(f"/rewards/objections/{objection_id}/resolve").status_code == 403
    auth.logout()
    auth.login("a_manager")
    client.post(
        f"/rewards/objections/{objection_id}/resolve",
        data={"decision": "dismissed", "outcome": "引荐备案及投资方确认书齐全"},
    )
    assert _lines(reward_builder, draft)[1] == total
    with reward_builder.ctx():
        objection = db.session.get(RewardObjection, objection_id)
        assert (objection.status, objection.resolved_on) == ("dismissed", date(2026, 12, 4))
        with pytest.raises(ServiceError, match="该异议已处理"):
            publicity.resolve_objection(objection, "upheld", "再议")
    # Finalized, objections are part of the snapshot.
    app.config["NOW"] = PINNED_NOW + timedelta(days=7)
    with reward_builder.ctx():
        services.finalize_list(db.session.get(RewardList, draft))
        db.session.commit()
    auth.login("a_leader")
    page = client.get(f"/rewards/lists/{draft}").get_data(as_text=True)
    assert "异议不成立" in page and "引荐备案及投资方确认书齐全" in page


def test_api_publishes_records_and_resolves_objections(api, reward_builder, draft):
    body = {
        "notice_start": "2026-12-04",
        "notice_end": "2026-12-10",
        "version": api.version(f"/api/v1/reward-lists/{draft}", "a_manager"),
    }
    assert api.post(f"/api/v1/reward-lists/{draft}/publish", as_user="a_staff", json=body).status_code == 403
    bad = api.post(
        f"/api/v1/reward-lists/{draft}/publish", as_user="a_manager", json={**body, "notice_end": "x"}
    )
    assert bad.status_code in (400, 422) and bad.mimetype == "application/problem+json"
    published = api.post(f"/api/v1/reward-lists/{draft}/publish", as_user="a_manager", json=body)
    assert published.status_code == 200
    assert (published.get_json()["status"], published.get_json()["notice_end"]) == (
        "publicized",
        "2026-12-10",
    )
    lines, _total = _lines(reward_builder, draft)  # publishing recomputed them: new lines
    listed = api.get(f"/api/v1/reward-lists/{draft}", as_user="a_staff").get_json()["eligible"]
    # An API client finds the line its objection names in the list it reads.
    assert {line["project_name"]: line["id"] for line in listed}["光伏组件项目"] == lines["光伏组件项目"]
    objection = {
        "line_id": lines["光伏组件项目"],
        "objector": "李明",
        "received_on": "2026-12-04",
        "content": "不实",
    }
    late = api.post(
        f"/api/v1/reward-lists/{draft}/objections",
        as_user="a_staff",
        json={**objection, "received_on": "2026-12-03"},
    )
    assert late.status_code == 422 and "公示期" in late.get_json()["errors"]["received_on"][0]
    created = api.post(f"/api/v1/reward-lists/{draft}/objections", as_user="a_staff", json=objection)
    assert created.status_code == 201 and created.get_json()["project_name"] == "光伏组件项目"
    objection_id = created.get_json()["id"]
    resolve = {"decision": "upheld", "outcome": "引荐关系不实", "version": created.get_json()["version"]}
    assert (
        api.post(
            f"/api/v1/reward-objections/{objection_id}/resolve", as_user="a_staff", json=resolve
        ).status_code
        == 403
    )
    done = api.post(f"/api/v1/reward-objections/{objection_id}/resolve", as_user="a_manager", json=resolve)
    assert done.status_code == 200 and done.get_json()["status"] == "upheld"
    got = api.get(f"/api/v1/reward-lists/{draft}", as_user="a_leader").get_json()
    assert got["total_reward_wan"] == "0.00" and got["eligible"] == []
    assert [o["status"] for o in got["objections"]] == ["upheld"]
    assert (
        "公示期异议成立" in got["ineligible"][0]["reason"]
        or "公示期异议成立" in got["ineligible"][1]["reason"]
    )
