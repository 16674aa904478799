"""Issue 14 items 1 and 2: when a project reached a rule's milestone, and on which date."""

from datetime import date

from record_support import add_with_history

from crm.core.db import db
from crm.projects.models import Project
from crm.rewards.models import RewardList

NOV = date(2025, 11, 1)


def _project(reward_builder, name, stage, history, **dates) -> int:
    """A project now at ``stage`` with ``history`` = [(from, to, reached_on)] and its evidence dates."""
    with reward_builder.ctx():
        county_id = reward_builder.county("a")
        project = Project(name=name, county_id=county_id, stage=stage, contract_no="HT-9", **dates)
        add_with_history(project, *history)
        db.session.commit()
        return project.id


def test_a_project_that_skipped_the_milestone_stage_reached_it(reward_builder):
    skipped = _project(
        reward_builder,
        "跳过签约",
        "registered",
        [("lead", "registered", date(2025, 11, 20))],
        signed_on=date(2025, 11, 12),
        registered_on=date(2025, 11, 20),
    )
    reward_builder.referral(skipped)
    lines = reward_builder.lines_by_project(reward_builder.rule(basis="planned_investment"))
    assert list(lines) == ["跳过签约"]
    assert lines["跳过签约"].milestone_reached_on == date(2025, 11, 12)  # its signing date
    assert lines["跳过签约"].reason_code == "zero_basis"  # it is judged, not left out


def test_the_milestone_date_is_the_current_evidence_date_not_the_stage_change(reward_builder):
    # Moved to 签约 on 2025-09-28 with a signing date typed wrong, then corrected to 2025-10-08.
    corrected = _project(
        reward_builder,
        "更正签约日期",
        "signed",
        [("negotiating", "signed", date(2025, 9, 28))],
        signed_on=date(2025, 10, 8),
    )
    reward_builder.referral(corrected)
    rule = reward_builder.rule()
    assert list(reward_builder.lines_by_project(rule, "2025Q4")) == ["更正签约日期"]
    assert reward_builder.lines_by_project(rule, "2025Q4")["更正签约日期"].milestone_reached_on == date(
        2025, 10, 8
    )
    assert list(reward_builder.lines_by_project(rule, "2025Q3")) == []


def test_a_stage_without_evidence_is_dated_by_its_first_arrival_at_it_or_later(reward_builder):
    _project(
        reward_builder,
        "直接签约",
        "signed",
        [("contacted", "signed", date(2025, 11, 3))],
        signed_on=date(2025, 11, 3),
    )
    rule = reward_builder.rule(milestone="negotiating")
    assert reward_builder.lines_by_project(rule)["直接签约"].milestone_reached_on == date(2025, 11, 3)


def test_a_project_moved_back_before_the_milestone_is_listed_as_ineligible(reward_builder):
    back = _project(
        reward_builder,
        "退回洽谈",
        "negotiating",
        [("negotiating", "signed", date(2025, 11, 5)), ("signed", "negotiating", date(2025, 11, 25))],
    )
    reward_builder.referral(back)
    lost = _project(
        reward_builder,
        "签约后终止",
        "lost",
        [("negotiating", "signed", date(2025, 11, 6)), ("signed", "lost", date(2025, 12, 1))],
        signed_on=date(2025, 11, 6),
    )
    reward_builder.referral(lost)
    back_then_held = _project(
        reward_builder,
        "退回后搁置",
        "on_hold",
        [
            ("negotiating", "signed", date(2025, 11, 7)),
            ("signed", "negotiating", date(2025, 11, 20)),
            ("negotiating", "on_hold", date(2025, 11, 28)),
        ],
        signed_on=date(2025, 11, 7),
    )
    reward_builder.referral(back_then_held)
    lines = reward_builder.lines_by_project(reward_builder.rule(basis="planned_investment"))
    assert lines["退回洽谈"].reason_code == "moved_back" and "退回" in lines["退回洽谈"].reason
    assert lines["签约后终止"].reason_code == "zero_basis"  # signed in the period: still reached
    # Put on hold after being moved back: it stands where it left the path, before 签约.
    assert lines["退回后搁置"].reason_code == "moved_back"
    with reward_builder.ctx():
        from crm.dashboard.figures import stage_reached_in_year

        county = reward_builder.county("a")
        signed = stage_reached_in_year([county], 2025)[county]["signed"][0]
    assert signed == 1  # 签约后终止 counts, 退回洽谈 and 退回后搁置 do not


def _finalized_with_signing(reward_builder, signed_on):
    pid = reward_builder.project("改签项目", reached_on=signed_on, funds=[(NOV, 2000)])
    reward_builder.referral(pid)
    list_id = reward_builder.create_list(reward_builder.rule())
    reward_builder.finalize(list_id)
    return pid, list_id


def _correct_signing(reward_builder, pid, signed_on):
    with reward_builder.ctx():
        db.session.get(Project, pid).signed_on = signed_on
        db.session.commit()


def test_a_finalized_list_keeps_its_snapshot_and_shows_a_corrected_date(reward_builder, client, auth, api):
    pid, list_id = _finalized_with_signing(reward_builder, date(2025, 11, 10))
    before = reward_builder.list_lines(list_id)
    _correct_signing(reward_builder, pid, date(2026, 1, 15))
    assert reward_builder.list_lines(list_id) == before
    assert date(2025, 11, 10) in before[0]  # the line as it was finalized
    # Computed today the project belongs to 2026Q1.
    rule_id = reward_builder.get(RewardList, list_id).rule_id
    assert list(reward_builder.lines_by_project(rule_id, "2026Q1")) == ["改签项目"]

    auth.login("a_leader")
    page = client.get(f"/rewards/lists/{list_id}").get_data(as_text=True)
    assert 'data-testid="discrepancies"' in page
    assert "名单记载 2025-11-10" in page and "现为 2026-01-15" in page and "已不在本期" in page
    body = api.get(f"/api/v1/reward-lists/{list_id}", as_user="a_leader").get_json()
    assert body["discrepancies"] == [
        {
            "project_id": pid,
            "project_name": "改签项目",
            "recorded_on": "2025-11-10",
            "current_on": "2026-01-15",
            "in_period": False,
        }
    ]
    assert body["eligible"][0]["milestone_reached_on"] == "2025-11-10"


def test_an_unchanged_finalized_list_shows_no_discrepancy(reward_builder, client, auth, api):
    _pid, list_id = _finalized_with_signing(reward_builder, date(2025, 11, 10))
    auth.login("a_leader")
    assert 'data-testid="discrepancies"' not in client.get(f"/rewards/lists/{list_id}").get_data(as_text=True)
    assert api.get(f"/api/v1/reward-lists/{list_id}", as_user="a_leader").get_json()["discrepancies"] == []
