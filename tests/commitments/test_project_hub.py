"""The project page as the hub: each domain's records listed, each create page one click
away with the project preselected, and a save from there back on the project page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from commitment_helpers import user_named
from sqlalchemy import select

from chains.models import Chain, ProjectSegment, Segment
from chains.vocabulary import STAGES as CHAIN_STAGES
from crm.activities import services as activity_services
from crm.companies.models import Company
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.funds import services as funds_services
from crm.funds.models import FundsRecord
from crm.projects.models import Project
from crm.rewards import services as reward_services
from crm.rewards.models import Referral


@pytest.fixture
def hub_drafts(app, drafts, world):
    """County A's signed project with an investor, an activity, funds, a referral and an aim
    at a chain segment, besides ``drafts``' commitment and obligation."""
    today = drafts.today
    with app.test_request_context(), system_scope():
        staff = user_named("a_staff")
        project = db.session.get(Project, drafts["project_a"])
        investor = Company(name="宁德时代新能源科技股份有限公司", name_key="宁德时代新能源科技")
        db.session.add(investor)
        db.session.flush()
        project.investor_company_id = investor.id
        activity_services.create_activity(
            project,
            {"kind": "visit", "occurred_on": today - timedelta(days=3), "subject": "拜访宁德时代总部"},
            created_by=staff,
        )
        funds_services.create_funds(
            project,
            {
                "month": today.replace(day=1),
                "origin": "out_of_province",
                "exclusion": "none",
                "amount_wan": Decimal("1234"),
                "evidence_ref": "银行进账单 2026-12",
            },
            created_by=staff,
            today=today,
        )
        reward_services.register_referral(
            project,
            referrer_name="王建国",
            referrer_kind="individual",
            registered_on=date(2025, 1, 5),
            investor_confirmed=True,
            investor_confirmed_on=date(2025, 1, 6),
        )
        chain = Chain(county_id=world.county_a, name="新能源汽车产业链")
        db.session.add(chain)
        db.session.flush()
        segment = Segment(chain_id=chain.id, county_id=world.county_a, name="动力电池", stage=CHAIN_STAGES[0])
        db.session.add(segment)
        db.session.flush()
        db.session.add(ProjectSegment(project_id=project.id, segment_id=segment.id, county_id=world.county_a))
        db.session.commit()
        drafts.ids.update({"investor": investor.id, "chain": chain.id, "segment": segment.id})
    return drafts


