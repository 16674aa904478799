"""The demo's projects obey the pipeline rules they are meant to show."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

from record_support import user_named
from sqlalchemy import select

from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.demo import DemoContext
from crm.projects.demo import PATTERN_PROFILES, capital_origin
from crm.projects.models import ALL_STAGES, Project, StageChange
from crm.projects.pipeline import date_order_errors, evidence_errors, future_date_errors, project_values
from crm.projects.registration import place_of


def test_demo_projects_cover_every_stage_with_consistent_evidence(app, world):
    from crm.projects import load_demo
    from crm.regions.models import Region

    with app.test_request_context(), system_scope():
        counties = [db.session.get(Region, world.county_a), db.session.get(Region, world.county_b)]
        ctx = DemoContext(
            counties=counties,
            users={},
            today=date(2026, 11, 23),
            rng=random.Random(1),
            county_users={
                c.id: {
                    "manager": user_named(f"{p}_manager"),
                    "staff": user_named(f"{p}_staff"),
                    "staff2": user_named(f"{p}_staff" if p == "b" else "a_staff2"),
                    "leader": user_named(f"{p}_leader"),
                }
                for c, p in zip(counties, "ab")
            },
        )
        load_demo(ctx)
        db.session.commit()
        projects = db.session.execute(select(Project)).scalars().all()
        for county in counties:
            stages = Counter(p.stage for p in projects if p.county_id == county.id)
            assert sum(stages.values()) >= 60 and set(stages) == set(ALL_STAGES)
        for project in projects:
            values = project_values(project)
            assert date_order_errors(values) == {}, project
            assert future_date_errors(values, date(2026, 11, 23)) == {}, project
            stage = project.stage
            if stage in ("on_hold", "lost"):
                last = (
                    db.session.execute(
                        select(StageChange)
                        .where(StageChange.project_id == project.id)
                        .order_by(StageChange.changed_at.desc())
                    )
                    .scalars()
                    .first()
                )
                assert last.to_stage == stage
                stage = last.from_stage if stage == "on_hold" else "lost"
            assert evidence_errors(values, stage) == {}, (project, stage)
        this_year = [p for p in projects if p.signed_on and p.signed_on.year == 2026]
        assert len(this_year) >= 4
        assert any(p.code_name for p in projects)
        assert any(p.next_follow_up_on and p.next_follow_up_on < date(2026, 11, 23) for p in projects)
        _assert_believable(projects, counties)


def _pattern_of(name: str) -> str:
    for pattern in PATTERN_PROFILES:
        head, _n, tail = pattern.partition("{n}")
        if (
            name.startswith(head)
            and name.endswith(tail)
            and name[len(head) : len(name) - len(tail)].isdigit()
        ):
            return pattern
    raise AssertionError(name)


def _assert_believable(projects, counties):
    """Issue 14 item 17: investors that match their projects, land that fits the money, the
    capital's origin where the investor is, local companies registered in the county."""
    county_of = {c.id: c for c in counties}
    investors = set()
    for project in projects:
        pattern = _pattern_of(project.name)
        prefixes, (low, high) = PATTERN_PROFILES[pattern]
        investor = project.investor_company
        investors.add(investor.id)
        assert investor.industry_code.startswith(prefixes), (project.name, investor.name)
        intensity = project.planned_investment_wan / project.land_mu
        assert low * 0.9 <= intensity <= high * 1.1 or project.land_mu == 5, (project.name, intensity)
        assert project.capital_origin == capital_origin(investor, county_of[project.county_id])
        if project.local_company is not None:
            assert place_of(project.local_company.uscc, project.county_id) == "county", (
                project.local_company.uscc
            )
    assert len(investors) >= 20  # many firms, not six names behind every project
