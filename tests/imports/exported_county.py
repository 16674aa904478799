"""A county with a little of everything the ledger import reads (projects with an investor,
funds in place, follow-ups, companies), written through the domains' services, and the
snapshots the round-trip tests compare: what county A exported must come back the same in an
empty county B."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from operator import attrgetter

from import_support import EXPORTED_PROJECT_FIELDS, scope_as
from ledgers import USCC_A
from sqlalchemy import select

from crm.activities.models import Activity
from crm.auth.models import User
from crm.companies.models import Company, Contact
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.funds.models import FundsRecord
from crm.projects.models import Project

__all__ = [
    "COMPANIES",
    "PROJECTS",
    "activities_of",
    "companies_named",
    "contacts_of",
    "funds_of",
    "projects_of",
    "seed_county_a",
]

INVESTOR = "宝鸡钛谷新材料有限公司"
#: name → (the name an officer who is neither its owner nor a manager reads — 洽谈项目 is
#: confidential —, stage label on the list, 计划投资 as the list shows it)
PROJECTS = {
    "线索项目": ("线索项目", "线索", None),
    "洽谈项目": ("A-1", "洽谈", "12,000.00"),
    "签约项目": ("签约项目", "签约", "3,000.50"),
}
#: The companies county A registered (besides the investor): name → credit code.
COMPANIES = {"陕西果业集团有限公司": "91610100095M34E68F", "岐山县面皮食品有限公司": None}

# What the snapshots compare of each record (a tuple of these attributes).
FUNDS_ROW = attrgetter(
    "project.name", "month", "origin", "exclusion", "amount_wan", "amount_usd_wan", "usd_rate", "evidence_ref"
)
ACTIVITY_ROW = attrgetter(
    "project.name", "occurred_on", "kind", "subject", "summary", "participants", "next_step"
)
CONTACT_ROW = attrgetter("company.name", "name", "title", "phone", "email", "wechat", "note")
COMPANY_ROW = attrgetter("name", "uscc", "industry_code", "headquarters", "website", "description")


def seed_county_a(app, world) -> None:
    """County A's ledgers: three projects (one invested by a company with a credit code), three
    months of funds (one 境外, in dollars), two follow-ups, two contacts at the investor, and
    two more companies it registered."""
    from crm.activities.services import create_activity
    from crm.companies.services import create_company, create_contact
    from crm.funds.rates import set_rate
    from crm.funds.services import create_funds
    from crm.projects.services import create_project

    with app.app_context():
        manager = db.session.get(User, world.ids["a_manager"])
        scope_as(manager)
        investor = create_company({"name": INVESTOR, "uscc": USCC_A}, created_by_county_id=world.county_a)
        for name, uscc in COMPANIES.items():
            create_company(
                {"name": name, "uscc": uscc, "headquarters": "陕西省西安市", "description": "果品加工"},
                created_by_county_id=world.county_a,
                confirm_not_duplicate=True,
            )
        for company, name, title, phone in (
            (investor, "李总", "总经理", "13800001234"),
            (investor, "王秘书", None, "+86 29 8888 6666"),  # exported as '+86…: not a formula
        ):
            values = {
                "name": name,
                "title": title,
                "phone": phone,
                "email": "li@example.com",
                "wechat": "lizong",
            }
            create_contact(company, values, county_id=world.county_a, created_by_id=manager.id)
        common = {"responsible_unit": "招商一科", "leader_in_charge": "王副县长", "industry": "新材料"}
        create_project({"name": "线索项目", **common}, manager)
        create_project(
            {
                "name": "洽谈项目",
                "code_name": "A-1",
                "kind": "expansion",
                "source_channel": "expo",
                "planned_investment_wan": "12000",
                "expected_jobs": 150,
                "land_mu": "85.5",
                "capital_origin": "out_of_province",
                "next_follow_up_on": "2026-12-20",
                "stage": "negotiating",
                **common,
            },
            manager,
        )
        signed = create_project(
            {
                "name": "签约项目",
                "investor_company_id": investor.id,
                "planned_investment_wan": "3000.5",
                "fixed_asset_investment_wan": "2500",
                "expected_annual_output_wan": "8000",
                "signed_on": "2026-03-05",
                "contract_no": "QS-2026-09",
                "construction_started_on": "2026-06-01",
                "stage": "signed",
                **common,
            },
            manager,
        )
        for month, origin, amount, voucher in (
            (date(2026, 6, 1), "out_of_province", Decimal("1500.50"), "PZ-0601"),
            (date(2026, 9, 1), "in_province", Decimal("800"), "PZ-0901"),
        ):
            values = {"month": month, "origin": origin, "amount_wan": amount, "evidence_ref": voucher}
            create_funds(signed, values, created_by=manager)
        # 境外 money: 万美元 at the province's rate of its month (both counties are in 陕西省).
        set_rate(db.session.get(User, world.ids["prov"]), date(2026, 10, 1), "7.1268", "外汇局")
        values = {"month": date(2026, 10, 1), "origin": "foreign", "amount_usd_wan": Decimal("120.50")}
        create_funds(signed, {**values, "evidence_ref": "PZ-1001"}, created_by=manager)
        for occurred_on, kind, summary in (
            (date(2026, 3, 1), "negotiation", "就厂房租金和设备进口免税达成一致"),
            (date(2026, 11, 20), "site_visit", "投资方来县考察园区标准化厂房"),
        ):
            values = {
                "kind": kind,
                "occurred_on": occurred_on,
                "subject": summary[:10],
                "summary": summary,
                "participants": "王副县长、招商一科",
                "next_step": "报县政府常务会",
            }
            create_activity(signed, values, created_by=manager)
        db.session.commit()


def _rows(model, where, order_by, row) -> list:
    """``row`` of each record of ``model`` that ``where`` picks, in ``order_by`` order (every
    county visible while the rows are read)."""
    with system_scope():
        records = db.session.execute(select(model).where(where).order_by(order_by)).scalars()
        return [row(record) for record in records]


def projects_of(county_id: int) -> list[dict]:
    return _rows(
        Project,
        Project.county_id == county_id,
        Project.name,
        lambda p: {
            **{key: getattr(p, key) for key in EXPORTED_PROJECT_FIELDS},
            "investor": p.investor_company.name if p.investor_company else None,
        },
    )


def funds_of(county_id: int) -> list[tuple]:
    return _rows(FundsRecord, FundsRecord.county_id == county_id, FundsRecord.month, FUNDS_ROW)


def activities_of(county_id: int) -> list[tuple]:
    return _rows(Activity, Activity.county_id == county_id, Activity.occurred_on, ACTIVITY_ROW)


def contacts_of(county_id: int) -> list[tuple]:
    return _rows(Contact, Contact.county_id == county_id, Contact.name, CONTACT_ROW)


def companies_named(names) -> list[tuple]:
    return _rows(Company, Company.name.in_(list(names)), Company.name, COMPANY_ROW)
