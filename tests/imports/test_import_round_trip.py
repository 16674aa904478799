"""The project export (/projects/export.xlsx) imported back into an empty county gives the
same projects: names, investors, stages, amounts, dates and the other exported columns."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from exported_county import projects_of, seed_county_a
from import_support import scope_as

from crm.auth.models import User
from crm.core.db import db
from crm.imports import services
from crm.imports.headers import guess_mapping, known_headers
from crm.imports.readers import read_table


def test_exported_projects_import_back_the_same(app, world, client, auth):
    seed_county_a(app, world)
    with app.app_context():
        before = projects_of(world.county_a)
    auth.login("a_manager")
    exported = client.get("/projects/export.xlsx")
    assert exported.status_code == 200

    with app.app_context():
        importer = db.session.get(User, world.ids["b_staff"])
        scope_as(importer)
        table = read_table(exported.data, known_headers=known_headers("projects"))
        mapping = guess_mapping("projects", table.headers)
        mapping.pop("负责人", None)  # the exporting county's officers are not the importing county's
        report = services.run_import(
            table, "projects", mapping, county_id=importer.region_id, actor=importer, commit=True
        )
        assert report.ok, report.problems
        db.session.commit()
        after = projects_of(world.county_b)
    assert after == before
    by_name = {p["name"]: p for p in after}
    assert by_name["洽谈项目"]["planned_investment_wan"] == Decimal("12000.00")
    assert by_name["签约项目"]["signed_on"] == date(2026, 3, 5) and by_name["签约项目"]["stage"] == "signed"
