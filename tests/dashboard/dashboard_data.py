"""Projects with their stage history and funds, written straight to the database, for
hand-checkable dashboard figures (see conftest.py and test_dashboard_figures.py)."""

from datetime import date, datetime
from decimal import Decimal

from crm.core.db import db
from crm.funds.models import FundsRecord
from crm.projects.models import Project, StageChange

D = date.fromisoformat


def add_project(county, name, stage, planned=None, history=(), funds=(), **dates):
    project = Project(
        name=name,
        county_id=county,
        stage=stage,
        planned_investment_wan=Decimal(planned) if planned else None,
        **{k: D(v) if isinstance(v, str) else v for k, v in dates.items()},
    )
    db.session.add(project)
    db.session.flush()
    previous = None
    for number, (to_stage, reached_on) in enumerate(history):
        db.session.add(
            StageChange(
                county_id=county,
                project_id=project.id,
                from_stage=previous,
                to_stage=to_stage,
                reached_on=D(reached_on),
                changed_at=datetime(2026, 1, 1, 0, 0, number),
            )
        )
        previous = to_stage
    for month, origin, amount in funds:
        db.session.add(
            FundsRecord(
                county_id=county,
                project_id=project.id,
                month=D(month + "-01"),
                origin=origin,
                amount_wan=Decimal(amount),
                confirmed_at=datetime(2026, 1, 5),  # counted money (认定)
            )
        )
    return project
