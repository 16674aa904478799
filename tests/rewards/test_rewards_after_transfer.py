"""Rewards after a transfer (docs/design.md): the county holding the project when its list is
drawn up rewards the referrer, and a step the old county already rewarded is not rewarded
again by the new one — the old county's lines stay in its lists, which the new one cannot read."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from clock_support import PINNED_NOW

from crm.core.db import db
from crm.core.errors import ServiceError
from crm.rewards import publicity, services
from crm.rewards.models import RewardList

MAY = date(2026, 5, 1)
NAME = "流转光伏项目"


def _transfer(api, world, project_id: int) -> None:
    body = {"project_id": project_id, "to_county_id": world.county_b, "reason": "land",
            "from_share_percent": "60", "years": 5}  # fmt: skip
    offer = api.post("/api/v1/transfers", as_user="a_manager", json=body)
    assert offer.status_code == 201, offer.get_json()
    accepted = api.post(
        f"/api/v1/transfers/{offer.get_json()['id']}/accept",
        as_user="b_manager",
        json={"version": offer.get_json()["version"]},
    )
    assert accepted.status_code == 200, accepted.get_json()


def _signed_in_a(reward_builder) -> int:
    project_id = reward_builder.project(NAME, reached_on=date(2026, 5, 10), funds=[(MAY, 3000)])
    reward_builder.referral(project_id, name="周原商会", kind="unit")
    return project_id


def _publish(reward_builder, list_id: int) -> None:
    with reward_builder.ctx():
        publicity.publish_list(db.session.get(RewardList, list_id), date(2026, 12, 4), date(2026, 12, 10))
        db.session.commit()


def test_the_new_county_does_not_reward_a_step_the_old_one_rewarded(reward_builder, api, world):
    project_id = _signed_in_a(reward_builder)
    reward_builder.finalize(reward_builder.create_list(reward_builder.rule("a", year=2026), "2026"))
    _transfer(api, world, project_id)
    line = reward_builder.lines_by_project(reward_builder.rule("b", year=2026), "2026")[NAME]
    assert (line.eligible, line.reason_code, line.reward_wan) == (False, "rewarded_before_transfer", 0)
    assert "原所在县（区）已按同一节点奖励过" in line.reason


def test_a_project_moved_before_any_reward_is_rewarded_by_the_county_holding_it(reward_builder, api, world):
    project_id = _signed_in_a(reward_builder)
    _transfer(api, world, project_id)
    assert reward_builder.lines_by_project(reward_builder.rule("b", year=2026), "2026")[NAME].eligible
    assert NAME not in reward_builder.lines_by_project(reward_builder.rule("a", year=2026), "2026")


def test_of_two_lists_publicized_across_a_transfer_only_the_first_finalized_rewards(
    reward_builder, api, world, app
):
    project_id = _signed_in_a(reward_builder)
    list_a = reward_builder.create_list(reward_builder.rule("a", year=2026), "2026")
    _publish(reward_builder, list_a)  # A's public saw the line: A keeps it
    _transfer(api, world, project_id)
    list_b = reward_builder.create_list(reward_builder.rule("b", year=2026), "2026")
    _publish(reward_builder, list_b)  # nothing finalized yet: B lists it too
    app.config["NOW"] = PINNED_NOW + timedelta(days=7)
    reward_builder.finalize(list_a)
    with reward_builder.ctx(), pytest.raises(ServiceError, match="流转前已由原所在县（区）按同一节点奖励过"):
        services.finalize_list(db.session.get(RewardList, list_b))
    assert reward_builder.get(RewardList, list_b).status == "publicized"


def test_the_old_countys_frozen_list_does_not_call_a_transferred_project_moved_back(
    reward_builder, api, world
):
    """A's publicized list keeps the line as A decided it; the project moved to B, it was not
    moved back, so the list shows no difference for it (it said 已退回 before)."""
    project_id = _signed_in_a(reward_builder)
    list_a = reward_builder.create_list(reward_builder.rule("a", year=2026), "2026")
    _publish(reward_builder, list_a)
    _transfer(api, world, project_id)
    shown = api.get(f"/api/v1/reward-lists/{list_a}", as_user="a_manager").get_json()
    assert [line["project_id"] for line in shown["eligible"]] == [project_id]
    assert shown["discrepancies"] == []
