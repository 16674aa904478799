"""The 企业名录 and 跟进记录 exports import back: every header is one the import reads, and
the records come back the same (service level; the browser test does projects, funds and
跟进记录 by clicking)."""

from __future__ import annotations

from decimal import Decimal

from exported_county import (
    COMPANIES,
    INVESTOR,
    activities_of,
    companies_named,
    contacts_of,
    funds_of,
    projects_of,
    seed_county_a,
)
from import_support import scope_as
from sqlalchemy import delete, select

from crm.auth.models import User
from crm.companies.exports import headers as company_headers
from crm.companies.models import Company
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.imports import services
from crm.imports.headers import FIELDS, guess_mapping, header_key, known_headers
from crm.imports.readers import read_table


def _import(app, world, username: str, kind: str, data: bytes, drop: tuple[str, ...] = ()):
    with app.app_context():
        importer = db.session.get(User, world.ids[username])
        scope_as(importer)
        table = read_table(data, known_headers=known_headers(kind))
        mapping = guess_mapping(kind, table.headers)
        for header in drop:
            mapping.pop(header)
        report = services.run_import(
            table, kind, mapping, county_id=importer.region_id, actor=importer, commit=True
        )
        assert report.ok, report.problems
        db.session.commit()
        return report, mapping


def test_every_importable_company_field_has_its_column(app):
    with app.test_request_context():
        mapped = set(guess_mapping("companies", company_headers()).values())
    assert mapped == set(FIELDS["companies"])


def test_the_company_ledger_imports_back_the_same(app, world, client, auth):
    seed_county_a(app, world)
    names = [INVESTOR, *COMPANIES]
    with app.app_context():
        before = companies_named(names)
    auth.login("a_staff")
    for query in ("format=xlsx", "format=csv", "format=csv&encoding=gb18030"):
        exported = client.get("/companies/export?" + query)
        assert exported.status_code == 200

        # In the same installation the companies are the same shared records: each row is
        # found again (by its credit code or its name) and skipped, nothing is created.
        report, mapping = _import(app, world, "b_staff", "companies", exported.data)
        assert set(mapping.values()) == set(FIELDS["companies"])
        assert (report.rows_total, report.created, report.skipped) == (3, 0, 3)

    # Another installation has none of them: the two companies nothing refers to are removed,
    # and the GB18030 file brings them back whole (the investor, still here, is skipped).
    with app.app_context(), system_scope():
        db.session.execute(delete(Company).where(Company.name.in_(list(COMPANIES))))
        db.session.commit()
    report, _mapping = _import(app, world, "b_staff", "companies", exported.data)
    assert (report.created, report.skipped) == (2, 1)
    with app.app_context():
        assert companies_named(names) == before
        with system_scope():
            created_by = set(
                db.session.execute(
                    select(Company.created_by_county_id).where(Company.name.in_(list(COMPANIES)))
                ).scalars()
            )
        assert created_by == {world.county_b}


def test_the_follow_up_ledger_imports_back_the_same(app, world, client, auth):
    seed_county_a(app, world)
    auth.login("a_manager")
    projects = client.get("/projects/export.xlsx")
    activities = client.get("/activities/export?format=csv&encoding=gb18030")
    assert activities.status_code == 200
    assert activities.headers["Content-Type"] == "text/csv; charset=GB18030"
    text = activities.data.decode("gb18030")
    assert text.splitlines()[0].split(",")[:3] == ["所属县区", "项目名称", "跟进日期"]

    _import(app, world, "b_staff", "projects", projects.data, drop=(header_key("负责人"),))
    report, mapping = _import(app, world, "b_staff", "activities", activities.data)
    assert set(mapping.values()) == set(FIELDS["activities"])
    assert report.created == 2
    with app.app_context():
        assert activities_of(world.county_b) == activities_of(world.county_a)
        assert len(activities_of(world.county_b)) == 2
        assert projects_of(world.county_b) == projects_of(world.county_a)


def test_the_funds_ledger_imports_back_the_same_dollars_and_all(app, world, client, auth):
    seed_county_a(app, world)
    auth.login("a_manager")
    projects = client.get("/projects/export.xlsx")
    funds = client.get("/funds/export?format=csv")
    _import(app, world, "b_staff", "projects", projects.data, drop=(header_key("负责人"),))
    report, mapping = _import(app, world, "b_staff", "funds", funds.data)
    # 境外 money comes back from its 万美元 column, not from the converted 万元 beside it.
    assert mapping[header_key("到位金额（万美元）")] == "amount_usd_wan"
    assert report.created == 3
    with app.app_context():
        before, after = funds_of(world.county_a), funds_of(world.county_b)
    assert after == before
    assert [row[5] for row in after if row[2] == "foreign"] == [Decimal("120.50")]


def test_a_ledger_with_a_dollar_column(app, world):
    """境外 rows take their 万美元 from that column (their 万元 may be empty); another origin
    with dollars is refused, the problem naming the 万美元 column."""
    from ledgers import xlsx

    seed_county_a(app, world)
    ledger = xlsx(
        [
            ("项目名称", "月份", "到位资金（万元）", "到位金额（万美元）", "资金来源"),
            ("洽谈项目", "2026年10月", None, "10", "境外"),
            ("洽谈项目", "2026年11月", "50", "5", "省外"),
        ]
    )
    with app.app_context():
        importer = db.session.get(User, world.ids["a_staff"])
        scope_as(importer)
        table = read_table(ledger, known_headers=known_headers("funds"))
        mapping = guess_mapping("funds", table.headers)
        report = services.run_import(table, "funds", mapping, county_id=world.county_a, actor=importer)
        db.session.rollback()
    [problem] = report.problems
    assert (problem.row, problem.column, problem.value) == (3, "到位金额(万美元)", "5")
    assert "只有境外资金以万美元登记" in problem.message
    assert report.created == 1  # the 境外 row: its 万元 empty, its dollars read


def test_the_contact_list_imports_back_the_same(app, world, client, auth):
    seed_county_a(app, world)
    auth.login("a_staff")
    exported = client.get("/contacts/export?format=csv&encoding=gb18030")
    assert exported.status_code == 200
    report, mapping = _import(app, world, "b_staff", "contacts", exported.data)
    assert set(mapping.values()) == set(FIELDS["contacts"])
    assert (report.created, report.companies_created) == (2, 0)  # at the same shared company
    with app.app_context():
        assert contacts_of(world.county_b) == contacts_of(world.county_a)
        assert len(contacts_of(world.county_b)) == 2
