"""Province scale: the register, the policy catalog, the exports, the API lists and the
dashboard panel cost the same number of SQL statements whatever the number of records,
and the lists are paged (keeping their filters, and totals over every page)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from commitment_helpers import user_named
from sql_statements import counted_statements

from crm.commitments.alerts import PANEL_ROWS
from crm.commitments.models import Commitment, CommitmentDecision, Fulfillment, Policy
from crm.core import clock
from crm.core.db import db, utcnow
from crm.core.tenancy import system_scope
from crm.projects.models import Project


def add_commitments(
    app,
    county_id: int,
    owner: str,
    how_many: int,
    *,
    status: str = "approved",
    due_from: int = -20,
    tag: str = "批量",
) -> None:
    """``how_many`` commitments, each on its own project and policy (so a per-row load would
    show), due one day apart from ``due_from`` days from today; approved ones are half paid
    and carry a decision, so every relation a page shows is there."""
    today = clock.today()
    with app.test_request_context(), system_scope():
        owner_user = user_named(owner)
        for number in range(how_many):
            project = Project(
                county_id=county_id,
                name=f"{tag}项目{number:03d}",
                stage="signed",
                signed_on=today - timedelta(days=300),
                owner_id=owner_user.id,
                planned_investment_wan=Decimal(50000),
            )
            policy = Policy(
                region_id=county_id,
                name=f"{tag}政策{number:03d}",
                kind="land_price",
                legal_basis=f"文〔2024〕{number}号",
                max_amount_wan=Decimal(900),
                valid_from=today - timedelta(days=400),
                fair_review="passed",
            )
            db.session.add_all([project, policy])
            db.session.flush()
            commitment = Commitment(
                county_id=county_id,
                project_id=project.id,
                policy_id=policy.id,
                clause=f"{tag}条款{number:03d}",
                amount_wan=Decimal(100),
                committed_on=today - timedelta(days=200),
                due_on=today + timedelta(days=due_from + number),
                status=status,
                created_by_id=owner_user.id,
            )
            db.session.add(commitment)
            db.session.flush()
            if status != "draft":
                db.session.add(
                    Fulfillment(
                        county_id=county_id,
                        commitment_id=commitment.id,
                        fulfilled_on=today - timedelta(days=5),
                        amount_wan=Decimal(40),
                        evidence=f"凭证{number}",
                    )
                )
                db.session.add(
                    CommitmentDecision(
                        county_id=county_id,
                        commitment_id=commitment.id,
                        decided_at=utcnow(),
                        decided_by_id=owner_user.id,
                        decision="approved",
                        amount_wan=commitment.amount_wan,
                    )
                )
        db.session.commit()


def cm_count(app, call) -> tuple[int, object]:
    call()  # warm: first-use work (tokens, caches) is not what is measured
    with counted_statements(app) as counter:
        response = call()
    return counter.n, response


def cm_rows(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-commitment-id="(\d+)"', page)]


def cm_counties(app, world, how_many: int) -> list[int]:
    """More counties under 宝鸡市 (the province coordinator reads them all)."""
    from crm.regions.models import Region, RegionLevel

    with app.app_context(), system_scope():
        made = [
            Region(
                code=f"6103{40 + n:02d}",
                name=f"新县{n}",
                level=RegionLevel.county,
                parent_id=world.ids["610300"],
            )
            for n in range(how_many)
        ]
        db.session.add_all(made)
        db.session.commit()
        return [r.id for r in made]


# Page 1 measured with a few rows; after many more records, page 1 and page 2 (both full)
# must cost what the few-row page 1 cost: a per-row or per-county query would show.
PAGES = {
    "/commitments": ["/commitments?page=2"],
    "/commitments?overdue=1&policy_kind=land_price": ["/commitments?overdue=1&policy_kind=land_price&page=2"],
    "/policies": ["/policies?page=2"],
    "/commitments/export.csv": [],
    "/commitments/export.xlsx": [],
}
API = {"/api/v1/commitments": ["/api/v1/commitments?page=2"], "/api/v1/policies": ["/api/v1/policies?page=2"]}


@pytest.mark.parametrize("username", ["a_manager", "prov"])
def test_statement_count_does_not_grow_with_the_records(app, client, auth, api, world, drafts, username):
    app.config["PER_PAGE"] = 5
    add_commitments(app, world.county_a, "a_staff", 1, tag="甲")
    add_commitments(app, world.county_b, "b_staff", 1, tag="乙")
    auth.login(username)

    def page(url):
        return cm_count(app, lambda: client.get(url))

    def api_page(url):
        return cm_count(app, lambda: api.get(url, as_user=username))

    before = {url: page(url) for url in PAGES} | {url: api_page(url) for url in API}
    assert len(cm_rows(before["/commitments"][1].get_data(as_text=True))) < 5

    add_commitments(app, world.county_a, "a_staff", 30, tag="丙")
    add_commitments(app, world.county_b, "b_staff", 30, tag="丁")
    add_commitments(app, world.county_a, "a_staff", 10, status="draft", due_from=5, tag="戊")
    for number, county_id in enumerate(cm_counties(app, world, 6)):
        add_commitments(app, county_id, "a_staff", 3, tag=f"新{number}")
    after = {url: page(url) for base in PAGES for url in [base, *PAGES[base]]}
    after |= {url: api_page(url) for base in API for url in [base, *API[base]]}

    for url, (_n, response) in (before | after).items():
        assert response.status_code == 200, url
    expected = {
        url: before[base][0] for table in (PAGES, API) for base in table for url in [base, *table[base]]
    }
    assert {url: n for url, (n, _r) in after.items()} == expected
    # ... and a page shows one page, an export every row.
    assert len(cm_rows(after["/commitments?page=2"][1].get_data(as_text=True))) == 5
    assert after["/policies?page=2"][1].get_data(as_text=True).count("data-policy-id=") == 5
    assert len(after["/api/v1/commitments?page=2"][1].get_json()["items"]) == 5
    readable = 1 + 1 + 30 + 10 if username == "a_manager" else 2 + 2 * 1 + 2 * 30 + 10 + 6 * 3
    exported = list(csv.reader(io.StringIO(after["/commitments/export.csv"][1].data.decode("utf-8-sig"))))
    assert len(exported) == 1 + readable
    assert after["/api/v1/commitments"][1].get_json()["total"] == readable


def test_commitment_detail_and_project_register_are_constant(app, client, auth, world, drafts):
    add_commitments(app, world.county_a, "a_staff", 1, tag="甲")
    with app.app_context(), system_scope():
        one = db.session.query(Commitment).filter(Commitment.clause == "甲条款000").one()
        project_id, commitment_id = one.project_id, one.id
    auth.login("a_manager")
    urls = [
        f"/commitments/{commitment_id}",
        f"/projects/{project_id}/commitments",
        f"/projects/{drafts['project_a']}/commitments",
    ]
    before = [cm_count(app, lambda url=url: client.get(url))[0] for url in urls]
    with app.test_request_context(), system_scope():
        # Decided by several people: one query per decider would show.
        for number, name in enumerate(["a_staff", "a_staff2", "a_leader", "b_manager", "admin"]):
            db.session.add(
                Fulfillment(
                    county_id=world.county_a,
                    commitment_id=commitment_id,
                    fulfilled_on=clock.today(),
                    amount_wan=Decimal(1),
                    evidence=f"追加{number}",
                )
            )
            db.session.add(
                CommitmentDecision(
                    county_id=world.county_a,
                    commitment_id=commitment_id,
                    decided_at=utcnow(),
                    decided_by_id=user_named(name).id,
                    decision="refused",
                    reason=f"理由{number}",
                    amount_wan=Decimal(100),
                )
            )
        db.session.commit()
    add_commitments(app, world.county_a, "a_staff", 8, tag="乙")
    after = [cm_count(app, lambda url=url: client.get(url))[0] for url in urls]
    assert after == before


def test_register_pages_keep_filters_and_totals(app, client, auth, world, drafts):
    app.config["PER_PAGE"] = 5
    add_commitments(app, world.county_a, "a_staff", 12, status="draft", due_from=1, tag="甲")
    add_commitments(app, world.county_a, "a_staff", 4, tag="乙")  # approved: filtered out below
    auth.login("a_staff")
    first = client.get("/commitments?status=draft").get_data(as_text=True)
    second = client.get("/commitments?status=draft&page=2").get_data(as_text=True)
    third = client.get("/commitments?status=draft&page=3").get_data(as_text=True)
    assert "共 13 条" in first  # the fixture's draft and 12 more
    assert 'href="/commitments?status=draft&amp;page=2"' in first  # the pager keeps the filter
    with app.app_context(), system_scope():
        expected = [
            c.id
            for c in db.session.query(Commitment)
            .filter(Commitment.county_id == world.county_a, Commitment.status == "draft")
            .order_by(Commitment.due_on, Commitment.id)
        ]
    assert cm_rows(first) == expected[:5] and cm_rows(second) == expected[5:10]
    assert cm_rows(third) == expected[10:]
    assert "乙条款" not in first + second + third

    def figures(page):
        return dict(re.findall(r'data-figure="(\w+)">([^<]*)<', page))

    everything = [client.get(f"/commitments?page={n}").get_data(as_text=True) for n in (1, 2, 4)]
    assert figures(everything[0]) == figures(everything[1]) == figures(everything[2])
    totals = figures(everything[0])
    # Binding: 4 approved of 100, each 40 paid; drafts are not promised; 乙 are overdue.
    assert totals["promised"].replace(",", "") == "400.00"
    assert totals["fulfilled"].replace(",", "") == "160.00"
    assert totals["overdue_count"] == "4"
    assert totals["overdue_amount"].replace(",", "") == "240.00"
    assert client.get("/commitments?page=abc").status_code == 200


def test_api_list_pages_with_totals_over_every_page(api, app, world, drafts):
    add_commitments(app, world.county_a, "a_staff", 7, tag="甲")
    body = api.get("/api/v1/commitments?per_page=3&page=2", as_user="a_staff").get_json()
    assert body["total"] == 8 and body["figures"]["count"] == 8
    assert len(body["items"]) == 3 and body["page"] == 2
    assert {item["fulfilled_wan"] for item in body["items"]} == {"40.00"}
    assert body["figures"]["fulfilled"] == "280.00"
    assert api.get("/api/v1/commitments?page=x", as_user="a_staff").status_code == 400


def test_policy_catalog_pages(app, client, auth, world, drafts):
    app.config["PER_PAGE"] = 5
    add_commitments(app, world.county_a, "a_staff", 7, tag="甲")  # 7 county policies
    auth.login("a_staff")
    first = client.get("/policies").get_data(as_text=True)
    second = client.get("/policies?page=2").get_data(as_text=True)
    assert "共 9 条" in first  # 7 + the fixture's county policy + the province's
    ids = re.findall(r'data-policy-id="(\d+)"', first) + re.findall(r'data-policy-id="(\d+)"', second)
    assert len(ids) == len(set(ids)) == 9
    assert 'href="/policies?page=2"' in first


def test_dashboard_panel_lists_the_earliest_and_counts_the_rest(app, world, drafts):
    from crm.commitments.alerts import dashboard_panel
    from crm.core.access import scope_for
    from crm.core.tenancy import set_scope

    def panel():
        with app.test_request_context():
            set_scope(scope_for(user_named("prov")))
            with counted_statements(app) as counter:
                html = str(dashboard_panel(frozenset({world.county_a, world.county_b}), clock.today()))
            set_scope(None)
        return counter.n, html

    add_commitments(app, world.county_a, "a_staff", 2, due_from=-30, tag="甲")
    add_commitments(app, world.county_b, "b_staff", 1, due_from=3, tag="乙")
    small, _html = panel()
    add_commitments(app, world.county_a, "a_staff", PANEL_ROWS + 4, due_from=-60, tag="丙")
    add_commitments(app, world.county_b, "b_staff", PANEL_ROWS + 2, due_from=1, tag="丁")
    large, html = panel()
    assert large == small
    overdue = 2 + PANEL_ROWS + 4
    assert f"已逾期（{overdue}）" in html
    assert html.count("丙条款") + html.count("甲条款") == PANEL_ROWS
    assert "丙条款000" in html and "甲条款" not in html  # the earliest are listed
    assert f"另有 {overdue - PANEL_ROWS} 条" in html
    assert "未兑现 60.00 万元" in html  # 100 promised, 40 paid
    due_soon = 1 + PANEL_ROWS + 2  # the fixture's drafts are due in 90 days: not soon
    assert f"天内到期（{due_soon}）" in html and f"另有 {due_soon - PANEL_ROWS} 条" in html
