"""Tenant scoping fails closed and covers the known holes of loader criteria."""

from decimal import Decimal

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import joinedload, selectinload

from crm.companies.models import Company, Contact
from crm.core.db import added, db
from crm.core.session import TenantScope, TenantScopeError
from crm.core.tenancy import set_scope, system_scope
from crm.projects.models import Project, StageChange


@pytest.fixture
def two_counties(app, world):
    """One project (with a stage change) and one contact in each of counties A and B."""
    with app.app_context(), system_scope():
        company = Company(name="测试企业", name_key="测试企业", tags=[])
        db.session.add(company)
        db.session.flush()
        ids = {}
        for key, county in (("a", world.county_a), ("b", world.county_b)):
            project = added(
                Project(
                    county_id=county,
                    name=f"{key}-项目",
                    planned_investment_wan=Decimal("100"),
                    investor_company_id=company.id,
                )
            )
            db.session.add(
                StageChange(
                    county_id=county,
                    project_id=project.id,
                    to_stage="lead",
                    reached_on=project.created_at.date(),
                )
            )
            db.session.add(Contact(county_id=county, company_id=company.id, name=f"{key}-联系人"))
            ids[key] = project.id
        db.session.commit()
    return ids


def scope(*counties, write=None):
    return TenantScope(actor_id=None, read_county_ids=frozenset(counties), write_county_id=write)


def test_query_without_scope_raises(app, two_counties):
    with app.app_context():
        with pytest.raises(TenantScopeError):
            db.session.execute(select(Project)).all()


def test_joined_county_owned_entity_without_scope_matches_nothing(app, two_counties, world):
    with app.app_context():
        rows = db.session.execute(
            select(Company.name).join(Project, Project.investor_company_id == Company.id)
        ).all()
        assert rows == []


def test_scope_limits_rows_and_changes_between_calls(app, world, two_counties):
    """Closure variables are bound per call: a cached statement must not keep the first scope."""
    with app.app_context():
        for _ in range(2):
            set_scope(scope(world.county_a))
            assert [p.name for p in db.session.execute(select(Project)).scalars()] == ["a-项目"]
            set_scope(scope(world.county_b))
            assert [p.name for p in db.session.execute(select(Project)).scalars()] == ["b-项目"]


def test_identity_map_does_not_leak_another_county(app, world, two_counties):
    with app.app_context():
        set_scope(scope(world.county_a, world.county_b))
        both = db.session.execute(select(Project)).scalars().all()
        assert len(both) == 2
        set_scope(scope(world.county_a))
        assert db.session.get(Project, two_counties["b"]) is None
        assert db.session.get(Project, two_counties["a"]).name == "a-项目"
        found = db.session.execute(
            select(Project).where(Project.id == two_counties["b"])
        ).scalar_one_or_none()
        assert found is None


def test_eager_and_lazy_loads_are_scoped(app, world, two_counties):
    with app.app_context():
        set_scope(scope(world.county_a))
        changes = (
            db.session.execute(select(StageChange).options(joinedload(StageChange.project)))
            .unique()
            .scalars()
            .all()
        )
        assert {c.project.name for c in changes} == {"a-项目"}
        contacts = db.session.execute(select(Contact).options(selectinload(Contact.company))).scalars().all()
        assert [c.name for c in contacts] == ["a-联系人"]


def test_subquery_count_is_scoped(app, world, two_counties):
    from sqlalchemy import func

    with app.app_context():
        set_scope(scope(world.county_a))
        total = db.session.execute(select(func.count()).select_from(select(Project).subquery())).scalar_one()
        assert total == 1


def test_raw_sql_through_session_is_refused(app, world, two_counties):
    with app.app_context():
        set_scope(scope(world.county_a))
        with pytest.raises(TenantScopeError):
            db.session.execute(text("SELECT name FROM projects"))
        rows = db.session.execute(
            text("SELECT name FROM projects WHERE county_id = :c").execution_options(tenant_checked=True),
            {"c": world.county_a},
        ).all()
        assert rows == [("a-项目",)]


def test_bulk_update_only_touches_readable_rows(app, world, two_counties):
    with app.app_context():
        set_scope(scope(world.county_a, write=world.county_a))
        db.session.execute(update(Project).values(name="改名"))
        db.session.commit()
        with system_scope():
            names = sorted(db.session.execute(select(Project.name)).scalars())
        assert names == ["b-项目", "改名"]


def test_writes_outside_the_writable_county_are_refused(app, world, two_counties):
    with app.app_context():
        set_scope(scope(world.county_a, world.county_b, write=world.county_a))
        other = db.session.get(Project, two_counties["b"])
        other.name = "越权修改"
        with pytest.raises(TenantScopeError):
            db.session.flush()
        db.session.rollback()
        set_scope(scope(world.county_a, world.county_b))  # read-only, like a coordinator
        mine = db.session.get(Project, two_counties["a"])
        mine.name = "只读"
        with pytest.raises(TenantScopeError):
            db.session.flush()


def test_new_record_gets_the_writers_county(app, world, two_counties):
    with app.app_context():
        set_scope(scope(world.county_a, write=world.county_a))
        project = Project(name="新项目")
        db.session.add(project)
        db.session.flush()
        assert project.county_id == world.county_a


def test_coordinator_reads_counties_below_only(app, world, two_counties):
    from crm.auth.models import User
    from crm.core.access import scope_for

    with app.app_context():
        city = db.session.get(User, world.ids["city"])
        xian = db.session.get(User, world.ids["xian"])
        province = db.session.get(User, world.ids["prov"])
        assert scope_for(city).read_county_ids == {world.county_a, world.county_b}
        assert scope_for(city).write_county_id is None
        assert world.county_a not in scope_for(xian).read_county_ids
        assert scope_for(province).read_county_ids == {world.county_a, world.county_b, world.ids["610122"]}
        admin = db.session.get(User, world.ids["admin"])
        assert scope_for(admin).read_county_ids == frozenset()


def test_county_in_selects_exactly_the_given_counties(app, world, two_counties):
    """``county_in`` (one array parameter on PostgreSQL) picks the same rows as IN would,
    and a cached statement does not keep the first call's counties."""
    from crm.core.tenancy import county_in

    a, b = world.county_a, world.county_b
    with app.app_context(), system_scope():

        def names(ids):
            return sorted(
                db.session.execute(select(Project.name).where(county_in(Project.county_id, ids))).scalars()
            )

        assert names({a}) == ["a-项目"]
        assert names([b]) == ["b-项目"]
        assert names((b, a)) == ["a-项目", "b-项目"]
        assert names([]) == []


def test_scope_without_readable_counties_reads_nothing(app, world, two_counties):
    with app.app_context():
        set_scope(scope())
        assert db.session.execute(select(Project)).all() == []
