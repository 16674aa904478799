"""The pages: registers, forms, actions, exports, tenancy and roles."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from commitment_helpers import bring_to_status, user_named
from openpyxl import load_workbook
from sqlalchemy import func, select

from crm.commitments.models import Commitment, Policy
from crm.core.db import db
from crm.core.tenancy import system_scope


def _commitment(app, commitment_id):
    with app.app_context(), system_scope():
        c = db.session.get(Commitment, commitment_id)
        return {
            "status": c.status,
            "amount": c.amount_wan,
            "version": c.version,
            "override": c.override_reason,
            "fulfilled": c.fulfilled_wan,
        }


def _approve_in_db(app, drafts, key="draft_a"):
    with app.test_request_context(), system_scope():
        bring_to_status(
            db.session.get(Commitment, drafts[key]), "approved", user_named("a_manager"), drafts.today
        )
        db.session.commit()


def test_register_shows_own_county_with_figures(client, auth, drafts, app):
    _approve_in_db(app, drafts)
    auth.login("a_leader")
    page = client.get("/commitments")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "锂电池正极材料项目" in body and "扶风食品加工项目" not in body
    assert 'data-figure="promised">300.00' in body and 'data-figure="rate">0.0%' in body


def test_register_filters(client, auth, drafts, app):
    _approve_in_db(app, drafts)
    with app.test_request_context(), system_scope():
        c = db.session.get(Commitment, drafts["draft_a"])
        c.due_on = drafts.today - timedelta(days=1)
        db.session.commit()
    auth.login("a_staff")
    overdue = client.get("/commitments?overdue=1").get_data(as_text=True)
    assert f'data-commitment-id="{drafts["draft_a"]}"' in overdue
    assert 'data-figure="overdue_count">1' in overdue and 'data-figure="overdue_amount">300.00' in overdue
    assert f'data-commitment-id="{drafts["draft_a"]}"' not in client.get(
        "/commitments?status=draft"
    ).get_data(as_text=True)
    assert f'data-commitment-id="{drafts["draft_a"]}"' not in client.get(
        "/commitments?due_within=30"
    ).get_data(as_text=True)
    assert f'data-commitment-id="{drafts["draft_a"]}"' in client.get(
        "/commitments?policy_kind=land_price"
    ).get_data(as_text=True)
    assert f'data-commitment-id="{drafts["draft_a"]}"' not in client.get(
        "/commitments?policy_kind=talent"
    ).get_data(as_text=True)
    bad = client.get("/commitments?due_within=abc&status=nonsense")
    assert bad.status_code == 200 and "天数必须是" in bad.get_data(as_text=True)


def test_staff_drafts_a_commitment_and_bad_input_writes_nothing(client, auth, drafts, app):
    auth.login("a_staff")
    url = f"/projects/{drafts['project_a']}/commitments/new"
    assert client.get(url).status_code == 200
    form = {
        "policy_id": str(drafts["policy_a"]),
        "clause": "三年免租",
        "amount_wan": "0",
        "due_on": (drafts.today + timedelta(days=60)).isoformat(),
    }
    refused = client.post(url, data=form)
    assert refused.status_code == 422 and "承诺金额必须大于 0" in refused.get_data(as_text=True)
    assert 'value="三年免租"' not in refused.get_data(as_text=True)  # textarea keeps the text instead
    assert "三年免租" in refused.get_data(as_text=True)
    form["due_on"] = (drafts.today - timedelta(days=200)).isoformat()
    form["amount_wan"] = "120"
    refused = client.post(url, data=form)
    assert refused.status_code == 422 and "签约日期" in refused.get_data(as_text=True)
    with app.app_context(), system_scope():
        assert db.session.execute(select(func.count()).select_from(Commitment)).scalar_one() == 2
    form["due_on"] = (drafts.today + timedelta(days=60)).isoformat()
    created = client.post(url, data=form)
    assert created.status_code == 302
    detail = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "三年免租" in detail and "草稿" in detail


def test_manager_approves_above_the_cap_on_a_collective_decision_through_the_form(client, auth, drafts, app):
    with app.app_context(), system_scope():
        db.session.get(Commitment, drafts["draft_a"]).amount_wan = Decimal("800")
        db.session.commit()
    version = _commitment(app, drafts["draft_a"])["version"]
    auth.login("a_manager")
    url = f"/commitments/{drafts['draft_a']}/approve"
    page = client.get(f"/commitments/{drafts['draft_a']}").get_data(as_text=True)
    assert 'name="decision_minute_no"' in page  # asked for only when the amount is above the cap
    refused = client.post(url, data={"decision_meeting": "常务会议同意", "version": str(version)})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "超出政策上限" in body and "请填写会议纪要号" in body
    assert _commitment(app, drafts["draft_a"])["status"] == "draft"
    decision = {
        "decision_meeting": "岐山县人民政府第 12 次常务会议",
        "decision_held_on": "2026-11-20",
        "decision_minute_no": "岐政常纪〔2026〕12号",
    }
    done = client.post(url, data={**decision, "version": str(version)})
    assert done.status_code == 302
    assert _commitment(app, drafts["draft_a"])["status"] == "approved"
    page = client.get(f"/commitments/{drafts['draft_a']}").get_data(as_text=True)
    assert "岐山县人民政府第 12 次常务会议（2026-11-20，岐政常纪〔2026〕12号）" in page


def test_staff_cannot_approve_through_the_page(client, auth, drafts, app):
    auth.login("a_staff")
    assert client.post(f"/commitments/{drafts['draft_a']}/approve", data={}).status_code == 403
    assert "局长批准" not in client.get(f"/commitments/{drafts['draft_a']}").get_data(as_text=True)
    assert _commitment(app, drafts["draft_a"])["status"] == "draft"


def test_fulfillment_form_and_overrun(client, auth, drafts, app):
    _approve_in_db(app, drafts)
    auth.login("a_staff")
    url = f"/commitments/{drafts['draft_a']}/fulfillments"
    ok = client.post(
        url, data={"fulfilled_on": drafts.today.isoformat(), "amount_wan": "250", "evidence": "拨付凭证 001"}
    )
    assert ok.status_code == 302
    over = client.post(
        url, data={"fulfilled_on": drafts.today.isoformat(), "amount_wan": "60", "evidence": "拨付凭证 002"}
    )
    assert over.status_code == 422 and "剩余可兑现 50.00 万元" in over.get_data(as_text=True)
    state = _commitment(app, drafts["draft_a"])
    assert state["status"] == "partially_fulfilled" and state["fulfilled"] == Decimal("250.00")


def test_concurrent_edit_refused_on_the_form(client, auth, drafts, app):
    auth.login("a_staff")
    url = f"/commitments/{drafts['draft_a']}/edit"
    assert 'name="version" type="hidden" value="1"' in client.get(url).get_data(as_text=True)
    form = {
        "policy_id": str(drafts["policy_a"]),
        "clause": "第一人的修改",
        "amount_wan": "310",
        "due_on": (drafts.today + timedelta(days=60)).isoformat(),
        "version": "1",
    }
    assert client.post(url, data=form).status_code == 302
    form.update({"clause": "第二人的修改", "amount_wan": "999"})
    stale = client.post(url, data=form)
    body = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "已被他人修改" in body and "310.00" in body
    assert _commitment(app, drafts["draft_a"])["amount"] == Decimal("310.00")


def test_stale_approval_is_refused(client, auth, drafts, app):
    auth.login("a_manager")
    stale = client.post(f"/commitments/{drafts['draft_a']}/approve", data={"version": "7"})
    assert stale.status_code == 409
    assert _commitment(app, drafts["draft_a"])["status"] == "draft"


def test_status_actions_through_the_page(client, auth, drafts, app):
    _approve_in_db(app, drafts)
    auth.login("a_manager")
    url = f"/commitments/{drafts['draft_a']}/status"
    refused = client.post(url, data={"action": "claw_back", "note": "x"})
    assert refused.status_code == 422 and "不能追回" in refused.get_data(as_text=True)
    assert client.post(url, data={"action": "suspend", "note": "企业资料不全"}).status_code == 302
    assert _commitment(app, drafts["draft_a"])["status"] == "suspended"
    auth.logout()
    auth.login("a_staff")
    assert client.post(url, data={"action": "resume", "note": "x"}).status_code == 403


def test_obligation_pages_withhold_and_lift(client, auth, drafts, app):
    _approve_in_db(app, drafts)
    auth.login("a_staff")
    new = client.post(
        f"/projects/{drafts['project_a']}/obligations/new",
        data={
            "kind": "investment_intensity",
            "target_value": "300",
            "due_on": (drafts.today + timedelta(days=100)).isoformat(),
            "consequence": "adjust_land_price",
        },
    )
    assert new.status_code == 302
    outcome_url = f"/obligations/{drafts['obligation_a']}/outcome"
    assert client.post(outcome_url, data={"actual_value": "9"}).status_code == 302
    assert _commitment(app, drafts["draft_a"])["status"] == "suspended"
    page = client.get(f"/projects/{drafts['project_a']}/commitments").get_data(as_text=True)
    assert "暂缓兑现中" in page and "投资强度" in page
    lift_url = f"/obligations/{drafts['obligation_a']}/lift"
    assert client.post(lift_url, data={"note": "专员试图解除"}).status_code == 403
    auth.logout()
    auth.login("a_manager")
    empty = client.post(lift_url, data={"note": ""})
    assert empty.status_code == 422
    assert client.post(lift_url, data={"note": "企业已整改"}).status_code == 302
    assert _commitment(app, drafts["draft_a"])["status"] == "approved"


def test_exports_are_safe_and_named_in_chinese(client, auth, drafts, app):
    with app.app_context(), system_scope():
        db.session.get(Commitment, drafts["draft_a"]).clause = '=HYPERLINK("http://x")'
        db.session.commit()
    auth.login("a_leader")
    response = client.get("/commitments/export.csv")
    assert response.status_code == 200
    assert "filename*=UTF-8''%E6%89%BF%E8%AF%BA" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][1] == "项目" and len(rows) == 2  # county B's commitment is not exported
    assert rows[1][2].startswith("'=HYPERLINK")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    gb_response = client.get("/commitments/export.csv?encoding=gb18030")
    assert gb_response.headers["Content-Type"] == "text/csv; charset=GB18030"  # one charset only
    gb = gb_response.get_data()
    assert "锂电池正极材料项目".encode("gb18030") in gb
    xlsx = client.get("/commitments/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    assert sheet.cell(row=2, column=3).value.startswith("'=")
    assert sheet.cell(row=2, column=7).value == 300
    assert client.get("/commitments/export.pdf").status_code == 404


def test_other_countys_ids_answer_404_everywhere(client, auth, drafts):
    auth.login("a_manager")
    gets = [
        f"/projects/{drafts['project_b']}/commitments",
        f"/projects/{drafts['project_b']}/commitments/new",
        f"/commitments/{drafts['draft_b']}",
        f"/commitments/{drafts['draft_b']}/edit",
        f"/projects/{drafts['project_b']}/obligations/new",
        f"/obligations/{drafts['obligation_b']}/edit",
        f"/obligations/{drafts['obligation_b']}/outcome",
        f"/obligations/{drafts['obligation_b']}/lift",
        f"/policies/{drafts['policy_b']}/edit",
    ]
    posts = [
        f"/commitments/{drafts['draft_b']}/approve",
        f"/commitments/{drafts['draft_b']}/status",
        f"/commitments/{drafts['draft_b']}/fulfillments",
        f"/commitments/{drafts['draft_b']}/edit",
        f"/projects/{drafts['project_b']}/commitments/new",
        f"/projects/{drafts['project_b']}/obligations/new",
        f"/obligations/{drafts['obligation_b']}/outcome",
        f"/obligations/{drafts['obligation_b']}/lift",
        f"/policies/{drafts['policy_b']}/edit",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, data={"note": "x", "action": "revoke"}).status_code == 404, url


@pytest.mark.parametrize(
    "username, url, method, expected",
    [
        ("a_leader", "/projects/{project_a}/commitments/new", "get", 403),
        ("a_leader", "/commitments/{draft_a}/edit", "get", 403),
        ("a_leader", "/commitments/{draft_a}/fulfillments", "post", 403),
        ("a_leader", "/obligations/{obligation_a}/outcome", "get", 403),
        ("a_leader", "/commitments/{draft_a}", "get", 200),
        ("a_staff", "/policies/new", "get", 403),
        ("a_staff", "/obligations/{obligation_a}/lift", "get", 403),
        ("city", "/commitments/{draft_a}", "get", 200),
        ("city", "/commitments/{draft_a}/approve", "post", 403),
        ("xian", "/commitments/{draft_a}", "get", 404),
        ("admin", "/commitments", "get", 403),
        ("admin", "/policies", "get", 200),
    ],
)
def test_roles(client, auth, drafts, username, url, method, expected):
    auth.login(username)
    response = getattr(client, method)(url.format(**drafts.ids))
    assert response.status_code == expected


def test_policy_catalog_visibility_and_management(client, auth, drafts, app):
    auth.login("a_staff")
    page = client.get("/policies").get_data(as_text=True)
    assert "岐山工业用地优惠" in page and "全省固定资产投资奖补" in page and "扶风工业用地优惠" not in page
    auth.logout()
    auth.login("a_manager")
    assert client.get(f"/policies/{drafts['policy_a']}/edit").status_code == 200
    assert client.get(f"/policies/{drafts['policy_province']}/edit").status_code == 403
    created = client.post(
        "/policies/new",
        data={
            "region_id": str(region_of_policy(app, drafts["policy_b"])),
            "name": "人才公寓",
            "kind": "talent",
            "legal_basis": "岐人发〔2025〕3号",
            "max_amount_wan": "50",
            "valid_from": "2025-01-01",
            "fair_review": "passed",
        },
    )
    assert created.status_code == 422  # only the manager's own county can be chosen
    with app.app_context(), system_scope():
        assert not db.session.execute(select(Policy).where(Policy.name == "人才公寓")).first()
    auth.logout()
    auth.login("admin")
    listing = client.get("/policies").get_data(as_text=True)
    assert "全省固定资产投资奖补" in listing and "岐山工业用地优惠" not in listing
    province_id = region_of_policy(app, drafts["policy_province"])
    made = client.post(
        "/policies/new",
        data={
            "region_id": str(province_id),
            "name": "全省贷款贴息",
            "kind": "loan_interest",
            "legal_basis": "陕财发〔2025〕9号",
            "max_ratio_pct": "2",
            "valid_from": "2025-01-01",
            "fair_review": "passed",
        },
    )
    assert made.status_code == 302
    auth.logout()
    auth.login("b_staff")
    assert "全省贷款贴息" in client.get("/policies").get_data(as_text=True)


def region_of_policy(app, policy_id) -> int:
    with app.app_context():
        return db.session.get(Policy, policy_id).region_id


def test_policy_without_any_limit_is_refused(client, auth, drafts, world):
    auth.login("a_manager")
    response = client.post(
        "/policies/new",
        data={
            "region_id": str(world.county_a),
            "name": "无上限政策",
            "kind": "other",
            "legal_basis": "x号",
            "valid_from": "2025-01-01",
            "fair_review": "passed",
        },
    )
    assert response.status_code == 422 and "至少填写最高金额或最高比例" in response.get_data(as_text=True)


def test_dashboard_panel_and_followups(app, drafts, world):
    from crm.commitments.alerts import dashboard_panel, followup_items
    from crm.core.access import scope_for
    from crm.core.tenancy import set_scope

    with app.test_request_context(), system_scope():
        manager = user_named("a_manager")
        soon = bring_to_status(
            db.session.get(Commitment, drafts["draft_a"]), "approved", manager, drafts.today
        )
        soon.due_on = drafts.today + timedelta(days=30)
        late = bring_to_status(
            db.session.get(Commitment, drafts["draft_b"]), "approved", user_named("b_manager"), drafts.today
        )
        late.due_on = drafts.today - timedelta(days=1)
        db.session.commit()
    with app.test_request_context():
        staff = user_named("a_staff")
        set_scope(scope_for(staff))
        items = followup_items(staff, drafts.today + timedelta(days=30))
        assert [i.kind for i in items] == ["承诺兑现"] and items[0].due_on == drafts.today + timedelta(
            days=30
        )
        assert followup_items(staff, drafts.today + timedelta(days=29)) == []
        panel = str(dashboard_panel(frozenset({world.county_a}), drafts.today))
        assert "锂电池正极材料项目" in panel and "已逾期" not in panel
        assert dashboard_panel(frozenset({world.county_b}), drafts.today) is None  # not readable here
    with app.test_request_context(), system_scope():
        panel = str(dashboard_panel(frozenset({world.county_b}), drafts.today))
        assert "已逾期" in panel and "扶风食品加工项目" in panel


def test_the_approval_shows_the_bureaus_minute(client, auth, drafts, app):
    from datetime import UTC, datetime

    app.config["NOW"] = datetime(2026, 12, 3, 16, 30, tzinfo=UTC)  # 00:30 on 4 December in Beijing
    _approve_in_db(app, drafts)
    auth.login("a_manager")
    page = client.get(f"/commitments/{drafts['draft_a']}").get_data(as_text=True)
    approval = page.split(">批准</dt>", 1)[1].split("</dd>", 1)[0]
    assert approval.endswith("2026-12-04 00:30")
    assert 'data-decision="approved"><td>2026-12-04 00:30</td>' in page
    assert "2026-12-03 16:30" not in page and "UTC" not in page
