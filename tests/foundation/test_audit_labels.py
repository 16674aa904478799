"""The audit log in words: record kinds linked to their records, columns and values as
labels (阶段: 线索 → 对接), 系统 for writes without a user, confidential names kept."""

from __future__ import annotations

import re
from datetime import date

from record_support import audit_rows, user_named

from crm.activities.models import Activity
from crm.audit.labels import describe
from crm.audit.models import AuditEvent
from crm.companies.models import Company
from crm.core.access import scope_for
from crm.core.db import db
from crm.core.tenancy import set_scope, system_scope
from crm.projects import pipeline, services
from crm.projects.models import Project


def _project(app, username: str, name: str, to_stage: str | None = None, **fields) -> int:
    """A project created (and moved) through the services by ``username``."""
    with app.test_request_context():
        actor = user_named(username)
        set_scope(scope_for(actor))
        project = services.create_project({"name": name, "owner_id": actor.id, **fields}, actor)
        db.session.commit()
        if to_stage:
            pipeline.move_stage(project, to_stage, actor)
            db.session.commit()
        return project.id


def _record_event(app, world, actor: str, table: str, record_id: int, action: str, *, before, after) -> None:
    """Write one audit row in county A by hand, as if ``actor`` had changed ``table`` #record_id."""
    change = {"table_name": table, "record_id": record_id, "action": action, "before": before, "after": after}
    with app.app_context():
        db.session.add(
            AuditEvent(actor_name=actor, actor_id=world.ids[actor], county_id=world.county_a, **change)
        )
        db.session.commit()


def _saved_as(app, username: str, record) -> int:
    """Save ``record`` in ``username``'s scope (so the audit row names them) and return its id."""
    with app.test_request_context():
        set_scope(scope_for(user_named(username)))
        db.session.add(record)
        db.session.commit()
        return record.id


def _rows(page: str) -> list[list[str]]:
    """The log's rows, each as its cells' text: time, actor, action, record, content."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in body.split("<tr>")[1:]
    ]


def test_a_stage_move_reads_as_labels_with_a_link_to_the_project(client, auth, app, world):
    project_id = _project(app, "a_staff", "年产10GWh动力电池项目", to_stage="contacted")
    auth.login("a_manager")
    page = client.get(f"/audit/?table=projects&record={project_id}").get_data(as_text=True)
    assert f'<a href="/projects/{project_id}">项目 #{project_id}</a>' in page
    assert '<span class="text-muted">阶段</span>: 线索 → 对接' in page
    assert "contacted" not in page
    # The creation lists the new values in words too.
    assert '<span class="text-muted">项目名称</span>: 年产10GWh动力电池项目' in page
    assert '<span class="text-muted">项目类型</span>: 新建' in page
    assert {row[1] for row in _rows(page)} == {"a_staff"}


def test_english_labels(client, auth, app, world):
    project_id = _project(app, "a_staff", "英文标签项目", to_stage="contacted")
    auth.login("a_manager")
    client.get("/lang/en")
    page = client.get(f"/audit/?table=projects&record={project_id}").get_data(as_text=True)
    assert f">Project #{project_id}</a>" in page
    assert '<span class="text-muted">Stage</span>: Lead → Contacted' in page


def test_a_deleted_record_is_named_but_not_linked(client, auth, app, world):
    project_id = _project(app, "a_staff", "后来删除的项目")
    with app.test_request_context():
        set_scope(scope_for(user_named("a_manager")))
        db.session.delete(db.session.get(Project, project_id))
        db.session.commit()
    auth.login("a_manager")
    page = client.get(f"/audit/?record={project_id}&table=projects").get_data(as_text=True)
    assert f"项目 #{project_id}" in page
    assert f'href="/projects/{project_id}"' not in page
    assert "删除" in page and "后来删除的项目" in page


def test_a_write_without_a_user_is_shown_as_the_system(client, auth, app, world):
    with app.app_context(), system_scope():
        db.session.add(Project(name="系统导入的项目", county_id=world.county_a))
        db.session.commit()
    auth.login("a_manager")
    page = client.get("/audit/?table=projects").get_data(as_text=True)
    row = next(row for row in _rows(page) if "系统导入的项目" in row[4])
    assert row[1] == "系统"
    assert ">system<" not in page
    # The 操作人 filter finds the system's writes by the name the page shows.
    assert "系统导入的项目" in client.get("/audit/?actor=系统").get_data(as_text=True)
    assert "系统导入的项目" not in client.get("/audit/?actor=a_staff").get_data(as_text=True)


def test_unknown_tables_and_columns_fall_back_to_their_names(client, auth, app, world):
    _record_event(
        app,
        world,
        "a_staff",
        "gadgets",
        7,
        "update",
        before={"stage": "lead", "wobble": 1},
        after={"stage": "contacted", "wobble": 2},
    )
    auth.login("a_manager")
    page = client.get("/audit/?table=gadgets").get_data(as_text=True)
    assert "gadgets #7" in page
    assert '<span class="text-muted">stage</span>: lead → contacted' in page
    assert '<span class="text-muted">wobble</span>: 1 → 2' in page


def test_a_shared_company_links_to_its_page(client, auth, app, world):
    company = Company(
        name="宝鸡审计测试有限公司", name_key="宝鸡审计测试", size="small", tags=["专精特新", "高新技术企业"]
    )
    company_id = _saved_as(app, "a_staff", company)
    auth.login("a_manager")
    page = client.get("/audit/?table=companies").get_data(as_text=True)
    assert f'<a href="/companies/{company_id}">企业 #{company_id}</a>' in page
    assert '<span class="text-muted">企业规模</span>: 小型' in page
    assert '<span class="text-muted">标签</span>: 专精特新、高新技术企业' in page


def test_a_record_without_a_page_links_to_the_page_that_shows_it(client, auth, app, world):
    project_id = _project(app, "a_staff", "跟进过的项目", to_stage="contacted")
    activity = Activity(project_id=project_id, kind="visit", occurred_on=date(2025, 3, 1), subject="上门拜访")
    activity_id = _saved_as(app, "a_staff", activity)
    auth.login("a_manager")
    page = client.get("/audit/?table=activities").get_data(as_text=True)
    assert f'<a href="/projects/{project_id}">跟进记录 #{activity_id}</a>' in page
    assert '<span class="text-muted">跟进方式</span>: 拜访' in page
    # The stage move's own row links to the project too.
    stage_rows = client.get("/audit/?table=stage_changes").get_data(as_text=True)
    assert f'<a href="/projects/{project_id}">阶段变更 #' in stage_rows
    assert '<span class="text-muted">新阶段</span>: 对接' in stage_rows


def _described(app, username: str, project_id: int) -> list[str]:
    """Every value the audit page would show ``username`` for the project's rows."""
    with app.test_request_context():
        viewer = user_named(username)
        set_scope(scope_for(viewer))
        events = audit_rows("projects", project_id)
        rows = describe(events, viewer)
        db.session.rollback()  # nothing to write: the rows are read-only copies
    return [v for row in rows for c in row.changes + row.values for v in (c.before, c.after)]


