import re
from datetime import date
from decimal import Decimal as D

from clock_support import PINNED_TODAY

from crm.rewards.models import RewardList, RewardRule

NOV = date(2025, 11, 1)


def _referral_form(project_id, name, **extra):
    return {
        "project_id": str(project_id),
        "referrer_name": name,
        "referrer_kind": "individual",
        "registered_on": "2025年1月5日",
        "investor_confirmed": "y",
        "investor_confirmed_on": "2025-01-06",
        **extra,
    }


def _rule_with_a_referred_project(reward_builder, name: str) -> int:
    """A project named ``name`` with 2000 万元 in place in November 2025 and a referral; the
    usual rule (5 ‰ of the first 1000, 3 ‰ of the next), which rewards it 8.00 万元."""
    reward_builder.referral(reward_builder.project(name, funds=[(NOV, 2000)]))
    return reward_builder.rule()


def test_second_referral_claim_is_refused_listed_and_resolved_by_manager(client, auth, reward_builder):
    pid = reward_builder.project("电池项目")
    auth.login("a_staff")
    first = client.post("/rewards/referrals/new", data=_referral_form(pid, "王建国"), follow_redirects=True)
    assert "引荐备案已登记" in first.get_data(as_text=True)
    second = client.post("/rewards/referrals/new", data=_referral_form(pid, "李秀梅"), follow_redirects=True)
    assert "本次登记未被采纳" in second.get_data(as_text=True)
    assert reward_builder.referrals_of(pid) == {"王建国": "active", "李秀梅": "disputed"}
    waiting = client.get("/rewards/disputes").get_data(as_text=True)
    assert "李秀梅" in waiting and "待局长处理" in waiting  # staff see the claim wait
    assert "resolve" not in waiting  # but have no form to resolve it
    auth.logout()
    auth.login("a_manager")
    page = client.get("/rewards/disputes").get_data(as_text=True)
    assert "引荐争议" in page and "李秀梅" in page and "王建国" in page
    from sqlalchemy import select

    from crm.core.db import db
    from crm.rewards.models import Referral

    with reward_builder.ctx():
        claim_id = db.session.execute(
            select(Referral.id).where(Referral.referrer_name == "李秀梅")
        ).scalar_one()
    response = client.post(
        f"/rewards/disputes/{claim_id}/resolve", data={"action": "replace", "note": "经核实"}
    )
    assert response.status_code == 302
    assert reward_builder.referrals_of(pid) == {"王建国": "superseded", "李秀梅": "active"}
    assert "没有待处理的引荐争议" in client.get("/rewards/disputes").get_data(as_text=True)


def test_dispute_keep_rejects_the_claim(client, auth, reward_builder):
    pid = reward_builder.project("再生铝项目")
    reward_builder.referral(pid, name="甲")
    claim = reward_builder.referral(pid, name="乙")
    auth.login("a_manager")
    assert client.post(f"/rewards/disputes/{claim}/resolve", data={"action": "keep"}).status_code == 302
    assert reward_builder.referrals_of(pid) == {"甲": "active", "乙": "rejected"}


