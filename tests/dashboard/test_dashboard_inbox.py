"""The manager's inbox on the dashboard (issue 15 item 6): what waits for the county's
manager, counted by each domain and linked to the list filtered to exactly those records;
only the county's own records, and only for managers."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from clock_support import PINNED_TODAY
from dashboard_data import add_project
from record_support import add_reward_rule

from crm.commitments.models import Commitment, Obligation, Policy
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.funds.models import FundsRecord
from crm.rewards import services as rewards
from crm.rewards.models import Referral

TODAY = PINNED_TODAY

# county A's records: what the inbox of a_manager must count
EXPECTED_A = {
    "commitments-draft": 2,
    "commitments-overdue": 1,
    "commitments-due-soon": 2,
    "obligations-due": 3,
    "rewards-disputed": 1,
    "rewards-unfinalized": 2,
    "funds-pending": 3,
    "transfers-offered": 0,  # crm.coordination: none in this world
    "collisions-open": 0,
}
LINKS = {
    "commitments-draft": "/commitments?status=draft",
    "commitments-overdue": "/commitments?overdue=1",
    "commitments-due-soon": "/commitments?due_within=30",
    "obligations-due": "/obligations/due",
    "rewards-disputed": "/rewards/disputes",
    "rewards-unfinalized": "/rewards/?status=unfinalized",
    "funds-pending": "/funds/pending",
    "transfers-offered": "/transfers?status=offered",
    "collisions-open": "/collisions?status=open",
}
LIST_LINK = re.compile(r'href="/rewards/lists/\d+"')
COMMITMENT_LINK = re.compile(r'href="/commitments/(\d+)"')


def _commitments(county, project, policy, rows):
    for status, due_in_days in rows:
        db.session.add(
            Commitment(
                county_id=county,
                project_id=project.id,
                policy_id=policy.id,
                clause="标准化厂房三年免租",
                amount_wan=Decimal("100"),
                committed_on=TODAY - timedelta(days=200),
                due_on=TODAY + timedelta(days=due_in_days),
                status=status,
            )
        )


def _obligations(county, project, extra_due):
    rows = [("pending", -40), ("pending", 30), ("pending", 31), ("met", -5), ("missed", -5)]
    rows += [("pending", 3)] * extra_due
    for status, due_in_days in rows:
        db.session.add(
            Obligation(
                county_id=county,
                project_id=project.id,
                kind="jobs",
                target_value=Decimal("100"),
                due_on=TODAY + timedelta(days=due_in_days),
                status=status,
                consequence="withhold",
            )
        )


def _records(county, *, drafts, open_lists, disputed, pending, name, extra_due=0):
    """``drafts``/``open_lists``/``disputed``/``pending``/``extra_due``: how many of each
    kind to add."""
    project = add_project(county, f"{name}项目", "signed", 1000, signed_on="2026-03-01")
    policy = Policy(
        region_id=county, name=f"{name}厂房政策", kind="plant_rent", legal_basis="政发〔2026〕1号"
    )
    policy.valid_from = date(2025, 1, 1)
    policy.fair_review = "passed"
    db.session.add(policy)
    db.session.flush()
    rows = [("draft", 90)] * drafts
    rows += [
        ("approved", -3),  # overdue
        ("partially_fulfilled", 0),  # due today: falling due
        ("approved", 30),  # the last day of the 30
        ("approved", 31),  # not yet
        ("fulfilled", -10),  # closed: neither overdue nor due
        ("revoked", 5),
    ]
    _commitments(county, project, policy, rows)
    _obligations(county, project, extra_due)
    for number in range(disputed):
        db.session.add(
            Referral(
                county_id=county,
                project_id=project.id,
                referrer_name=f"争议人{number}",
                registered_on=date(2026, 3, 1),
                status="disputed",
            )
        )
    db.session.add(
        Referral(
            county_id=county,
            project_id=project.id,
            referrer_name="在册引荐人",
            registered_on=date(2026, 2, 1),
            status="active",
        )
    )
    rule = add_reward_rule(county, name=f"{name}奖励办法")
    statuses = (["draft", "publicized"] * open_lists)[:open_lists] + ["finalized"]
    for quarter, status in enumerate(statuses, 1):
        reward_list = rewards.create_list(rule, f"2025Q{quarter}")
        reward_list.status = status
    for month in range(1, pending + 1):
        db.session.add(
            FundsRecord(
                county_id=county,
                project_id=project.id,
                month=date(2026, month, 1),
                origin="out_of_province",
                amount_wan=Decimal("10"),
            )
        )
    for confirmed_at, exclusion in ((datetime(2026, 5, 5), "none"), (None, "bank_loan")):
        db.session.add(
            FundsRecord(
                county_id=county,
                project_id=project.id,
                month=date(2026, 6, 1),
                origin="out_of_province",
                amount_wan=Decimal("20"),
                confirmed_at=confirmed_at,
                exclusion=exclusion,
            )
        )


@pytest.fixture
def inbox_world(app, world):
    with app.test_request_context(), system_scope():
        _records(world.county_a, drafts=2, open_lists=2, disputed=1, pending=3, name="岐山", extra_due=1)
        # county B: other numbers of everything, none of which county A's manager sees
        _records(world.county_b, drafts=4, open_lists=1, disputed=3, pending=5, name="扶风")
        db.session.commit()
    return world


def _inbox(page: str) -> dict[str, tuple[int, str]]:
    """key → (count, link) of each inbox line on the page."""
    found = {}
    for href, key, count in re.findall(
        r'href="([^"]*)" data-testid="inbox-([\w-]+)">.*?data-testid="inbox-count-\2">(\d+)<', page, re.S
    ):
        found[key] = (int(count), href.replace("&amp;", "&"))
    return found


def test_the_manager_sees_the_inbox_with_counts_and_links(client, auth, inbox_world):
    auth.login("a_manager")
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'data-testid="manager-inbox"' in page
    inbox = _inbox(page)
    assert {key: count for key, (count, _link) in inbox.items()} == EXPECTED_A
    assert {key: link for key, (_count, link) in inbox.items()} == LINKS


def test_the_other_county_counts_its_own(client, auth, inbox_world):
    auth.login("b_manager")
    inbox = _inbox(client.get("/dashboard").get_data(as_text=True))
    assert {key: count for key, (count, _link) in inbox.items()} == {
        "commitments-draft": 4,
        "commitments-overdue": 1,
        "commitments-due-soon": 2,
        "obligations-due": 2,
        "rewards-disputed": 3,
        "rewards-unfinalized": 1,
        "funds-pending": 5,
        "transfers-offered": 0,
        "collisions-open": 0,
    }


def test_an_empty_county_shows_zeros(client, auth, world):
    auth.login("a_manager")
    inbox = _inbox(client.get("/dashboard").get_data(as_text=True))
    assert inbox and {count for count, _link in inbox.values()} == {0}
    assert set(inbox) == set(EXPECTED_A)


@pytest.mark.parametrize("username", ["a_staff", "a_leader", "city"])
def test_only_managers_see_the_inbox(client, auth, inbox_world, username):
    auth.login(username)
    response = client.get("/dashboard")
    assert response.status_code == 200
    assert 'data-testid="manager-inbox"' not in response.get_data(as_text=True)


def test_the_links_list_what_was_counted(client, auth, inbox_world):
    auth.login("a_manager")
    unfinalized = client.get("/rewards/?status=unfinalized").get_data(as_text=True)
    assert 'data-testid="unfinalized-filter"' in unfinalized
    assert len(LIST_LINK.findall(unfinalized)) == EXPECTED_A["rewards-unfinalized"]
    every_list = client.get("/rewards/").get_data(as_text=True)
    assert len(LIST_LINK.findall(every_list)) == EXPECTED_A["rewards-unfinalized"] + 1  # and the finalized
    drafts = client.get("/commitments?status=draft").get_data(as_text=True)
    assert len(set(COMMITMENT_LINK.findall(drafts))) == EXPECTED_A["commitments-draft"]


def test_the_obligations_page_lists_what_was_counted(client, auth, inbox_world):
    auth.login("a_manager")
    page = client.get("/obligations/due").get_data(as_text=True)
    shown = re.findall(r'data-obligation-id="(\d+)"', page)
    assert len(shown) == EXPECTED_A["obligations-due"]
    assert "岐山项目" in page and "扶风项目" not in page
    assert page.count("· 已逾期") == 1  # the one 40 days late


def test_the_api_gives_a_manager_the_inbox_the_page_shows(client, auth, api, inbox_world):
    answer = api.get("/api/v1/dashboard", as_user="a_manager")
    assert answer.status_code == 200
    inbox = {item["key"]: (item["count"], item["url"]) for item in answer.get_json()["inbox"]}
    assert {key: count for key, (count, _url) in inbox.items()} == EXPECTED_A
    assert {key: url for key, (_count, url) in inbox.items()} == LINKS
    other = api.get("/api/v1/dashboard", as_user="b_manager").get_json()["inbox"]
    assert {item["key"]: item["count"] for item in other}["commitments-draft"] == 4


@pytest.mark.parametrize("username", ["a_staff", "a_leader", "city"])
def test_the_api_gives_no_inbox_to_other_roles(api, inbox_world, username):
    assert api.get("/api/v1/dashboard", as_user=username).get_json()["inbox"] is None
