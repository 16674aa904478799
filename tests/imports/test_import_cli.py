"""``chaincrm import projects FILE --county CODE [--dry-run]``."""

from __future__ import annotations

from ledgers import messy_projects_xlsx, xlsx
from record_support import count_of
from sqlalchemy import select

from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.projects.models import Project


def test_dry_run_then_commit(app, world, runner, tmp_path):
    ledger = tmp_path / "台账.xlsx"
    ledger.write_bytes(messy_projects_xlsx())
    result = runner.invoke(args=["import", "projects", str(ledger), "--county", "610323", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "新建 2" in result.output and "未写入" in result.output
    assert count_of(app, Project) == 0
    result = runner.invoke(args=["import", "projects", str(ledger), "--county", "610323"])
    assert result.exit_code == 0, result.output
    assert "已导入：批次 #" in result.output
    assert count_of(app, Project) == 2


def test_problems_exit_non_zero_and_write_nothing(app, world, runner, tmp_path):
    ledger = tmp_path / "bad.xlsx"
    ledger.write_bytes(xlsx([("项目名称", "计划投资"), ("甲", "很多")]))
    result = runner.invoke(args=["import", "projects", str(ledger), "--county", "610323"])
    assert result.exit_code == 1
    assert "第 2 行 “计划投资”（很多）：无法识别的金额" in result.output
    assert count_of(app, Project) == 0


def test_unreadable_file_and_unknown_county(app, world, runner, tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"%PDF-1.4")
    assert runner.invoke(args=["import", "projects", str(bad), "--county", "610323"]).exit_code == 2
    result = runner.invoke(args=["import", "projects", str(bad), "--county", "999999"])
    assert result.exit_code != 0 and "不存在" in result.output


def test_on_duplicate_update_changes_the_existing_project(app, world, runner, tmp_path):
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    first.write_bytes(xlsx([("项目名称", "投资方", "计划投资"), ("钛项目", "甲公司", "100")]))
    second.write_bytes(xlsx([("项目名称", "投资方", "计划投资"), ("钛项目", "甲公司", "1.5亿")]))
    assert runner.invoke(args=["import", "projects", str(first), "--county", "610323"]).exit_code == 0
    skipped = runner.invoke(args=["import", "projects", str(second), "--county", "610323"])
    assert "第 2 行 与已有记录“钛项目”重复" in skipped.output and "跳过 1" in skipped.output
    updated = runner.invoke(
        args=["import", "projects", str(second), "--county", "610323", "--on-duplicate", "update"]
    )
    assert updated.exit_code == 0 and "更新 1" in updated.output
    with app.app_context(), system_scope():
        assert [str(a) for a in db.session.execute(select(Project.planned_investment_wan)).scalars()] == [
            "15000.00"
        ]