def test_referral_after_signing_is_accepted_but_warned_and_ineligible(client, auth, reward_builder):
    pid = reward_builder.project("晚备案项目", signed_on=date(2025, 11, 10), funds=[(NOV, 100)])
    auth.login("a_staff")
    page = client.post(
        "/rewards/referrals/new",
        data=_referral_form(pid, "张志强", registered_on="2025-11-12"),
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "引荐备案已登记" in page and "晚于项目签约日期" in page and "晚于签约" in page
    assert reward_builder.referrals_of(pid) == {"张志强": "active"}
    line = reward_builder.lines_by_project(reward_builder.rule())["晚备案项目"]
    assert line.reason_code == "late_registration"


def test_referral_form_errors_keep_the_input(client, auth, reward_builder):
    pid = reward_builder.project("项目")
    auth.login("a_staff")
    response = client.post(
        "/rewards/referrals/new",
        data=_referral_form(pid, "赵六", registered_on="去年", investor_confirmed_on=""),
    )
    body = response.get_data(as_text=True)
    assert "无法识别的日期" in body and 'value="赵六"' in body and 'value="去年"' in body
    assert reward_builder.referrals_of(pid) == {}


def _rule_form(tiers, **extra):
    return {
        "name": "2025年奖励办法",
        "year": "2025",
        "basis": "funds_in_place",
        "milestone": "signed",
        "mode": "bracket",
        "tiers": tiers,
        "cap_wan": "30",
        "exclude_public_officials": "y",
        **extra,
    }


def test_rule_form_refuses_bad_tiers_with_field_errors_and_keeps_input(client, auth, app, world):
    auth.login("a_manager")
    cases = {
        "5000, 3\n1000, 5": "各档上限须从小到大排列",  # out of order
        "1000, 5\n1000, 3": "不大于第1档",  # overlapping
        "1000, -5\n不限, 3": "不能为负数",  # negative rate
        "不限, 5\n1000, 3": "只有最后一档可以不设上限",
        "1000": "第1行应写成",
    }
    for tiers, message in cases.items():
        body = client.post("/rewards/rules/new", data=_rule_form(tiers)).get_data(as_text=True)
        assert message in body, tiers
        assert "is-invalid" in body and tiers.split("\n")[0] in body
    ok = client.post("/rewards/rules/new", data=_rule_form("1000, 5\n不限, 3"))
    assert ok.status_code == 302
    from sqlalchemy import select

    from crm.core.db import db
    from crm.core.tenancy import system_scope

    with app.app_context(), system_scope():
        rule = db.session.execute(select(RewardRule)).scalar_one()
        assert rule.tiers == [
            {"upper_wan": "1000", "rate_permille": "5"},
            {"upper_wan": None, "rate_permille": "3"},
        ]
        assert rule.cap_wan == D("30.00")


def test_only_managers_edit_rules(client, auth, reward_builder):
    rule = reward_builder.rule()
    auth.login("a_staff")
    assert client.get("/rewards/rules/new").status_code == 403
    assert client.post(f"/rewards/rules/{rule}/edit", data=_rule_form("1000, 5")).status_code == 403
    assert client.get(f"/rewards/rules/{rule}").status_code == 200


def test_eligibility_page_shows_lines_and_a_bad_period_message(client, auth, reward_builder):
    rule = _rule_with_a_referred_project(reward_builder, "测算项目")
    auth.login("a_leader")
    page = client.get(f"/rewards/rules/{rule}?period=2025Q4").get_data(as_text=True)
    assert "测算项目" in page and "1000.00 × 5‰ + 1000.00 × 3‰ = 8.00 万元" in page
    bad = client.get(f"/rewards/rules/{rule}?period=2025Q7")
    assert bad.status_code == 422 and "无法识别的期间“2025Q7”" in bad.get_data(as_text=True)


def test_list_from_draft_to_finalized_staff_gets_403(client, auth, reward_builder, app):
    rule = _rule_with_a_referred_project(reward_builder, "定稿项目")
    auth.login("a_staff")
    bad = client.post("/rewards/lists/new", data={"rule_id": str(rule), "period": "第四季度"})
    assert bad.status_code == 422 and "无法识别的期间" in bad.get_data(as_text=True)
    created = client.post("/rewards/lists/new", data={"rule_id": str(rule), "period": "2025Q4"})
    assert created.status_code == 302
    list_id = int(created.headers["Location"].rstrip("/").split("/")[-1])
    assert client.post(f"/rewards/lists/{list_id}/finalize", data={}).status_code == 403
    auth.logout()
    auth.login("a_manager")
    page = client.get(f"/rewards/lists/{list_id}").get_data(as_text=True)
    assert "定稿项目" in page and "8.00" in page
    assert client.post(f"/rewards/lists/{list_id}/finalize", data={}).status_code == 302
    assert reward_builder.get(RewardList, list_id).status == "finalized"
    again = client.post(f"/rewards/lists/{list_id}/delete", data={}, follow_redirects=True)
    assert "已定稿的奖励名单不能修改或删除" in again.get_data(as_text=True)
    assert reward_builder.get(RewardList, list_id).status == "finalized"
    for path in ("/rewards/", "/rewards/rules", "/rewards/referrals", f"/rewards/rules/{rule}"):
        assert client.get(path).status_code == 200, path


def test_coordinator_reads_but_cannot_write(client, auth, reward_builder):
    rule = reward_builder.rule()
    list_id = reward_builder.create_list(rule)
    auth.login("city")
    assert client.get("/rewards/").status_code == 200
    assert client.get(f"/rewards/lists/{list_id}").status_code == 200
    assert client.get("/rewards/referrals/new").status_code == 403
    assert client.post(f"/rewards/lists/{list_id}/refresh", data={}).status_code == 403
    auth.logout()
    auth.login("xian")  # a coordinator of another city sees nothing of ours
    assert client.get(f"/rewards/lists/{list_id}").status_code == 404


def test_rule_page_exports_the_period_and_points_to_its_finalized_list(client, auth, reward_builder):
    import io

    from openpyxl import load_workbook

    rule = _rule_with_a_referred_project(reward_builder, "导出项目")
    auth.login("a_leader")
    live = client.get(f"/rewards/rules/{rule}/export.xlsx?period=2025Q4")
    assert live.status_code == 200
    sheet = load_workbook(io.BytesIO(live.data))["奖励办法"]
    assert {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2)}[
        "状态"
    ] == "按当前数据计算，未定稿"
    bad = client.get(f"/rewards/rules/{rule}/export.csv?period=Q4", follow_redirects=True)
    assert "无法识别的期间" in bad.get_data(as_text=True)
    list_id = reward_builder.create_list(rule)
    reward_builder.finalize(list_id)
    page = client.get(f"/rewards/rules/{rule}?period=2025Q4").get_data(as_text=True)
    assert "本期间已有定稿名单" in page and f"/rewards/lists/{list_id}" in page
    frozen = client.get(f"/rewards/rules/{rule}/export.csv?period=2025Q4").data.decode("utf-8-sig")
    assert "导出项目" in frozen and "已在本办法的定稿名单中奖励过" not in frozen


