"""A confidential project of county A (岐山县) with counted funds, an activity and history,
its investor shared with projects the tests create in county B (扶风县)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest
from coordination_support import CODE_NAME, REAL_NAME  # noqa: F401 - used by the fixtures
from record_support import user_named

from crm.core.db import db
from crm.util.names import normalise_company_name


@dataclass
class ConfidentialProject:
    """County A's confidential project, its investor and its counted funds."""

    project_id: int
    company_id: int
    funds: list[tuple[date, str, Decimal]]  # (month, origin, amount) all counted


@pytest.fixture
def confidential_project(app, world) -> ConfidentialProject:
    from crm.activities.models import Activity
    from crm.companies.models import Company
    from crm.core.tenancy import system_scope
    from crm.funds.models import FundsRecord
    from crm.projects.models import Project, StageChange

    funds = [
        (date(2026, 12, 1), "out_of_province", Decimal("1000.01")),
        (date(2026, 12, 1), "in_province", Decimal("333.33")),
        (date(2026, 6, 1), "out_of_province", Decimal("500.00")),  # before the agreement: A's alone
    ]
    with app.app_context(), system_scope():
        company = Company(
            name="宝鸡钛业股份有限公司",
            name_key=normalise_company_name("宝鸡钛业股份有限公司"),
            uscc="91610300MA6X000001",
        )
        db.session.add(company)
        db.session.flush()
        project = Project(
            county_id=world.county_a,
            name=REAL_NAME,
            code_name=CODE_NAME,
            owner_id=world.ids["a_staff"],
            investor_company_id=company.id,
            stage="signed",
            signed_on=date(2026, 3, 1),
            contract_no="QS-2026-07",
            planned_investment_wan=Decimal("88888"),
            first_contact_on=date(2026, 1, 5),
        )
        db.session.add(project)
        db.session.flush()
        db.session.add(
            StageChange(
                county_id=world.county_a,
                project_id=project.id,
                from_stage="lead",
                to_stage="signed",
                reached_on=date(2026, 3, 1),
                changed_by_id=world.ids["a_staff"],
            )
        )
        db.session.add(
            Activity(
                county_id=world.county_a,
                project_id=project.id,
                kind="visit",
                occurred_on=date(2026, 1, 3),
                subject="首次拜访",
            )
        )
        for month, origin, amount in funds:
            db.session.add(
                FundsRecord(
                    county_id=world.county_a,
                    project_id=project.id,
                    month=month,
                    origin=origin,
                    amount_wan=amount,
                    confirmed_at=datetime(2026, 12, 2, 1, 0),
                    confirmed_by_id=world.ids["a_manager"],
                )
            )
        db.session.commit()
        return ConfidentialProject(project.id, company.id, funds)


@pytest.fixture
def new_project(app, world):
    """``new_project(username, name, company_id, **values)``: a project created through the
    service as ``username`` (the collision check runs on its commit)."""
    return lambda *args, **values: _new_project(app, *args, **values)


def _new_project(app, username: str, name: str, company_id: int, **values) -> int:

    from crm.core.access import scope_for
    from crm.core.tenancy import set_scope
    from crm.projects.services import create_project

    with app.test_request_context():
        user = user_named(username)
        set_scope(scope_for(user))
        project = create_project({"name": name, "investor_company_id": company_id, **values}, user)
        db.session.commit()
        return project.id
