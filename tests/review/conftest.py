"""Projects and funds of 岐山县 (A) and 扶风县 (B) across 2025Q3, 2026Q2 and 2026Q3, written
straight to the database from the raw facts of review_facts.py (which the tests' own
calculation, review_oracle.py, reads too)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest
from record_support import add_with_history
from review_facts import FUNDS, MOVES, PROJECTS

from crm.core.db import db


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
            moves = MOVES.get(key, ())
            history = [(before, after, signed) for before, after in zip(("lead", *moves), moves)]
            ids[key] = add_with_history(project, *history).id
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