def test_stale_finalize_from_the_page_is_refused(client, auth, reward_builder):
    list_id = reward_builder.create_list(reward_builder.rule())
    auth.login("a_manager")
    page = client.get(f"/rewards/lists/{list_id}").get_data(as_text=True)
    import re

    shown = re.search(r'name="version" type="hidden" value="(\d+)"', page)
    assert shown and int(shown.group(1)) == reward_builder.get(RewardList, list_id).version
    stale = client.post(f"/rewards/lists/{list_id}/finalize", data={"version": "0"}, follow_redirects=True)
    assert "该名单已被他人修改" in stale.get_data(as_text=True)
    assert reward_builder.get(RewardList, list_id).status == "draft"


def test_dashboard_panel_counts_disputes_drafts_and_rewards(app, reward_builder, monkeypatch):
    from batch_spy import record_batches

    from crm.rewards import panel
    from crm.rewards.panel import dashboard_panel

    counted = record_batches(monkeypatch, panel, "_panel_figures_by_county")

    pid = reward_builder.project("面板项目", funds=[(NOV, 2000)], reached_on=PINNED_TODAY)
    reward_builder.referral(pid, registered_on=date(2000, 1, 1))
    reward_builder.referral(pid, name="争议人")
    rule = reward_builder.rule(year=PINNED_TODAY.year)
    reward_builder.finalize(reward_builder.create_list(rule, str(PINNED_TODAY.year)))
    reward_builder.create_list(reward_builder.rule(name="第二办法"), "2025")
    with reward_builder.ctx():
        html = str(dashboard_panel(frozenset({reward_builder.county("a")}), PINNED_TODAY))
        assert "待处理的引荐争议 1 件" in html and "待定稿的奖励名单 1 份" in html
        assert "已定稿奖励合计 8.00 万元" in html
        assert dashboard_panel(frozenset({reward_builder.county("b")}), PINNED_TODAY) is None
        assert "待定稿的奖励名单 1 份" in str(
            dashboard_panel(frozenset({reward_builder.county("a")}), PINNED_TODAY)
        )
    a, b = reward_builder.county("a"), reward_builder.county("b")
    assert counted == [[a], [b]]  # each county counted once, then kept
    # The figures follow the next write.
    reward_builder.create_list(reward_builder.rule(name="第三办法"), "2024")
    with reward_builder.ctx():
        html = str(dashboard_panel(frozenset({reward_builder.county("a")}), PINNED_TODAY))
        assert "待定稿的奖励名单 2 份" in html
    assert counted[2:] == [[a]]