def _page(client, project_id) -> str:
    response = client.get(f"/projects/{project_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_project_page_lists_every_domain_and_links_each_create_page(client, auth, hub_drafts):
    pid = hub_drafts["project_a"]
    auth.login("a_staff")
    page = _page(client, pid)
    here = f"/projects/{pid}"
    # The lists, each with a real record.
    for testid, text in (
        ("hub-activities", "拜访宁德时代总部"),
        ("hub-funds", "1,234"),
        ("hub-commitments", f"/commitments/{hub_drafts['draft_a']}"),
        ("hub-obligations", "亩均税收"),
        ("hub-referrals", "王建国"),
        ("hub-segments", "新能源汽车产业链 › 动力电池"),
    ):
        start = page.index(f'data-testid="{testid}"')
        assert text in page[start : start + 2000], testid
    assert f"/chains/{hub_drafts['chain']}/graph?segment={hub_drafts['segment']}" in page
    assert f'href="/companies/{hub_drafts["investor"]}"' in page
    # The actions, each with the project preselected and the way back.
    assert f'href="/projects/{pid}/activities/new"' in page
    assert f'href="/projects/{pid}/funds/new?next={here}"' in page
    assert f'href="/projects/{pid}/commitments/new?next={here}"' in page
    assert f'href="/projects/{pid}/obligations/new?next={here}"' in page
    assert f"/rewards/referrals/new?project_id={pid}&amp;next={here}" in page


def test_leader_sees_the_lists_but_no_write_actions(client, auth, hub_drafts):
    auth.login("a_leader")
    page = _page(client, hub_drafts["project_a"])
    assert "拜访宁德时代总部" in page and "王建国" in page and "动力电池" in page
    assert 'data-testid="project-actions"' not in page
    for create in ("/activities/new", "/funds/new", "/commitments/new", "/obligations/new", "referrals/new"):
        assert create not in page


def test_another_countys_project_is_404(client, auth, hub_drafts):
    auth.login("b_staff")
    assert client.get(f"/projects/{hub_drafts['project_a']}").status_code == 404


def test_referral_from_the_project_page_is_prefilled_and_returns_there(client, auth, hub_drafts, app):
    pid = hub_drafts["project_a"]
    auth.login("a_staff")
    url = f"/rewards/referrals/new?project_id={pid}&next=/projects/{pid}"
    form = client.get(url).get_data(as_text=True)
    assert f'<option selected value="{pid}">' in form
    saved = client.post(
        url,
        data={
            "project_id": str(pid),
            "referrer_name": "李秀梅",
            "referrer_kind": "individual",
            "registered_on": "2025-01-07",
        },
    )
    assert saved.status_code == 302 and saved.headers["Location"] == f"/projects/{pid}"
    assert "李秀梅" in _page(client, pid)  # kept as a dispute, listed with its status
    with app.app_context(), system_scope():
        assert db.session.execute(
            select(Referral.status).where(Referral.referrer_name == "李秀梅")
        ).scalar_one()


def test_funds_commitment_and_obligation_saves_return_to_the_project_page(client, auth, hub_drafts, app):
    pid, today = hub_drafts["project_a"], hub_drafts.today
    auth.login("a_staff")
    back = f"/projects/{pid}"
    funds = client.post(
        f"/projects/{pid}/funds/new?next={back}",
        data={
            "month": (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m"),
            "origin": "in_province",
            "exclusion": "none",
            "amount_wan": "77",
        },
    )
    assert funds.status_code == 302 and funds.headers["Location"] == back
    commitment = client.post(
        f"/projects/{pid}/commitments/new?next={back}",
        data={
            "policy_id": str(hub_drafts["policy_a"]),
            "clause": "厂房三年免租",
            "amount_wan": "120",
            "due_on": (today + timedelta(days=60)).isoformat(),
        },
    )
    assert commitment.status_code == 302 and commitment.headers["Location"] == back
    obligation = client.post(
        f"/projects/{pid}/obligations/new?next={back}",
        data={
            "kind": "jobs",
            "target_value": "200",
            "due_on": (today + timedelta(days=300)).isoformat(),
            "consequence": "withhold",
        },
    )
    assert obligation.status_code == 302 and obligation.headers["Location"] == back
    page = _page(client, pid)
    assert "厂房三年免租" in page
    with app.app_context(), system_scope():
        assert db.session.execute(
            select(FundsRecord).where(FundsRecord.amount_wan == Decimal("77"))
        ).scalar_one()


def test_a_next_off_the_site_is_ignored(client, auth, hub_drafts):
    pid = hub_drafts["project_a"]
    auth.login("a_staff")
    saved = client.post(
        f"/projects/{pid}/funds/new?next=//evil.example/",
        data={
            "month": hub_drafts.today.strftime("%Y-%m"),
            "origin": "in_city",
            "exclusion": "none",
            "amount_wan": "5",
        },
    )
    assert saved.status_code == 302 and saved.headers["Location"] == f"/projects/{pid}/funds"


def test_company_page_offers_a_new_project_for_the_company(client, auth, hub_drafts):
    auth.login("a_staff")
    company = client.get(f"/companies/{hub_drafts['investor']}").get_data(as_text=True)
    assert f'href="/projects/new?company_id={hub_drafts["investor"]}"' in company
    assert "锂电池正极材料项目" in company  # its project in this county
    form = client.get(f"/projects/new?company_id={hub_drafts['investor']}").get_data(as_text=True)
    assert f'<option selected value="{hub_drafts["investor"]}">' in form
    auth.logout()
    auth.login("a_leader")
    assert "/projects/new" not in client.get(f"/companies/{hub_drafts['investor']}").get_data(as_text=True)


@pytest.mark.browser
def test_follow_up_from_the_project_page_lands_back_on_it(hub_drafts, browser):
    pid = hub_drafts["project_a"]
    page = browser.page
    browser.login("a_staff")
    browser.goto(f"/projects/{pid}")
    page.click("[data-testid=project-actions] >> text=添加跟进")
    page.select_option("select[name=kind]", "call")
    page.fill("input[name=subject]", "电话确认签约仪式时间")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/projects/{pid}")
    assert "跟进记录已保存" in page.locator(".alert-success").inner_text()
    assert "电话确认签约仪式时间" in page.locator("[data-testid=hub-activities]").inner_text()
