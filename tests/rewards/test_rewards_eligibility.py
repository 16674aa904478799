from datetime import date
from decimal import Decimal as D

import pytest

from crm.core.db import db
from crm.core.errors import ServiceError
from crm.projects.models import StageChange

NOV = date(2025, 11, 1)
TIERS = [("1000", "5"), ("5000", "3"), (None, "1")]


def _funded(reward_builder, name, amount, **kw):
    pid = reward_builder.project(name, funds=[(NOV, amount)], **kw)
    reward_builder.referral(pid)
    return pid


@pytest.mark.parametrize(
    "mode, basis, reward, rates",
    [
        ("bracket", "1000", "5.00", "5‰"),  # equal to an upper bound: that bracket
        ("bracket", "1000.01", "3.00", "3‰"),  # just above: the whole basis at the next rate
        ("bracket", "5000", "15.00", "3‰"),
        ("bracket", "5000.01", "5.00", "1‰"),
        ("progressive", "1000", "5.00", "5‰"),
        ("progressive", "1000.01", "5.00", "5‰ + 3‰"),
        ("progressive", "5000", "17.00", "5‰ + 3‰"),
        ("progressive", "6000", "18.00", "5‰ + 3‰ + 1‰"),
    ],
)
def test_tiers_at_their_boundaries_through_the_eligibility_service(
    reward_builder, mode, basis, reward, rates
):
    _funded(reward_builder, "边界项目", basis)
    rule = reward_builder.rule(mode=mode, tiers=TIERS)
    line = reward_builder.lines_by_project(rule)["边界项目"]
    assert line.eligible
    assert line.basis_wan == D(basis)
    assert line.reward_wan == D(reward)
    assert line.rates == rates
    assert line.arithmetic.endswith(f"= {reward} 万元")
    assert not line.capped


def test_cap_limits_the_reward_and_is_flagged(reward_builder):
    _funded(reward_builder, "大项目", "6000")
    _funded(reward_builder, "正好封顶", "3000")  # 1000×5‰ + 2000×3‰ = 11.00, equal to the cap
    rule = reward_builder.rule(cap_wan="11")
    lines = reward_builder.lines_by_project(rule)
    assert lines["大项目"].reward_wan == D("11.00") and lines["大项目"].capped
    assert "= 18.00 万元；封顶 11.00 万元" in lines["大项目"].arithmetic
    assert lines["正好封顶"].reward_wan == D("11.00") and not lines["正好封顶"].capped


def test_each_ineligibility_reason(reward_builder):
    signed = date(2025, 11, 10)
    reward_builder.project("无备案", funds=[(NOV, 100)])  # no referral
    late = reward_builder.project("备案晚于签约", signed_on=signed, funds=[(NOV, 100)])
    reward_builder.referral(late, registered_on=date(2025, 11, 11))
    unconfirmed = reward_builder.project("未确认", funds=[(NOV, 100)])
    reward_builder.referral(unconfirmed, confirmed=False)
    official = reward_builder.project("公职人员", funds=[(NOV, 100)])
    reward_builder.referral(official, official=True)
    zero = reward_builder.project("零基数")
    reward_builder.referral(zero)
    ok = reward_builder.project("符合", funds=[(NOV, 100)])
    reward_builder.referral(ok, registered_on=signed)  # the same day as signing is in time
    rule = reward_builder.rule()
    lines = reward_builder.lines_by_project(rule)
    assert {name: line.reason_code for name, line in lines.items()} == {
        "无备案": "no_referral",
        "备案晚于签约": "late_registration",
        "未确认": "not_confirmed",
        "公职人员": "public_official",
        "零基数": "zero_basis",
        "符合": None,
    }
    assert lines["备案晚于签约"].reason == "引荐备案日期 2025-11-11 晚于签约日期 2025-11-10"
    assert lines["未确认"].reason == "投资方未确认引荐关系"
    assert lines["符合"].eligible and lines["符合"].reward_wan == D("0.50")
    assert all(not line.eligible and line.reward_wan == 0 for n, line in lines.items() if n != "符合")
    # A rule that does not exclude public officials rewards them.
    lenient = reward_builder.rule(exclude_public_officials=False)
    assert reward_builder.lines_by_project(lenient)["公职人员"].eligible