def _rename_as(app, username: str, project_id: int, new_name: str, then_delete: bool = False) -> None:
    """Rename a project as ``username`` (and then delete it, if asked), each step committed."""
    with app.test_request_context():
        set_scope(scope_for(user_named(username)))
        project = db.session.get(Project, project_id)
        project.name = new_name
        db.session.commit()
        if then_delete:
            db.session.delete(project)
            db.session.commit()


def test_a_confidential_projects_real_name_follows_the_name_rule(app, world):
    project_id = _project(app, "a_staff", "某锂电池巨头西北基地", code_name="青龙项目")
    _rename_as(app, "a_staff", project_id, "某锂电池巨头西北基地二期")
    for reader in ("a_staff", "a_manager"):  # the owner and the county's manager
        shown = _described(app, reader, project_id)
        assert "某锂电池巨头西北基地" in shown and "某锂电池巨头西北基地二期" in shown, reader
    # Another officer of the county (should the log ever be shown to one) reads the code name.
    shown = _described(app, "a_staff2", project_id)
    assert not [v for v in shown if "锂电池" in v]
    assert "青龙项目" in shown


def test_a_deleted_confidential_project_keeps_its_code_name(app, world):
    project_id = _project(app, "a_staff", "某光伏龙头扩产", code_name="白虎项目")
    _rename_as(app, "a_manager", project_id, "某光伏龙头扩产二期", then_delete=True)
    shown = _described(app, "a_staff2", project_id)
    assert not [v for v in shown if "光伏" in v]
    assert "白虎项目" in shown
    assert "某光伏龙头扩产二期" in _described(app, "a_manager", project_id)


def test_a_merge_shows_what_was_kept_and_what_was_dropped(client, auth, app, world):
    _record_event(
        app,
        world,
        "a_manager",
        "companies",
        3,
        "merge",
        before={"dropped": {"name": "宝鸡重复录入公司"}},
        after={"kept_id": 3, "kept_name": "宝鸡保留公司", "moved": {"projects": 2}},
    )
    auth.login("a_manager")
    page = client.get("/audit/?table=companies").get_data(as_text=True)
    assert '<span class="text-muted">保留的企业名称</span>: 宝鸡保留公司' in page
    assert '<span class="text-muted">被合并的企业</span>:' in page and "宝鸡重复录入公司" in page


def test_every_audited_table_and_column_has_a_label(app):
    from crm.audit.labels import COMMON_FIELDS
    from crm.core.db import Base, CountyOwned

    kinds = app.extensions["audit_kinds"]
    unnamed = []
    for mapper in Base.registry.mappers:
        model, table = mapper.class_, mapper.local_table.name
        if not (issubclass(model, CountyOwned) or getattr(model, "__audited__", False)):
            continue
        if table not in kinds:
            unnamed.append(table)
            continue
        unnamed += [
            f"{table}.{attr.key}"
            for attr in mapper.column_attrs
            if attr.key not in kinds[table].fields
            and attr.key not in COMMON_FIELDS
            and attr.key not in getattr(model, "__audit_derived__", ())  # never in an audit row
        ]
    assert unnamed == []


def test_recorded_times_read_on_the_bureau_clock(client, auth, app, world):
    """A time inside a change (stored UTC text) shows like every other time: local, to the minute."""
    _record_event(
        app,
        world,
        "a_manager",
        "gadgets",
        8,
        "update",
        before={"confirmed_at": None},
        after={"confirmed_at": "2026-03-01T16:30:59.123456"},
    )
    auth.login("a_manager")
    page = client.get("/audit/?table=gadgets").get_data(as_text=True)
    assert '<span class="text-muted">confirmed_at</span>:  → 2026-03-02 00:30' in page
    assert "16:30:59" not in page
