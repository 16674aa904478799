"""Projects and funds of 岐山县 (A) and 扶风县 (B) across 2025Q3, 2026Q2 and 2026Q3, written
straight to the database; ``PROJECTS`` and ``FUNDS`` are the raw facts the tests' own
calculation (review_oracle.py) reads too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest

from crm.core.db import db

# (key, county, stage, planned 万元, 签约, 注册, 开工, 投产)
PROJECTS = [
    ("a1", "a", "started", Decimal(15000), date(2026, 2, 10), date(2026, 3, 15), date(2026, 8, 1), None),
    ("a2", "a", "signed", Decimal(5000), date(2026, 8, 20), None, None, None),
    ("a3", "a", "producing", Decimal(8000), date(2025, 5, 1), None, date(2025, 7, 10), date(2026, 7, 15)),
    ("a4", "a", "lost", Decimal(2000), date(2026, 4, 1), None, None, None),
    ("a5", "a", "lead", None, None, None, None, None),
    ("b1", "b", "signed", Decimal(3000), date(2026, 7, 1), None, None, None),
]
# (project, month, origin, 万元, confirmed)
FUNDS = [
    ("a1", date(2026, 2, 1), "out_of_province", Decimal(1000), True),
    ("a1", date(2026, 5, 1), "in_province", Decimal(400), True),
    ("a1", date(2026, 8, 1), "in_city", Decimal(500), True),
    ("a1", date(2026, 8, 1), "out_of_province", Decimal(999), False),  # awaiting 认定: never counts
    ("a2", date(2026, 9, 1), "in_province", Decimal(300), True),
    ("a3", date(2025, 8, 1), "out_of_province", Decimal(200), True),
    ("b1", date(2026, 7, 1), "out_of_province", Decimal(800), True),
]


@dataclass
class ReviewCase:
    projects: dict[str, int]  # key -> project id
    a: int
    b: int


@pytest.fixture
def review_case(app, world) -> ReviewCase:
    from crm.core.tenancy import system_scope
    from crm.funds.models import FundsRecord
    from crm.projects.models import Project

    counties = {"a": world.county_a, "b": world.county_b}
    ids = {}
    with app.app_context(), system_scope():
        for key, county, stage, planned, signed, registered, started, producing in PROJECTS:
            project = Project(
                county_id=counties[county],
                name=f"测试项目{key}",
                owner_id=world.ids[f"{county}_staff"],
                stage=stage,
                planned_investment_wan=planned,
                signed_on=signed,
                contract_no=f"HT-{key}" if signed else None,
                registered_on=registered,
                construction_started_on=started,
                production_started_on=producing,
                lost_reason="投资方撤回" if stage == "lost" else None,
            )
            db.session.add(project)
            db.session.flush()
            ids[key] = project.id
        for key, month, origin, amount, confirmed in FUNDS:
            county = counties[key[0]]
            db.session.add(
                FundsRecord(
                    county_id=county,
                    project_id=ids[key],
                    month=month,
                    origin=origin,
                    amount_wan=amount,
                    confirmed_at=datetime(2026, 10, 2, 1, 0) if confirmed else None,
                    confirmed_by_id=world.ids[f"{key[0]}_manager"] if confirmed else None,
                )
            )
        db.session.commit()
    return ReviewCase(ids, world.county_a, world.county_b)
