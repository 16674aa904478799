"""Issue 14 item 4: the options of a county's 办法 — thresholds, new entities, industries,
exclusions, shared rewards, an application deadline — each explained in the line."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from crm.core.db import db
from crm.core.errors import ServiceError
from crm.projects.models import Project
from crm.rewards import services
from crm.rewards.models import RewardRule

NOV = date(2025, 11, 1)


def _referral(reward_builder, project_id, **values):
    params = dict(
        referrer_name="王建国",
        referrer_kind="individual",
        registered_on=date(2025, 1, 5),
        investor_confirmed=True,
        investor_confirmed_on=date(2025, 1, 6),
    )
    params.update(values)
    with reward_builder.ctx():
        referral, _refused = services.register_referral(db.session.get(Project, project_id), **params)
        db.session.commit()
        return referral.id


def _set(reward_builder, project_id, **values):
    with reward_builder.ctx():
        project = db.session.get(Project, project_id)
        for key, value in values.items():
            setattr(project, key, value)
        db.session.commit()


def test_minimum_investment_and_fixed_asset_share(reward_builder):
    for name, planned, fixed in (("达标项目", 5000, 3000), ("小项目", 800, 700), ("轻资产项目", 5000, 1000)):
        _referral(reward_builder, reward_builder.project(name, planned=planned, fixed=fixed))
    rule = reward_builder.rule(
        basis="planned_investment",
        mode="bracket",
        min_planned_investment_wan="1000",
        min_fixed_asset_percent="50",
    )
    lines = reward_builder.lines_by_project(rule)
    assert lines["达标项目"].eligible and lines["达标项目"].arithmetic == (
        "5000.00 × 3‰ = 15.00 万元；条件：计划总投资 5000.00 万元 ≥ 最低 1000.00 万元；"
        "固定资产投资占比 3000.00 / 5000.00 = 60.00% ≥ 50.00%"
    )
    assert lines["小项目"].reason_code == "below_min_investment"
    assert "计划总投资 800.00 万元，低于办法规定的最低额 1000.00 万元" in lines["小项目"].reason
    assert lines["轻资产项目"].reason_code == "below_min_fixed_asset_share"
    assert "1000.00 / 5000.00 = 20.00%，低于办法规定的 50.00%" in lines["轻资产项目"].reason


def test_share_of_money_from_outside_the_city(reward_builder):
    outside = reward_builder.project("省外资金项目", funds=[(NOV, 2000)])
    mixed = reward_builder.project("县际资金项目", funds=[(NOV, 1000)])
    reward_builder.add_funds(mixed, NOV, "1000", origin="in_city", confirmed_at=datetime(2026, 12, 1))
    none = reward_builder.project("无资金项目")
    for pid in (outside, mixed, none):
        _referral(reward_builder, pid)
    lines = reward_builder.lines_by_project(reward_builder.rule(min_outside_city_percent="60"))
    assert "市外资金占比 2000.00 / 2000.00 = 100.00% ≥ 60.00%" in lines["省外资金项目"].arithmetic
    assert lines["县际资金项目"].reason_code == "below_min_outside_share"
    assert "1000.00 / 2000.00 = 50.00%，低于办法规定的 60.00%" in lines["县际资金项目"].reason
    assert "无法计算市外资金占比" in lines["无资金项目"].reason


def test_outside_city_share_reads_only_the_funds_that_count(reward_builder):
    """Money awaiting 认定 is in neither side of the share, as on the dashboard."""
    project = reward_builder.project("待认定资金项目", funds=[(NOV, 2000)])
    reward_builder.add_funds(project, NOV, "3000", origin="in_city", confirmed_at=None)
    _referral(reward_builder, project)
    lines = reward_builder.lines_by_project(reward_builder.rule(min_outside_city_percent="60"))
    assert lines["待认定资金项目"].eligible
    assert "市外资金占比 2000.00 / 2000.00 = 100.00% ≥ 60.00%" in lines["待认定资金项目"].arithmetic


def test_new_legal_entities_only_and_an_industry_list(reward_builder):
    new = reward_builder.project("新设项目", planned=3000)
    _set(reward_builder, new, kind="joint_venture", industry="新材料")
    expansion = reward_builder.project("扩建项目", planned=3000)
    _set(reward_builder, expansion, kind="expansion", industry="纺织")
    for pid in (new, expansion):
        _referral(reward_builder, pid)
    rule = reward_builder.rule(
        basis="planned_investment", new_entity_only=True, industries="新材料、装备制造"
    )
    lines = reward_builder.lines_by_project(rule)
    assert lines["新设项目"].eligible
    assert "新设法人项目（合资）；产业“新材料”在办法适用范围内" in lines["新设项目"].arithmetic
    assert lines["扩建项目"].reason_code == "not_new_entity"
    assert "项目类型为“扩建”，办法仅奖励新设法人项目" in lines["扩建项目"].reason
    assert "项目产业“纺织”不在办法适用范围（新材料、装备制造）内" in lines["扩建项目"].reason


def test_exclusion_of_institution_staff_and_of_the_investor_and_related_parties(reward_builder):
    staff = reward_builder.project("事业单位引荐", planned=3000)
    _referral(reward_builder, staff, is_public_institution_staff=True)
    related = reward_builder.project("关联方引荐", planned=3000)
    _referral(reward_builder, related, is_investor_related=True)
    excluding = reward_builder.rule(
        basis="planned_investment", exclude_public_institution_staff=True, exclude_investor_related=True
    )
    lines = reward_builder.lines_by_project(excluding)
    assert lines["事业单位引荐"].reason_code == "public_institution_staff"
    assert "事业单位工作人员" in lines["事业单位引荐"].reason
    assert lines["关联方引荐"].reason_code == "investor_related"
    allowing = reward_builder.rule(basis="planned_investment")
    assert all(line.eligible for line in reward_builder.eligibility(allowing).lines)


def test_one_reward_split_by_agreed_shares_and_an_excluded_co_referrer_loses_only_theirs(reward_builder):
    shared = reward_builder.project("合作引荐项目", planned=2000)
    co = [
        {"referrer_name": "李秀梅", "referrer_kind": "individual", "share_percent": "25"},
        {
            "referrer_name": "张科长",
            "referrer_kind": "individual",
            "share_percent": "15",
            "is_public_official": True,
        },
    ]
    _referral(
        reward_builder, shared, share_percent="60", share_agreement="分成协议 2025-07 号", co_referrers=co
    )
    rule = reward_builder.rule(basis="planned_investment", mode="bracket", tiers=[(None, "5")])
    line = reward_builder.lines_by_project(rule)["合作引荐项目"]
    assert line.eligible and line.reward_wan == D("8.50")  # 10.00 less the official's 1.50
    assert line.arithmetic == (
        "2000.00 × 5‰ = 10.00 万元；按分成协议：王建国 60% = 6.00 万元，李秀梅 25% = 2.50 万元，"
        "张科长 15% 不予发放（引荐人为公职人员，按办法不予个人奖励）；实发 8.50 万元"
    )
    assert [(s["referrer_name"], s["reward_wan"], s["excluded"]) for s in line.shares] == [
        ("王建国", "6.00", None),
        ("李秀梅", "2.50", None),
        ("张科长", "0.00", "public_official"),
    ]


def test_shares_that_do_not_make_100_or_lack_an_agreement_are_refused(reward_builder):
    pid = reward_builder.project("分成有误")
    co = [{"referrer_name": "李秀梅", "referrer_kind": "individual", "share_percent": "30"}]
    with pytest.raises(ServiceError) as caught:
        _referral(reward_builder, pid, share_percent="60", co_referrers=co)
    assert "合计应为 100%，现为 90%" in caught.value.errors["share_percent"][0]
    assert "分成协议" in caught.value.errors["share_agreement"][0]


def test_an_application_deadline_after_the_milestone(reward_builder):
    rule_values = dict(basis="planned_investment", application_days=30)
    on_time = reward_builder.project("按期申请", planned=3000)  # milestone 2025-11-10
    _referral(reward_builder, on_time, applied_on=date(2025, 12, 10))
    late = reward_builder.project("逾期申请", planned=3000)
    _referral(reward_builder, late, applied_on=date(2025, 12, 11))
    never = reward_builder.project("未申请", planned=3000)
    _referral(reward_builder, never)
    lines = reward_builder.lines_by_project(reward_builder.rule(**rule_values))
    assert "申请日期 2025-12-10，在期限 2025-12-10（达到节点后 30 日）内" in lines["按期申请"].arithmetic
    assert lines["逾期申请"].reason_code == "late_application"
    assert "奖励申请日期 2025-12-11 晚于申请期限 2025-12-10" in lines["逾期申请"].reason
    assert lines["未申请"].reason_code == "not_applied"


def test_options_are_refused_when_out_of_range(reward_builder):
    with pytest.raises(ServiceError) as caught:
        reward_builder.rule(
            min_fixed_asset_percent="120", application_days=0, min_planned_investment_wan="abc"
        )
    assert set(caught.value.errors) >= {
        "min_fixed_asset_percent",
        "application_days",
        "min_planned_investment_wan",
    }


def test_rule_form_referral_form_list_page_and_exports_show_the_options(client, auth, reward_builder):
    pid = reward_builder.project("表单项目", planned=2000, fixed=1500)
    auth.login("a_manager")
    form = {
        "name": "条件办法",
        "year": "2025",
        "basis": "planned_investment",
        "milestone": "signed",
        "mode": "bracket",
        "tiers": "不限, 5",
        "exclude_public_officials": "y",
        "min_planned_investment_wan": "1000",
        "min_fixed_asset_percent": "50%",
        "industries": "",
        "exclude_investor_related": "y",
    }
    saved = client.post("/rewards/rules/new", data=form, follow_redirects=True).get_data(as_text=True)
    assert "最低计划总投资" in saved and "1000.00 万元" in saved and "50.00%" in saved
    assert "投资方及其关联方" in saved
    referral = {
        "project_id": str(pid),
        "referrer_name": "王建国",
        "referrer_kind": "individual",
        "registered_on": "2025-01-05",
        "investor_confirmed": "y",
        "investor_confirmed_on": "2025-01-06",
        "co_referrers": "李秀梅, 个人, 30",
        "share_percent": "70",
        "share_agreement": "协议 1 号",
    }
    bad = client.post("/rewards/referrals/new", data={**referral, "co_referrers": "李秀梅 30"})
    assert bad.status_code == 422 and "合作引荐人第1行" in bad.get_data(as_text=True)
    client.post("/rewards/referrals/new", data=referral, follow_redirects=True)
    with reward_builder.ctx():
        rule_id = db.session.query(RewardRule.id).filter_by(name="条件办法").scalar()
    list_id = reward_builder.create_list(rule_id)
    page = client.get(f"/rewards/lists/{list_id}").get_data(as_text=True)
    assert "按分成协议：王建国 70% = 7.00 万元，李秀梅 30% = 3.00 万元" in page
    assert "固定资产投资占比 1500.00 / 2000.00 = 75.00% ≥ 50.00%" in page
    workbook = load_workbook(io.BytesIO(client.get(f"/rewards/lists/{list_id}/export.xlsx").data))
    rule_sheet = {row[0]: row[1] for row in workbook.worksheets[2].iter_rows(values_only=True)}
    assert rule_sheet["最低计划总投资"] == "1000.00 万元" and rule_sheet["投资方及其关联方"] == "不予奖励"
    rows = list(
        csv.reader(io.StringIO(client.get(f"/rewards/lists/{list_id}/export.csv").data.decode("utf-8-sig")))
    )
    assert "按分成协议" in rows[1][8] and "条件：" in rows[1][8]


def test_api_shows_rule_options_line_shares_and_takes_co_referrers(api, reward_builder):
    pid = reward_builder.project("接口项目", planned=2000)
    rule = reward_builder.rule(basis="planned_investment", industries=["新材料"], application_days=60)
    got = api.get(f"/api/v1/reward-rules/{rule}", as_user="a_leader").get_json()
    assert (got["industries"], got["application_days"], got["new_entity_only"]) == (["新材料"], 60, False)
    body = {
        "project_id": pid,
        "referrer_name": "王建国",
        "referrer_kind": "individual",
        "registered_on": "2025-01-05",
        "share_percent": "50",
        "share_agreement": "协议 2 号",
        "co_referrers": [{"referrer_name": "李秀梅", "share_percent": 50, "is_investor_related": True}],
        "applied_on": "2026-12-05",
    }
    future = api.post("/api/v1/referrals", as_user="a_staff", json=body)
    assert future.status_code == 422 and "不能晚于今天" in future.get_json()["errors"]["applied_on"][0]
    created = api.post("/api/v1/referrals", as_user="a_staff", json={**body, "applied_on": "2025-11-20"})
    assert created.status_code == 201
    assert created.get_json()["co_referrers"][0]["share_percent"] == "50.00"
    referral_id, version = created.get_json()["id"], created.get_json()["version"]
    patched = api.patch(
        f"/api/v1/referrals/{referral_id}", as_user="a_staff", json={"version": version, "note": "补充"}
    )
    assert patched.status_code == 200 and len(patched.get_json()["co_referrers"]) == 1  # kept
    _set(reward_builder, pid, industry="新材料")
    with reward_builder.ctx():
        referral = db.session.get(
            __import__("crm.rewards.models", fromlist=["Referral"]).Referral, referral_id
        )
        referral.investor_confirmed, referral.investor_confirmed_on = True, date(2025, 1, 6)
        db.session.commit()
    answer = api.get(f"/api/v1/reward-rules/{rule}/eligibility?period=2025Q4", as_user="a_leader").get_json()
    line = answer["eligible"][0]
    assert [(s["referrer_name"], s["reward_wan"]) for s in line["shares"]] == [
        ("王建国", "4.00"),
        ("李秀梅", "4.00"),  # related to the investor, but this rule does not exclude them
    ]


def test_api_writes_and_changes_a_rule_with_its_options(api, world):
    body = {
        "name": "接口办法",
        "year": 2025,
        "basis": "planned_investment",
        "milestone": "signed",
        "mode": "bracket",
        "tiers": [{"upper_wan": None, "rate_permille": "5"}],
        "min_planned_investment_wan": "3000",
        "industries": ["新材料"],
        "exclude_investor_related": True,
        "application_days": 90,
    }
    assert api.post("/api/v1/reward-rules", as_user="a_staff", json=body).status_code == 403
    bad = api.post(
        "/api/v1/reward-rules", as_user="a_manager", json={**body, "min_fixed_asset_percent": "150"}
    )
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert "min_fixed_asset_percent" in bad.get_json()["errors"]
    created = api.post("/api/v1/reward-rules", as_user="a_manager", json=body)
    assert created.status_code == 201
    rule = created.get_json()
    assert (rule["min_planned_investment_wan"], rule["industries"], rule["application_days"]) == (
        "3000.00",
        ["新材料"],
        90,
    )
    stale = api.patch(f"/api/v1/reward-rules/{rule['id']}", as_user="a_manager", json={"version": 99})
    assert stale.status_code == 409
    changed = api.patch(
        f"/api/v1/reward-rules/{rule['id']}",
        as_user="a_manager",
        json={"version": rule["version"], "new_entity_only": True, "application_days": None},
    )
    assert changed.status_code == 200
    assert (changed.get_json()["new_entity_only"], changed.get_json()["application_days"]) == (True, None)
    assert changed.get_json()["industries"] == ["新材料"]  # left out: kept
