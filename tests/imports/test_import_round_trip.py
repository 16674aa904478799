"""The project export (/projects/export.xlsx) imported back into an empty county gives the
same projects: names, investors, stages, amounts, dates and the other exported columns."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from exported_county import PROJECT_FIELDS
from sqlalchemy import select

from crm.auth.models import User
from crm.core.db import db
from crm.core.session import TenantScope
from crm.core.tenancy import set_scope, system_scope
from crm.imports import services
from crm.imports.headers import guess_mapping, known_headers
from crm.imports.readers import read_table
from crm.projects.models import Project
from crm.projects.services import create_project

COMPARED = PROJECT_FIELDS  # the exported columns compared after the round trip


def _scope(user):
    set_scope(
        TenantScope(
            actor_id=user.id,
            actor_name=user.username,
            read_county_ids=frozenset({user.region_id}),
            write_county_id=user.region_id,
        )
    )


def _snapshot(county_id):
    with system_scope():
        projects = db.session.execute(
            select(Project).where(Project.county_id == county_id).order_by(Project.name)
        ).scalars()
        return [
            {
                **{key: getattr(p, key) for key in COMPARED},
                "investor": p.investor_company.name if p.investor_company else None,
            }
            for p in projects
        ]


def test_exported_projects_import_back_the_same(app, world, client, auth):
    with app.app_context():
        staff = db.session.get(User, world.ids["a_manager"])
        _scope(staff)
        common = {"responsible_unit": "招商一科", "leader_in_charge": "王副县长", "industry": "新材料"}
        create_project({"name": "线索项目", "investor_name": None, **common}, staff)
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
            staff,
        )
        create_project(
            {
                "name": "签约项目",
                "planned_investment_wan": "3000.5",
                "fixed_asset_investment_wan": "2500",
                "expected_annual_output_wan": "8000",
                "signed_on": "2026-03-05",
                "contract_no": "QS-2026-09",
                "construction_started_on": "2026-06-01",
                "stage": "signed",
                **common,
            },
            staff,
        )
        db.session.commit()
        before = _snapshot(world.county_a)
    auth.login("a_manager")
    exported = client.get("/projects/export.xlsx")
    assert exported.status_code == 200

    with app.app_context():
        importer = db.session.get(User, world.ids["b_staff"])
        _scope(importer)
        table = read_table(exported.data, known_headers=known_headers("projects"))
        mapping = guess_mapping("projects", table.headers)
        mapping.pop("负责人", None)  # the exporting county's officers are not the importing county's
        report = services.run_import(
            table, "projects", mapping, county_id=importer.region_id, actor=importer, commit=True
        )
        assert report.ok, report.problems
        db.session.commit()
        after = _snapshot(world.county_b)
    assert after == before
    by_name = {p["name"]: p for p in after}
    assert by_name["洽谈项目"]["planned_investment_wan"] == Decimal("12000.00")
    assert by_name["签约项目"]["signed_on"] == date(2026, 3, 5) and by_name["签约项目"]["stage"] == "signed"
