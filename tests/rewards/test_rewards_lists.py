from datetime import date
from decimal import Decimal as D

import pytest
from record_support import reward_rule_fields
from sqlalchemy import select

from crm.core.db import db
from crm.core.errors import ServiceError
from crm.projects.models import Project
from crm.rewards import services
from crm.rewards.models import FinalizedListError, Referral, RewardLine, RewardList, RewardRule

NOV = date(2025, 11, 1)


@pytest.fixture
def finalized(reward_builder):
    """A finalized 2025Q4 list with one eligible and one ineligible project."""
    good = reward_builder.project("光伏项目", funds=[(NOV, 3000)])
    reward_builder.referral(good, name="周原商会", kind="unit")
    late = reward_builder.project(
        "冷链项目", signed_on=date(2025, 10, 20), reached_on=date(2025, 10, 20), funds=[(NOV, 500)]
    )
    reward_builder.referral(late, registered_on=date(2025, 10, 21))
    rule = reward_builder.rule(cap_wan="100")
    list_id = reward_builder.create_list(rule)
    reward_builder.finalize(list_id)
    return {"rule": rule, "list": list_id, "good": good, "late": late}


def test_finalized_list_keeps_rule_parameters_and_every_line(reward_builder, finalized):
    stored = reward_builder.get(RewardList, finalized["list"])
    assert stored.status == "finalized" and stored.finalized_at is not None
    assert (stored.rule_version, stored.basis, stored.mode, stored.cap_wan) == (
        1,
        "funds_in_place",
        "progressive",
        D("100.00"),
    )
    assert stored.tiers == [
        {"upper_wan": "1000", "rate_permille": "5"},
        {"upper_wan": "5000", "rate_permille": "3"},
        {"upper_wan": None, "rate_permille": "1"},
    ]
    lines = reward_builder.list_lines(finalized["list"])
    assert len(lines) == 2
    assert stored.total_reward_wan == D("11.00")


def test_snapshot_unchanged_after_projects_funds_referrals_and_rule_change(reward_builder, finalized):
    before = reward_builder.list_lines(finalized["list"])
    list_before = reward_builder.get(RewardList, finalized["list"])
    with reward_builder.ctx():
        project = db.session.get(Project, finalized["good"])
        project.name = "改名后的项目"
        project.signed_on = date(2025, 12, 31)
        db.session.add(reward_builder.funds_record(project, date(2025, 12, 1), "99999", origin="foreign"))
        referral = db.session.execute(select(Referral).where(Referral.project_id == project.id)).scalar_one()
        referral.referrer_name = "别人"
        db.session.commit()
    reward_builder.get(RewardRule, finalized["rule"])
    with reward_builder.ctx():
        reward_builder.revise_rule(
            finalized["rule"],
            name="新办法",
            basis="planned_investment",
            mode="bracket",
            tiers=[(None, "50")],
            exclude_public_officials=False,
        )
        db.session.commit()
    assert reward_builder.list_lines(finalized["list"]) == before
    after = reward_builder.get(RewardList, finalized["list"])
    assert (after.rule_name, after.tiers, after.total_reward_wan) == (
        list_before.rule_name,
        list_before.tiers,
        list_before.total_reward_wan,
    )


def test_finalized_list_cannot_be_deleted_refinalized_or_refreshed(reward_builder, finalized):
    with reward_builder.ctx():
        reward_list = db.session.get(RewardList, finalized["list"])
        for action in (services.delete_list, services.finalize_list, services.refresh_list):
            with pytest.raises(FinalizedListError):
                action(reward_list)
        db.session.rollback()
    with reward_builder.ctx():  # even a direct ORM change is refused at flush
        line = reward_builder.stored_lines(finalized["list"])[0]
        line.reward_wan = D("1")
        with pytest.raises(FinalizedListError):
            db.session.flush()
        db.session.rollback()
    with reward_builder.ctx():
        db.session.delete(db.session.get(RewardList, finalized["list"]))
        with pytest.raises(FinalizedListError):
            db.session.flush()
        db.session.rollback()
    assert len(reward_builder.list_lines(finalized["list"])) == 2


def test_no_double_reward_across_lists_and_rule_versions(reward_builder, finalized):
    # Two drafts over overlapping periods: finalizing the second recomputes and drops the rewarded project.
    draft = reward_builder.create_list(finalized["rule"], "2025")
    with reward_builder.ctx():
        new_version = reward_builder.revise_rule(
            finalized["rule"], name="奖励办法（修订）", mode="bracket", tiers=[(None, "2")]
        )
        db.session.commit()
        new_id, lineage = new_version.id, new_version.lineage_id
    assert new_id != finalized["rule"] and lineage == finalized["rule"]
    lines = reward_builder.lines_by_project(new_id, "2025")
    assert lines["光伏项目"].reason_code == "already_rewarded"
    second = reward_builder.create_list(new_id, "2025")
    reward_builder.finalize(second)
    with reward_builder.ctx():
        second_lines = {
            line.project_name: line.reason_code for line in db.session.get(RewardList, second).lines
        }
        assert second_lines["光伏项目"] == "already_rewarded"
        eligible = (
            db.session.execute(
                select(RewardLine.project_id)
                .join(RewardList, RewardLine.list_id == RewardList.id)
                .where(RewardList.status == "finalized", RewardLine.eligible.is_(True))
            )
            .scalars()
            .all()
        )
    assert eligible.count(finalized["good"]) == 1
    # The draft made from the old version can no longer be finalized.
    with reward_builder.ctx():
        with pytest.raises(ServiceError, match="已被新版本取代"):
            services.finalize_list(db.session.get(RewardList, draft))
        db.session.rollback()


def test_editing_a_rule_used_by_a_finalized_list_makes_a_new_version(reward_builder, finalized):
    values = reward_rule_fields(tiers=[("1000", "6"), (None, "2")], cap_wan="50")
    with reward_builder.ctx():
        old = db.session.get(RewardRule, finalized["rule"])
        successor = services.update_rule(old, **values)
        db.session.commit()
        assert (successor.rule_version, successor.lineage_id, old.superseded_by_id) == (
            2,
            old.id,
            successor.id,
        )
        assert old.tiers[0] == {"upper_wan": "1000", "rate_permille": "5"}
        with pytest.raises(ServiceError, match="最新版本"):
            services.update_rule(old, **values)
        db.session.rollback()
        # An unused version is edited in place.
        again = services.update_rule(db.session.get(RewardRule, successor.id), **{**values, "cap_wan": "60"})
        assert again.id == successor.id and again.cap_wan == D("60")


def test_draft_refresh_follows_current_data_and_delete_works(reward_builder):
    pid = reward_builder.project("草稿项目", funds=[(NOV, 1000)])
    reward_builder.referral(pid)
    rule = reward_builder.rule()
    draft = reward_builder.create_list(rule)
    assert reward_builder.get(RewardList, draft).total_reward_wan == D("5.00")
    reward_builder.add_funds(pid, date(2025, 12, 1), "1000", origin="foreign")
    with reward_builder.ctx():
        services.refresh_list(db.session.get(RewardList, draft))
        db.session.commit()
    assert reward_builder.get(RewardList, draft).total_reward_wan == D("8.00")
    with reward_builder.ctx():
        services.delete_list(db.session.get(RewardList, draft))
        db.session.commit()
        assert db.session.get(RewardList, draft) is None
