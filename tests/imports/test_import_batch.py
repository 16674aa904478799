"""The batch path of a project ledger (crm.imports.services._import_projects) against the
row-by-row path through ``create_project``: the same records, stage history, audit rows,
batch records and problems; and a dry run that writes nothing, not even for a moment."""

from __future__ import annotations

import pytest
from import_support import import_ledger, scope_of
from ledgers import xlsx
from sqlalchemy import func, select

from crm.audit.models import AuditEvent
from crm.companies.models import Company
from crm.core import clock
from crm.core.db import db
from crm.core.session import TenantScopeError
from crm.imports.models import ImportBatchRecord
from crm.projects.models import Project, StageChange
from crm.projects.services import check_new_project, create_project, create_projects
from crm.util.names import normalise_company_name
from crm.util.pinyin import initials
from crm.util.uscc import uscc_check_char

HEADER = (
    "项目名称",
    "投资方",
    "统一社会信用代码",
    "计划投资（万元）",
    "签约日期",
    "合同编号",
    "阶段",
    "项目代号",
    "项目类型",
    "责任人",
    "用地(亩)",
    "预计就业(人)",
    "下次跟进日期",
    "本地企业",
)
STAGE_WORDS = ("线索", "在谈", "考察", "已签约", "搁置", None)
EXISTING_INVESTOR = "宝鸡钛业股份有限公司"


def _uscc(n: int) -> str:
    body = f"91610323{n:08d}X"  # a county-registered company's code with a unique body
    return body + uscc_check_char(body)


def _local_company(n: int, investor: str | None) -> str | None:
    """Some 线索/在谈 rows name a 本地企业: new ones shared by several rows, one that is the
    row's own new investor (one company in both roles) and one already known."""
    if STAGE_WORDS[n % len(STAGE_WORDS)] not in ("线索", "在谈"):
        return None
    if n == 12:
        return investor
    return EXISTING_INVESTOR if n == 13 else f"本地新设企业{n // 12:02d}有限公司"