def test_already_rewarded_in_a_finalized_list_of_the_same_rule(reward_builder):
    pid = _funded(reward_builder, "已奖项目", "2000")
    rule = reward_builder.rule()
    reward_builder.finalize(reward_builder.create_list(rule, "2025"))
    line = reward_builder.lines_by_project(rule, "2025Q4")["已奖项目"]
    assert (line.eligible, line.reason_code) == (False, "already_rewarded")
    # Another rule (its own lineage) may still reward it.
    assert reward_builder.lines_by_project(reward_builder.rule(name="另一办法"))["已奖项目"].eligible
    assert pid


def test_several_reasons_are_all_given(reward_builder):
    pid = reward_builder.project("多重原因")
    reward_builder.referral(pid, confirmed=False, official=True)
    line = reward_builder.lines_by_project(reward_builder.rule())["多重原因"]
    assert line.reason_code == "not_confirmed"
    assert "公职人员" in line.reason and "奖励基数为零" in line.reason


def test_only_first_arrival_inside_the_period_counts_and_funds_up_to_period_end(reward_builder, app):
    early = _funded(reward_builder, "早已签约", "500", reached_on=date(2024, 6, 1))
    with reward_builder.ctx():  # moved back and signed again in November 2025: not a new arrival
        db.session.add(
            StageChange(
                project_id=early,
                county_id=reward_builder.county("a"),
                to_stage="signed",
                reached_on=date(2025, 11, 20),
            )
        )
        db.session.commit()
    pid = reward_builder.project("跨期资金", funds=[(date(2025, 12, 1), 1000), (date(2026, 1, 1), 9000)])
    reward_builder.referral(pid)
    reward_builder.project("三季度", reached_on=date(2025, 9, 30))
    reward_builder.project("外县项目", county="b", funds=[(NOV, 100)])
    rule = reward_builder.rule()
    lines = reward_builder.lines_by_project(rule, "2025Q4")
    assert list(lines) == ["跨期资金"]
    assert lines["跨期资金"].basis_wan == D("1000.00")  # January 2026 is after the period
    assert list(reward_builder.lines_by_project(rule, "2025-07-01..2025-09-30")) == ["三季度"]


def test_investment_bases_and_deterministic_order(reward_builder):
    first = reward_builder.project("乙项目", fixed=D("3000"), planned=D("8000"))
    second = reward_builder.project("甲项目", fixed=D("0"), planned=D("2000"))
    for pid in (first, second):
        reward_builder.referral(pid)
    fixed_rule = reward_builder.rule(basis="fixed_asset_investment", mode="bracket")
    planned_rule = reward_builder.rule(basis="planned_investment", mode="bracket")
    fixed_lines = reward_builder.eligibility(fixed_rule).lines
    assert [line.project_name for line in fixed_lines] == ["乙项目", "甲项目"]  # by project id
    assert [(line.basis_wan, line.reward_wan, line.reason_code) for line in fixed_lines] == [
        (D("3000.00"), D("9.00"), None),
        (D("0.00"), D("0.00"), "zero_basis"),
    ]
    planned = {line.project_name: line.reward_wan for line in reward_builder.eligibility(planned_rule).lines}
    assert planned == {"乙项目": D("8.00"), "甲项目": D("6.00")}


def test_half_up_rounding_to_a_hundredth_of_wan(reward_builder):
    _funded(reward_builder, "四舍五入", "1")  # 1 × 5‰ = 0.005 → 0.01
    assert reward_builder.lines_by_project(reward_builder.rule())["四舍五入"].reward_wan == D("0.01")


@pytest.mark.parametrize("period", ["2025Q5", "明年", "", "2025-12-01..2025-01-01"])
def test_unparseable_period_is_a_clear_field_error(reward_builder, period):
    rule = reward_builder.rule()
    with pytest.raises(ServiceError) as caught:
        reward_builder.eligibility(rule, period)
    assert caught.value.errors["period"][0]
    assert "期间" in caught.value.errors["period"][0] or "日期" in caught.value.errors["period"][0]