def test_a_stale_referral_save_shows_every_stored_value_so_a_confirmation_is_not_lost(
    client, auth, reward_builder
):
    """Two people edit one referral: the second save is refused and the box shows what the
    first saved (here the investor's confirmation, which decides the reward), by field."""
    project_id = reward_builder.project("风电项目")
    referral = reward_builder.referral(project_id, confirmed=False)
    auth.login("a_manager")
    confirmed = _referral_form(project_id, "王建国", confirmation_evidence="确认函2026-88", version="1")
    assert client.post(f"/rewards/referrals/{referral}/edit", data=confirmed).status_code == 302
    auth.logout()
    auth.login("a_staff")
    mine = {**_referral_form(project_id, "王建国", contact="13800000000", version="1")}
    del mine["investor_confirmed"], mine["investor_confirmed_on"]
    refused = client.post(f"/rewards/referrals/{referral}/edit", data=mine)
    box = refused.get_data(as_text=True).split('data-testid="conflict"')[1].split("</div>")[0]
    assert refused.status_code == 409
    assert "确认函2026-88" in box and "投资方已书面确认引荐关系" in box and "2025-01-06" in box
    assert 'value="13800000000"' in refused.get_data(as_text=True)  # the user's own input is kept


def test_a_stale_rule_save_shows_the_stored_cap(client, auth, reward_builder):
    rule = reward_builder.rule(cap_wan=D("50"))
    auth.login("a_manager")
    page = client.get(f"/rewards/rules/{rule}/edit").get_data(as_text=True)
    fields = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', page))
    fields.update(
        tiers="1000, 5\n5000, 3\n不限, 1", basis="funds_in_place", milestone="signed", mode="progressive"
    )
    assert client.post(f"/rewards/rules/{rule}/edit", data={**fields, "cap_wan": "80"}).status_code == 302
    refused = client.post(f"/rewards/rules/{rule}/edit", data={**fields, "note": "另一人的修改"})
    assert refused.status_code == 409
    box = refused.get_data(as_text=True).split('data-testid="conflict"')[1].split("</div>")[0]
    assert "80" in box and "单个项目封顶" in box and "不限, 1" in box


def test_a_saved_list_names_its_ineligibility_reasons_in_the_readers_language(client, auth, reward_builder):
    """A saved line keeps the reason as written when the list was drawn up (Chinese, with its
    details); an English reader sees the reason's name in English."""
    reward_builder.project("无引荐项目", funds=[(NOV, 2000)])
    list_id = reward_builder.create_list(reward_builder.rule())
    auth.login("a_manager")
    assert "无有效引荐备案" in client.get(f"/rewards/lists/{list_id}").get_data(as_text=True)
    client.get("/lang/en", headers={"Referer": "http://localhost/rewards/"})
    page = client.get(f"/rewards/lists/{list_id}").get_data(as_text=True)
    assert "No valid referral registration" in page and "无有效引荐备案" not in page