def _ledger_rows(count: int) -> list[tuple]:
    rows = [HEADER]
    for n in range(count):
        stage = STAGE_WORDS[n % len(STAGE_WORDS)]
        signed = stage == "已签约"
        investor = None if n % 15 == 14 else f"批量投资企业{n // 2:03d}有限公司"
        rows.append(
            (
                f"批量项目{n:03d}",
                EXISTING_INVESTOR if n == 5 else investor,
                _uscc(n // 2) if investor and n % 4 < 2 and n != 5 else None,
                "1.2亿" if n % 3 == 0 else f"{1000 + n:,}万",
                ("2026年3月5日", "2026/3/5", "2026-03-05")[n % 3] if signed else None,
                f"HT-{n:03d}" if signed else None,
                stage,
                f"保密{n:03d}号" if n % 10 == 3 else None,
                "扩建" if n % 7 == 0 else None,
                "a_staff" if n % 5 == 0 else None,
                "35.5" if n % 8 == 0 else None,
                "120人" if n % 9 == 0 else None,
                "2026-12-20" if n % 11 == 0 else None,
                _local_company(n, investor),
            )
        )
    # Duplicates of projects already in the county: one updated (by choice), one skipped.
    rows.append(
        (
            "已有项目甲",
            EXISTING_INVESTOR,
            None,
            "5000",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        )
    )
    rows.append(("已有项目乙", None, None, "800", None, None, None, None, None, None, None, None, None, None))
    return rows


def _seed(user) -> None:
    investor = Company(name=EXISTING_INVESTOR, name_key=normalise_company_name(EXISTING_INVESTOR))
    db.session.add(investor)
    db.session.flush()
    create_project({"name": "已有项目甲", "investor_company_id": investor.id}, user)
    create_project({"name": "已有项目乙"}, user)
    db.session.commit()


TIMES = {"at", "created_at", "updated_at", "changed_at"}  # the clock runs on between the two runs


def _state(audit_mark: int) -> dict:
    """What the import left, with ids replaced by names (the two runs number rows differently)."""
    projects = {p.id: p for p in db.session.execute(select(Project)).scalars()}
    companies = {c.id: c for c in db.session.execute(select(Company)).scalars()}
    changes = {c.id: c for c in db.session.execute(select(StageChange)).scalars()}
    name = {"projects": lambda i: projects[i].name, "companies": lambda i: companies[i].name}
    name["stage_changes"] = lambda i: (projects[changes[i].project_id].name, changes[i].to_stage)
    name["import_batches"] = name["import_batch_records"] = lambda i: "batch"

    def plain(table: str, values: dict | None) -> dict | None:
        if values is None:
            return None
        values = {k: v for k, v in values.items() if k not in TIMES}
        if "id" in values:
            values["id"] = name[table](values["id"])
        for key, table_of in (
            ("investor_company_id", "companies"),
            ("local_company_id", "companies"),
            ("project_id", "projects"),
        ):
            if values.get(key) is not None:
                values[key] = name[table_of](values[key])
        for key in ("batch_id", "record_id", "audit_from", "audit_to"):
            values.pop(key, None)
        return values

    events = db.session.execute(select(AuditEvent).where(AuditEvent.id > audit_mark)).scalars()
    audit = sorted(
        (
            e.table_name,
            e.action,
            e.actor_id,
            e.actor_name,
            e.county_id,
            repr(name[e.table_name](e.record_id)),
            repr(plain(e.table_name, e.before)),
            repr(plain(e.table_name, e.after)),
        )
        for e in events
    )
    records = db.session.execute(select(ImportBatchRecord).order_by(ImportBatchRecord.id)).scalars()

    def columns(obj, skip=()) -> tuple:
        return tuple(
            (c.key, getattr(obj, c.key)) for c in obj.__table__.columns if c.key not in {"id", *TIMES, *skip}
        )

    def company(company_id: int | None) -> str | None:
        return company_id and name["companies"](company_id)

    return {
        "audit": audit,
        "projects": sorted(
            repr(
                (
                    *columns(p, ("investor_company_id", "local_company_id")),
                    company(p.investor_company_id),
                    company(p.local_company_id),
                )
            )
            for p in projects.values()
        ),
        "companies": sorted(repr(columns(c)) for c in companies.values()),
        "history": sorted(
            repr((projects[c.project_id].name, *columns(c, ("project_id",)))) for c in changes.values()
        ),
        "records": [(r.table_name, name[r.table_name](r.record_id), r.action, r.row_number) for r in records],
    }


def _counts(report) -> tuple:
    return (report.rows_total, report.created, report.updated, report.skipped, report.companies_created)


def test_a_batch_import_leaves_what_the_row_by_row_path_leaves(app, world):
    data = xlsx(_ledger_rows(300))
    choices = {302: "update"}  # 已有项目甲: the header is row 1, the 300 rows 2 to 301
    with app.app_context():
        user = scope_of(world, "a_staff")
        _seed(user)
        mark = db.session.execute(select(func.max(AuditEvent.id))).scalar_one()
        one_by_one = import_ledger(data, user, commit=True, row_by_row=True, choices=choices)
        assert one_by_one.ok, one_by_one.problems[:3]
        expected = _state(mark)
        db.session.rollback()

        batch = import_ledger(data, user, commit=True, choices=choices)
        assert batch.ok, batch.problems[:3]
        db.session.commit()
        assert _counts(batch) == _counts(one_by_one) == (302, 300, 1, 1, 175)  # 150 investors, 25 本地企业
        assert [(d.row, d.choice) for d in batch.duplicates] == [(302, "update"), (303, "skip")]
        actual = _state(mark)
        for part in ("projects", "companies", "history", "records", "audit"):
            assert actual[part] == expected[part], part
        # Every record the batch wrote has its audit row, in the batch's audit range.
        assert len(actual["audit"]) > 300 * 2
        confidential = db.session.execute(select(Project).where(Project.name == "批量项目003")).scalar_one()
        assert (confidential.code_name, confidential.stage) == ("保密003号", "signed")
        assert confidential.code_name_initials == initials("保密003号") == "bm003h"
        assert confidential.name_initials == "plxm003"


def test_the_batch_finds_the_same_problems_as_the_row_by_row_path(app, world):
    rows = [
        HEADER[:7] + ("责任人", "项目类型"),
        ("好项目", "甲公司", None, "3000", None, None, "在谈", None, None),
        ("坏金额", "乙公司", None, "三千万", None, None, "线索", None, None),
        ("将来签约", "丙公司", None, "100", "2030-01-01", "HT-1", "已签约", None, None),
        ("缺证据", "丁公司", None, "100", None, None, "已签约", None, None),
        ("注册无企业", "戊公司", None, "100", "2026-03-05", "HT-2", "注册落地", None, None),
        ("终止无原因", "己公司", None, "100", None, None, "终止", None, None),
        ("好项目", "甲公司", None, "3000", None, None, "在谈", None, None),
        ("外人负责", "庚公司", None, "100", None, None, None, "nobody", None),
        ("坏代码", "辛公司", "91610323000000XX", "100", None, None, None, None, None),
        ("怪类型", "壬公司", None, "100", None, None, None, None, "改建"),
        ("名" * 201, "癸公司", None, "100", None, None, None, None, None),
        ("负金额", "子公司", None, "-5", None, None, None, None, None),
    ]
    data = xlsx(rows)
    with app.app_context():
        user = scope_of(world, "a_staff")
        one_by_one = import_ledger(data, user, commit=False, row_by_row=True)
        db.session.rollback()
        batch = import_ledger(data, user, commit=False)
        db.session.rollback()
        assert batch.problems == one_by_one.problems
        assert _counts(batch) == _counts(one_by_one)
        assert {p.row for p in batch.problems} == set(range(3, 14))


def test_a_dry_run_of_a_project_ledger_writes_nothing_even_before_the_rollback(app, world):
    with app.app_context():
        user = scope_of(world, "a_staff")
        _seed(user)
        mark = db.session.execute(select(func.max(AuditEvent.id))).scalar_one()
        report = import_ledger(xlsx(_ledger_rows(60)), user, commit=False)
        assert report.ok and report.created == 60 and report.batch is None
        assert not db.session.new and not db.session.dirty
        assert db.session.execute(select(func.max(AuditEvent.id))).scalar_one() == mark
        assert db.session.execute(select(func.count(Project.id))).scalar_one() == 2
        db.session.rollback()


def test_the_batch_write_keeps_the_tenant_scope(app, world):
    with app.app_context():
        user = scope_of(world, "a_staff")
        checked = check_new_project({"name": "越界项目"}, user, world.county_b, clock.today())
        with pytest.raises(TenantScopeError):
            create_projects([checked], user, world.county_b)
        db.session.rollback()


def test_a_batch_import_raises_the_collision_alerts_a_flush_would(app, world):
    from crm.coordination.models import CollisionAlert
    from crm.core.tenancy import system_scope

    with app.app_context():
        _seed(scope_of(world, "a_staff"))  # 已有项目甲 of county A pursues 宝鸡钛业
        user = scope_of(world, "b_staff")
        ledger = xlsx(
            [("项目名称", "投资方"), ("扶风钛材项目", EXISTING_INVESTOR), ("扶风果品项目", "扶风果业公司")]
        )
        report = import_ledger(ledger, user, commit=True)
        assert report.ok and report.created == 2
        db.session.commit()
        with system_scope():
            alerts = db.session.execute(select(CollisionAlert)).scalars().all()
            assert [(a.county_a_id, a.county_b_id) for a in alerts] == [(world.county_a, world.county_b)]


def test_a_ledger_may_name_a_new_local_company_for_a_registered_project(app, world):
    """A ledger of projects already registered, started or producing names their 本地企业
    for the first time: the batch writes the company with the project, as the row-by-row
    path does, and refuses the same rows (a company without a valid code)."""
    header = (
        *("项目名称", "投资方", "计划投资（万元）", "签约日期", "合同编号", "阶段"),
        *("本地企业", "本地企业统一社会信用代码", "开工日期", "投产日期"),
    )
    signed = ("500", "2026-03-05", "HT-9")
    started, producing = "2026-04-01", "2026-06-01"
    rows = [
        header,
        ("落地项目甲", "外地投资甲公司", *signed, "注册落地", "岐山甲新材料有限公司", _uscc(901), None, None),
        ("落地项目乙", "外地投资乙公司", *signed, "开工", "岐山乙科技有限公司", _uscc(902), started, None),
        ("落地项目丙", "外地投资丙公司", *signed, "投产", "岐山甲新材料有限公司", None, started, producing),
        ("落地项目丁", "外地投资丁公司", *signed, "已签约", "岐山乙科技有限公司", None, None, None),
    ]
    refused = [
        header,
        ("无代码项目", "外地投资戊公司", *signed, "注册落地", "岐山戊无码有限公司", None, None, None),
        ("坏代码项目", "外地己公司", *signed, "注册落地", "岐山己坏码公司", "91610323000000XX", None, None),
    ]
    with app.app_context():
        user = scope_of(world, "a_staff")
        mark = db.session.execute(select(func.max(AuditEvent.id))).scalar_one()
        data = xlsx(rows)  # once: the file's hash is in the batch's audit row
        one_by_one = import_ledger(data, user, commit=True, row_by_row=True)
        assert one_by_one.ok, one_by_one.problems
        expected = _state(mark)
        db.session.rollback()

        batch = import_ledger(data, user, commit=True)
        assert batch.ok, batch.problems
        db.session.commit()
        assert _counts(batch) == _counts(one_by_one) == (4, 4, 0, 0, 6)  # 4 investors, 2 本地企业
        actual = _state(mark)
        for part in ("projects", "companies", "history", "records", "audit"):
            assert actual[part] == expected[part], part
        project = db.session.execute(select(Project).where(Project.name == "落地项目丙")).scalar_one()
        assert (project.stage, project.local_company.name) == ("producing", "岐山甲新材料有限公司")
        assert project.local_company.uscc == _uscc(901)

        one_by_one = import_ledger(xlsx(refused), user, commit=False, row_by_row=True)
        db.session.rollback()
        batch = import_ledger(xlsx(refused), user, commit=False)
        db.session.rollback()
        assert batch.problems == one_by_one.problems
        assert [p.row for p in batch.problems] == [2, 3]
        assert "统一社会信用代码" in batch.problems[0].message
