"""The demo's own ledgers go back into an empty county: 岐山县's manager exports projects,
funds and 跟进记录 (every stage, 注册落地 with its local company, 终止 with its reason, a 境外
record), and a new county's officer imports them — the same records come back."""

from __future__ import annotations

from demo_support import login
from import_support import EXPORTED_PROJECT_FIELDS, scope_as
from passwords import PASSWORD
from sqlalchemy import select

from crm.activities.models import Activity
from crm.auth.models import User
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.funds.models import FundsRecord
from crm.imports import services
from crm.imports.headers import guess_mapping, header_key, known_headers
from crm.imports.readers import read_table
from crm.projects.models import Project
from crm.regions.models import Region

# The 跟进记录 are imported after the projects, and a follow-up's next date becomes its project's
# (as one written on the page does): a project's 下次跟进日期 is its follow-ups' to set, not
# the projects export's to bring back.
PROJECT_COLUMNS = tuple(field for field in EXPORTED_PROJECT_FIELDS if field != "next_follow_up_on")


def _county_records(county_id: int) -> dict[str, list]:
    with system_scope():
        projects = db.session.execute(select(Project).where(Project.county_id == county_id)).scalars()
        funds = db.session.execute(select(FundsRecord).where(FundsRecord.county_id == county_id)).scalars()
        activities = db.session.execute(select(Activity).where(Activity.county_id == county_id)).scalars()
        return {
            "projects": sorted(
                (
                    *(getattr(p, column) for column in PROJECT_COLUMNS),
                    p.investor_company_id,
                    p.local_company_id,
                )
                for p in projects
            ),
            "funds": sorted(
                (
                    r.project.name,
                    r.month,
                    r.origin,
                    r.exclusion,
                    r.amount_wan,
                    r.amount_usd_wan,
                    r.evidence_ref,
                )
                for r in funds
            ),
            "activities": sorted(
                (a.project.name, a.occurred_on, a.kind, a.subject, a.summary or "", a.next_step or "")
                for a in activities
            ),
        }


def test_the_demos_exports_fill_an_empty_county_with_the_same_records(demo_app):
    from crm.auth.services import create_user
    from crm.regions.services import create_region

    with demo_app.app_context(), system_scope():
        qishan = db.session.execute(select(Region).where(Region.name == "岐山县")).scalar_one().id
        meixian = create_region("610326", "眉县", "county", "610300")
        meixian_id = meixian.id
        importer_id = create_user("mei_staff", PASSWORD, "staff", meixian).id
        db.session.commit()
        before = _county_records(qishan)
    assert {row[2] for row in before["projects"]} >= {"registered", "started", "producing", "lost"}
    assert {row[2] for row in before["funds"]} >= {"foreign"} and {row[3] for row in before["funds"]} > {
        "none"
    }

    exporter = login(demo_app, "qishan_manager")
    years = sorted({row[1].year for row in before["funds"]})
    assert len(years) > 1  # the funds export is one year's: each is exported
    ledgers = [
        ("projects", exporter.get("/projects/export.xlsx")),
        *(("funds", exporter.get(f"/funds/export?year={year}&format=xlsx")) for year in years),
        ("activities", exporter.get("/activities/export?format=csv&encoding=gb18030")),
    ]
    for kind, reply in ledgers:
        assert reply.status_code == 200, kind
        with demo_app.app_context():
            importer = db.session.get(User, importer_id)
            scope_as(importer)
            table = read_table(reply.data, known_headers=known_headers(kind))
            mapping = guess_mapping(kind, table.headers)
            mapping.pop(header_key("负责人"), None)  # 岐山县's officers are nobody in 眉县
            report = services.run_import(
                table, kind, mapping, county_id=meixian_id, actor=importer, commit=True
            )
            assert report.ok, (kind, report.problems[:5])
            assert report.created == report.rows_total, kind
            db.session.commit()

    with demo_app.app_context():
        after = _county_records(meixian_id)
    assert after == before
