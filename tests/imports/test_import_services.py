"""The dry run, the all-or-nothing commit, county isolation and undo, through the services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from import_support import import_ledger, scope_of
from ledgers import USCC_A, messy_projects_xlsx, xlsx
from sqlalchemy import func, select

from crm.companies.models import Company
from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.session import TenantScope
from crm.core.tenancy import set_scope
from crm.imports import services
from crm.imports.headers import guess_mapping
from crm.imports.models import ImportBatch, ImportBatchRecord
from crm.projects.models import Project


def _run(data, kind="projects", *, user, commit=False, choices=None):
    report = import_ledger(data, user, kind, commit=commit, choices=choices)
    if report.batch is None:
        db.session.rollback()
    else:
        db.session.commit()
    return report


def _projects():
    return db.session.execute(select(Project.name, Project.stage, Project.planned_investment_wan)).all()


def test_messy_ledger_commits_with_stages_amounts_and_investors(app, world):
    with app.app_context():
        user = scope_of(world, "a_staff")
        report = _run(messy_projects_xlsx(), user=user, commit=True)
        assert report.ok, report.problems
        assert (report.created, report.companies_created) == (2, 2)
        assert sorted(_projects()) == [
            ("果品冷链物流园", "negotiating", Decimal("3000.00")),
            ("钛材深加工项目", "signed", Decimal("12000.00")),
        ]
        batch = db.session.get(ImportBatch, report.batch.id)
        assert (batch.kind, batch.created_count, batch.county_id) == ("projects", 2, world.county_a)
        assert len(batch.file_sha256) == 64
        tables = sorted(r.table_name for r in db.session.execute(select(ImportBatchRecord)).scalars())
        assert tables == ["companies", "companies", "projects", "projects"]


def test_one_bad_row_writes_nothing_and_the_report_names_row_column_value_and_why(app, world):
    ledger = xlsx(
        [
            ("项目名称", "投资方", "计划投资（万元）", "签约日期", "阶段"),
            ("好项目", "甲公司", "3000", None, "在谈"),
            ("坏金额", "乙公司", "三千万", None, "线索"),
            ("将来签约", "丙公司", "100", "2030-01-01", "已签约"),
            ("缺证据", "丁公司", "100", None, "已签约"),
        ]
    )
    with app.app_context():
        user = scope_of(world, "a_staff")
        report = _run(ledger, user=user, commit=True)
        assert report.batch is None
        by_row = {p.row: p for p in report.problems}
        assert set(by_row) == {3, 4, 5}
        assert (by_row[3].column, by_row[3].value) == ("计划投资(万元)", "三千万")
        assert "无法识别的金额" in by_row[3].message
        assert by_row[4].column == "签约日期" and "将来" in by_row[4].message
        assert by_row[5].message  # signing needs its evidence (pipeline rules)
        set_scope(TenantScope(unrestricted=True))
        assert db.session.execute(select(func.count(Project.id))).scalar() == 0
        assert db.session.execute(select(func.count(Company.id))).scalar() == 0
        assert db.session.execute(select(func.count(ImportBatch.id))).scalar() == 0


def test_dry_run_writes_nothing(app, world):
    with app.app_context():
        user = scope_of(world, "a_staff")
        report = _run(messy_projects_xlsx(), user=user, commit=False)
        assert report.ok and report.created == 2 and report.batch is None
        set_scope(TenantScope(unrestricted=True))
        assert db.session.execute(select(func.count(Project.id))).scalar() == 0


def test_duplicates_are_listed_and_the_choice_is_kept(app, world):
    ledger = xlsx(
        [("项目名称", "投资方", "统一社会信用代码", "计划投资"), ("钛项目", "北京某公司", USCC_A, "100")]
    )
    changed = xlsx(
        [("项目名称", "投资方", "统一社会信用代码", "计划投资"), ("钛项目", "北京某公司", USCC_A, "250")]
    )
    with app.app_context():
        user = scope_of(world, "a_staff")
        assert _run(ledger, user=user, commit=True).created == 1
        skipped = _run(changed, user=user, commit=True)
        assert (skipped.skipped, skipped.duplicates[0].row, skipped.duplicates[0].existing) == (
            1,
            2,
            "钛项目",
        )
        updated = _run(changed, user=user, commit=True, choices={2: "update"})
        assert updated.updated == 1
        assert _projects() == [("钛项目", "lead", Decimal("250.00"))]
        # the investor was found by its credit code, not created twice
        assert db.session.execute(select(func.count(Company.id))).scalar() == 1


def test_an_import_writes_only_the_importers_county(app, world):
    with app.app_context():
        user = scope_of(world, "b_staff")
        report = _run(messy_projects_xlsx(), user=user, commit=True)
        set_scope(TenantScope(unrestricted=True))
        counties = set(db.session.execute(select(Project.county_id)).scalars())
        assert counties == {world.county_b} and report.batch.county_id == world.county_b
        set_scope(TenantScope(read_county_ids=frozenset({world.county_a}), write_county_id=world.county_a))
        assert db.session.get(ImportBatch, report.batch.id) is None


def test_undo_by_a_manager_removes_what_the_batch_created(app, world):
    with app.app_context():
        user = scope_of(world, "a_staff")
        batch_id = _run(messy_projects_xlsx(), user=user, commit=True).batch.id
        staff = scope_of(world, "a_staff")
        with pytest.raises(ServiceError):
            services.undo_batch(db.session.get(ImportBatch, batch_id), staff)
        manager = scope_of(world, "a_manager")
        batch = db.session.get(ImportBatch, batch_id)
        assert services.undo_refusal(batch) is None
        assert services.undo_batch(batch, manager) == 4
        db.session.commit()
        assert _projects() == []
        assert db.session.execute(select(func.count(Company.id))).scalar() == 0
        assert "已于此前撤销" in services.undo_refusal(db.session.get(ImportBatch, batch_id))


def test_undo_is_refused_after_a_later_edit(app, world):
    from crm.projects.services import update_project

    with app.app_context():
        user = scope_of(world, "a_staff")
        batch_id = _run(messy_projects_xlsx(), user=user, commit=True).batch.id
        project = db.session.execute(select(Project).where(Project.name == "果品冷链物流园")).scalar_one()
        update_project(project, {"description": "后来补充的说明"}, user, project.version)
        db.session.commit()
        manager = scope_of(world, "a_manager")
        batch = db.session.get(ImportBatch, batch_id)
        refusal = services.undo_refusal(batch)
        assert "第 6 行" in refusal and "已被修改" in refusal
        with pytest.raises(ServiceError):
            services.undo_batch(batch, manager)


def test_undo_restores_updated_records(app, world):
    ledger = xlsx([("项目名称", "投资方", "计划投资"), ("钛项目", "甲公司", "100")])
    changed = xlsx([("项目名称", "投资方", "计划投资"), ("钛项目", "甲公司", "250")])
    with app.app_context():
        user = scope_of(world, "a_staff")
        _run(ledger, user=user, commit=True)
        batch_id = _run(changed, user=user, commit=True, choices={2: "update"}).batch.id
        manager = scope_of(world, "a_manager")
        services.undo_batch(db.session.get(ImportBatch, batch_id), manager)
        db.session.commit()
        assert _projects() == [("钛项目", "lead", Decimal("100.00"))]


def test_companies_contacts_funds_and_activities(app, world):
    with app.app_context():
        user = scope_of(world, "a_staff")
        assert _run(
            xlsx([("企业名称", "统一社会信用代码"), ("北京某钛业公司", USCC_A)]),
            "companies",
            user=user,
            commit=True,
        ).ok
        assert (
            _run(xlsx([("项目名称", "投资方"), ("钛项目", "北京某钛业公司")]), user=user, commit=True).created
            == 1
        )
        contacts = _run(
            xlsx([("企业名称", "联系人", "职务", "电话"), ("北京某钛业公司", "张三", "总经理", 13800000000)]),
            "contacts",
            user=user,
            commit=True,
        )
        assert contacts.ok and contacts.created == 1
        funds = _run(
            xlsx(
                [
                    ("项目名称", "月份", "到位资金（万元）", "资金来源"),
                    ("钛项目", "2026年3月", "1.5亿", "省外"),
                ]
            ),
            "funds",
            user=user,
            commit=True,
        )
        assert funds.ok, funds.problems
        activities = _run(
            xlsx(
                [
                    ("项目名称", "跟进日期", "跟进内容"),
                    ("钛项目", "2026/3/5", "赴京拜访董事长"),
                    ("无此项目", "2026/3/6", "x"),
                ]
            ),
            "activities",
            user=user,
            commit=True,
        )
        assert [p.row for p in activities.problems] == [3]
        assert "本县没有名为“无此项目”的项目" in activities.problems[0].message


def test_saved_mapping_is_reused(app, world):
    with app.app_context():
        user = scope_of(world, "a_staff")
        services.save_mapping(
            user.region_id, "projects", "市里的表", {"项目": "name", "老板的公司": "investor_name"}
        )
        db.session.commit()
        saved = services.saved_mapping(user.region_id, "projects", "市里的表").columns
        assert guess_mapping("projects", ["老板的公司", "项目"], saved) == {
            "老板的公司": "investor_name",
            "项目": "name",
        }
