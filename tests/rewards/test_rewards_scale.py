"""Province scale: list pages paginate, and no page or list computation runs a statement per row.

Statement counts are compared between a small and a ten times larger data set (never timed).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from record_support import add_with_history
from sql_statements import counted_statements
from sqlalchemy import select

from crm.audit.models import AuditEvent
from crm.core.db import db
from crm.projects.models import Project
from crm.rewards import services
from crm.rewards.models import Referral, RewardList, RewardRule

PER_PAGE = 10
SIGNED = date(2025, 11, 10)


@pytest.fixture(autouse=True)
def _rewards_scale_per_page(app):
    app.config["PER_PAGE"] = PER_PAGE


@pytest.fixture
def statements(app):
    """``with statements() as count: ...`` then ``count.n``."""
    return lambda: counted_statements(app)


def _add_projects(
    reward_builder,
    county: str,
    count: int,
    start: int = 0,
    referral_status: str | None = "active",
    prefix: str = "项目",
) -> list[int]:
    """``count`` signed projects (funds, a referral each) in one transaction."""
    ids = []
    with reward_builder.ctx():
        county_id = reward_builder.county(county)
        for n in range(start, start + count):
            project = Project(
                name=f"{prefix}{n:03d}",
                county_id=county_id,
                stage="signed",
                signed_on=SIGNED,
                contract_no=f"HT-{n}",
                planned_investment_wan=Decimal(100),
            )
            add_with_history(project, ("negotiating", "signed", SIGNED))
            db.session.add(reward_builder.funds_record(project, date(2025, 11, 1), 100 + n))
            if referral_status:
                db.session.add(
                    Referral(
                        project_id=project.id,
                        county_id=county_id,
                        referrer_name=f"引荐人{n:03d}",
                        referrer_kind="unit" if n % 2 else "individual",
                        status=referral_status,
                        registered_on=SIGNED - timedelta(days=30 + n),
                        investor_confirmed=bool(n % 3),
                        is_public_official=n % 5 == 0,
                    )
                )
            ids.append(project.id)
        db.session.commit()
    return ids


def _claims(reward_builder, project_ids: list[int]) -> None:
    """A second (disputed) claim on each project."""
    with reward_builder.ctx():
        for pid in project_ids:
            project = db.session.get(Project, pid)
            _referral, refused = services.register_referral(
                project,
                referrer_name=f"争议{pid}",
                referrer_kind="individual",
                is_public_official=False,
                registered_on=SIGNED,
                investor_confirmed=False,
            )
            assert refused
        db.session.commit()


def _rows(html: str) -> int:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr")


# ---- referrals page --------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["a_manager", "prov"])
def test_referrals_page_statement_count_does_not_grow_with_referrals(
    app, client, auth, reward_builder, statements, user
):
    # Every request reads the referrals' order afresh (no county cache), as after a write.
    app.config["COUNTY_CACHE_ENTRIES"] = 0
    _add_projects(reward_builder, "a", 3)
    _add_projects(reward_builder, "b", 2, prefix="扶风")
    auth.login(user)
    client.get("/rewards/referrals")  # warm up: the login's first page loads the user's roles and regions
    with statements() as small:
        assert client.get("/rewards/referrals").status_code == 200
    _add_projects(reward_builder, "a", 30, start=3)
    _add_projects(reward_builder, "b", 20, start=2, prefix="扶风")
    with statements() as large:
        page = client.get("/rewards/referrals").get_data(as_text=True)
    assert large.n == small.n
    assert _rows(page) == PER_PAGE


def test_referrals_page_paginates_in_project_order_and_keeps_the_status_filter(client, auth, reward_builder):
    _add_projects(reward_builder, "a", 23)
    _add_projects(reward_builder, "a", 2, start=23, referral_status="rejected")
    _add_projects(reward_builder, "b", 5, prefix="扶风")  # another county: neither listed nor counted
    auth.login("a_manager")
    first = client.get("/rewards/referrals").get_data(as_text=True)
    assert "共 25 条" in first
    assert [f"项目{n:03d}" for n in range(PER_PAGE)] == re.findall(r"<td>(项目\d{3})</td>", first)
    assert "扶风" not in first
    last = client.get("/rewards/referrals?page=3").get_data(as_text=True)
    assert re.findall(r"<td>(项目\d{3})</td>", last) == [f"项目{n:03d}" for n in range(20, 25)]
    assert "page=2" in last and "page=1" in last

    active = client.get("/rewards/referrals?status=active&page=3").get_data(as_text=True)
    assert "共 23 条" in active
    assert re.findall(r"<td>(项目\d{3})</td>", active) == ["项目020", "项目021", "项目022"]
    # The pager's links keep the filter.
    assert re.search(r'href="/rewards/referrals\?status=active&amp;page=1"', active)
    # Beyond the last page: an empty page, not an error; nonsense page numbers mean page 1.
    assert "暂无引荐备案" in client.get("/rewards/referrals?page=99").get_data(as_text=True)
    assert "项目000" in client.get("/rewards/referrals?page=abc").get_data(as_text=True)


def test_coordinator_referrals_page_counts_every_readable_county(client, auth, reward_builder):
    _add_projects(reward_builder, "a", 4)
    _add_projects(reward_builder, "b", 3, prefix="扶风")
    auth.login("prov")
    page = client.get("/rewards/referrals").get_data(as_text=True)
    assert "共 7 条" in page and "扶风000" in page and "项目000" in page


# ---- disputes --------------------------------------------------------------------------------


def test_disputes_page_statement_count_does_not_grow_and_shows_both_claims(
    client, auth, reward_builder, statements
):
    ids = _add_projects(reward_builder, "a", 14)
    _claims(reward_builder, ids[:2])
    auth.login("a_manager")
    client.get("/rewards/disputes")
    with statements() as small:
        assert client.get("/rewards/disputes").status_code == 200
    _claims(reward_builder, ids[2:])
    with statements() as large:
        page = client.get("/rewards/disputes").get_data(as_text=True)
    assert large.n == small.n
    assert _rows(page) == PER_PAGE
    # Each row shows the project, the existing active referral and the new claim.
    assert "项目000" in page and "引荐人000" in page and f"争议{ids[0]}" in page
    second = client.get("/rewards/disputes?page=2").get_data(as_text=True)
    assert _rows(second) == 4 and f"争议{ids[13]}" in second and "引荐人013" in second


# ---- rules and lists -------------------------------------------------------------------------


def test_rules_and_lists_pages_paginate(client, auth, reward_builder, statements):
    rule_ids = [reward_builder.rule(name=f"办法{n:02d}", year=2000 + n) for n in range(3)]
    _add_projects(reward_builder, "a", 2)
    for _ in range(3):
        reward_builder.create_list(rule_ids[0])
    auth.login("a_manager")
    client.get("/rewards/")
    with statements() as rules_small:
        client.get("/rewards/rules")
    with statements() as lists_small:
        client.get("/rewards/")
    for n in range(3, 14):
        reward_builder.rule(name=f"办法{n:02d}", year=2000 + n)
    for _ in range(9):
        reward_builder.create_list(rule_ids[0])
    with statements() as rules_large:
        rules = client.get("/rewards/rules").get_data(as_text=True)
    with statements() as lists_large:
        lists = client.get("/rewards/").get_data(as_text=True)
    assert rules_large.n == rules_small.n and lists_large.n == lists_small.n
    assert _rows(rules) == PER_PAGE and "办法13" in rules and "办法00" not in rules  # newest year first
    assert "办法00" in client.get("/rewards/rules?page=2").get_data(as_text=True)
    assert _rows(lists) == PER_PAGE
    assert _rows(client.get("/rewards/?page=2").get_data(as_text=True)) == 2


# ---- API -------------------------------------------------------------------------------------


def test_api_referrals_statement_count_does_not_grow(api, reward_builder, statements):
    _add_projects(reward_builder, "a", 3)
    api.get("/api/v1/referrals", as_user="a_manager")
    with statements() as small:
        first = api.get("/api/v1/referrals?per_page=200", as_user="a_manager").get_json()
    _add_projects(reward_builder, "a", 30, start=3)
    with statements() as large:
        second = api.get("/api/v1/referrals?per_page=200", as_user="a_manager").get_json()
    assert large.n == small.n
    assert len(first["items"]) == 3 and len(second["items"]) == second["total"] == 33
    assert second["items"][0]["project_name"] == "项目000"
    assert second["items"][0]["registered_after_signing"] is False


# ---- list computation ------------------------------------------------------------------------


def _create_list_counting(reward_builder, statements, rule_id: int) -> tuple[int, int]:
    with reward_builder.ctx():
        rule = db.session.get(RewardRule, rule_id)
        with statements() as count:
            reward_list = services.create_list(rule, "2025Q4")
            db.session.flush()
        db.session.commit()
        return reward_list.id, count.n


def test_list_computation_statement_count_does_not_grow_with_projects(reward_builder, statements):
    _add_projects(reward_builder, "a", 3)
    small_rule = reward_builder.rule(name="小")
    _small_list, small = _create_list_counting(reward_builder, statements, small_rule)
    _add_projects(reward_builder, "a", 40, start=3)
    large_rule = reward_builder.rule(name="大")
    large_list, large = _create_list_counting(reward_builder, statements, large_rule)
    assert large == small
    lines = reward_builder.list_lines(large_list)
    assert len(lines) == 43

    with reward_builder.ctx():
        stored = reward_builder.stored_lines(large_list)
        assert [line.position for line in stored] == list(range(1, 44))
        assert [line.project_name for line in stored] == [f"项目{n:03d}" for n in range(43)]
        # Lines go in with one INSERT; each got its own id, and its audit row names that id.
        audits = {
            e.record_id: e.after
            for e in db.session.execute(
                select(AuditEvent).where(
                    AuditEvent.table_name == "reward_lines",
                    AuditEvent.action == "create",
                    AuditEvent.record_id.in_([line.id for line in stored]),
                )
            ).scalars()
        }
        assert len(audits) == 43
        for line in stored:
            assert audits[line.id]["position"] == line.position
            assert audits[line.id]["project_name"] == line.project_name

        # Refreshing (and finalizing) a draft replaces its lines just as cheaply.
        reward_list = db.session.get(RewardList, large_list)
        with statements() as refresh:
            services.refresh_list(reward_list)
        assert [line.position for line in reward_list.lines] == list(range(1, 44))
        db.session.commit()
    assert refresh.n <= large + 5


def test_list_detail_and_exports_statement_count_does_not_grow(client, auth, reward_builder, statements):
    _add_projects(reward_builder, "a", 3)
    small_list = reward_builder.create_list(reward_builder.rule(name="小"))
    _add_projects(reward_builder, "a", 30, start=3)
    large_list = reward_builder.create_list(reward_builder.rule(name="大"))
    reward_builder.finalize(small_list)
    reward_builder.finalize(large_list)
    auth.login("a_manager")
    client.get("/rewards/")
    for suffix in ("", "/export.xlsx", "/export.csv", "/notice"):
        with statements() as small:
            assert client.get(f"/rewards/lists/{small_list}{suffix}").status_code == 200
        with statements() as large:
            assert client.get(f"/rewards/lists/{large_list}{suffix}").status_code == 200
        assert large.n == small.n, suffix


def test_two_lists_computed_in_one_transaction_keep_their_own_lines(reward_builder):
    """Line positions repeat between lists; each list's lines are stored with their own ids."""
    _add_projects(reward_builder, "a", 4)
    first_rule, second_rule = reward_builder.rule(name="甲"), reward_builder.rule(name="乙", mode="bracket")
    with reward_builder.ctx():
        first = services.create_list(db.session.get(RewardRule, first_rule), "2025Q4")
        second = services.create_list(db.session.get(RewardRule, second_rule), "2025Q4")
        services.refresh_list(first)
        db.session.commit()
        first_id, second_id = first.id, second.id
    for list_id in (first_id, second_id):
        with reward_builder.ctx():
            stored = reward_builder.stored_lines(list_id)
            assert [(line.position, line.project_name) for line in stored] == [
                (n + 1, f"项目{n:03d}") for n in range(4)
            ]


def test_coordinator_referrals_interleave_counties_by_name_and_follow_a_write(client, auth, reward_builder):
    _add_projects(reward_builder, "a", 2, prefix="乙")
    _add_projects(reward_builder, "b", 2, prefix="甲")
    auth.login("prov")

    def names() -> list[str]:
        page = client.get("/rewards/referrals").get_data(as_text=True)
        return re.findall(r"<td>([甲乙丙]\d{3})</td>", page)

    assert names() == ["乙000", "乙001", "甲000", "甲001"]  # by the names' characters, whichever county
    _add_projects(reward_builder, "b", 1, start=5, prefix="乙")  # county B writes after the page was read
    assert names() == ["乙000", "乙001", "乙005", "甲000", "甲001"]
    assert "共 5 条" in client.get("/rewards/referrals").get_data(as_text=True)
