"""A county's version — its newest audit row, what the county cache keys its figures by
(crm/core/county_cache.py) — moves with every kind of write that changes the county's
records, and only the county written to: ORM writes through the services, a bulk
UPDATE or DELETE run through the session, the Core UPDATEs of a company merge (which
writes its own rows), and not a write that was rolled back."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from crm.audit.models import AuditEvent
from crm.audit.versions import county_versions
from crm.auth.models import User
from crm.companies.models import Company
from crm.companies.services import merge_companies
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.projects.models import Project
from crm.projects.services import create_project


def _versions(app, world):
    with app.app_context(), system_scope():
        return county_versions([world.county_a, world.county_b])


def _newer(after, before) -> bool:
    return after.audit_id is not None and after.audit_id > (before.audit_id or 0)


def _create(app, world, username: str, name: str, **values) -> int:
    with app.app_context(), system_scope():
        user = db.session.get(User, world.ids[username])
        project = create_project({"name": name, **values}, user)
        db.session.commit()
        return project.id


def test_a_service_write_moves_its_countys_version_only(app, world):
    before = _versions(app, world)
    _create(app, world, "a_staff", "岐山新材料项目")
    after = _versions(app, world)
    assert _newer(after[world.county_a], before[world.county_a])
    assert after[world.county_b] == before[world.county_b]


def test_a_rolled_back_write_leaves_every_version(app, world):
    before = _versions(app, world)
    with app.app_context(), system_scope():
        user = db.session.get(User, world.ids["b_staff"])
        create_project({"name": "扶风未保存项目"}, user)
        db.session.flush()
        db.session.rollback()
    assert _versions(app, world) == before
    with app.app_context(), system_scope():
        assert db.session.execute(select(Project).where(Project.name == "扶风未保存项目")).first() is None


def test_a_company_merge_moves_the_version_of_every_county_it_relinks(app, world):
    with app.app_context(), system_scope():
        keep = Company(name="宝鸡钛业股份有限公司")
        drop = Company(name="宝鸡钛业股份公司")
        db.session.add_all([keep, drop])
        db.session.commit()
        keep_id, drop_id = keep.id, drop.id
    _create(app, world, "a_staff", "岐山钛材项目", investor_company_id=drop_id)
    _create(app, world, "b_staff", "扶风钛材项目", investor_company_id=drop_id)
    before = _versions(app, world)
    with app.app_context(), system_scope():
        manager = db.session.get(User, world.ids["a_manager"])
        merge_companies(db.session.get(Company, keep_id), db.session.get(Company, drop_id), manager)
        db.session.commit()
    after = _versions(app, world)
    assert _newer(after[world.county_a], before[world.county_a])
    assert _newer(after[world.county_b], before[world.county_b])  # relinked by a Core UPDATE
    merge_rows = _audit_rows(app, table_name="projects", record_id=None)
    assert merge_rows == []  # the merge wrote its own rows (below), not one per statement
    assert sorted(county for county, _action, _after in _audit_rows(app, action="merge")) == sorted(
        [world.county_a, world.county_b]
    )


def _audit_rows(app, **where) -> list[tuple]:
    with app.app_context(), system_scope():
        query = select(AuditEvent.county_id, AuditEvent.action, AuditEvent.after).filter_by(**where)
        return [tuple(row) for row in db.session.execute(query.order_by(AuditEvent.id))]


def test_a_bulk_update_moves_the_version_of_the_counties_it_touched(app, world):
    _create(app, world, "a_staff", "岐山批量项目一")
    _create(app, world, "a_staff", "岐山批量项目二")
    _create(app, world, "b_staff", "扶风批量项目")
    before = _versions(app, world)
    with app.app_context(), system_scope():
        db.session.execute(
            update(Project).where(Project.name.like("岐山批量%")).values(next_follow_up_on=None)
        )
        db.session.commit()
    after = _versions(app, world)
    assert _newer(after[world.county_a], before[world.county_a])
    assert after[world.county_b] == before[world.county_b]
    bulk = [row for row in _audit_rows(app, table_name="projects", record_id=None)]
    assert bulk == [(world.county_a, "update", {"bulk_rows": 2})]


def test_a_bulk_delete_moves_its_countys_version(app, world):
    _create(app, world, "b_staff", "扶风待删项目")
    before = _versions(app, world)
    with app.app_context(), system_scope():
        db.session.execute(delete(Project).where(Project.name == "扶风待删项目"))
        db.session.commit()
    after = _versions(app, world)
    assert _newer(after[world.county_b], before[world.county_b])
    assert after[world.county_a] == before[world.county_a]
    assert _audit_rows(app, table_name="projects", action="delete") == [
        (world.county_b, "delete", {"bulk_rows": 1})
    ]


def test_a_bulk_update_touching_nothing_leaves_no_row(app, world):
    before = _versions(app, world)
    with app.app_context(), system_scope():
        db.session.execute(update(Project).where(Project.name == "不存在").values(next_follow_up_on=None))
        db.session.commit()
        assert db.session.execute(select(func.count()).select_from(Project)).scalar() == 0
    assert _versions(app, world) == before
