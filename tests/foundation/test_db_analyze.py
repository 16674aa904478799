"""``chaincrm db analyze`` gives the query planner its table statistics."""

from sqlalchemy import text

from crm.core.db import db
from crm.core.tenancy import system_scope


def _statistics(app, table: str):
    """SQLite: the number of sqlite_stat1 rows of ``table``; PostgreSQL: its last ANALYZE time."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sql = "SELECT count(*) FROM sqlite_stat1 WHERE tbl = :t"
        else:
            sql = "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = :t"
        try:
            return db.session.execute(
                text(sql).execution_options(tenant_checked=True), {"t": table}
            ).scalar_one()
        except Exception:  # sqlite_stat1 does not exist before the first ANALYZE
            db.session.rollback()
            return None


def test_analyze_records_statistics_of_the_tables(app, runner, world):
    from crm.projects.models import Project

    with app.app_context(), system_scope():
        db.session.add_all(Project(county_id=world.county_a, name=f"项目{n}", stage="lead") for n in range(5))
        db.session.commit()
    before = _statistics(app, "projects")
    result = runner.invoke(args=["db", "analyze"])
    assert result.exit_code == 0, result.output
    after = _statistics(app, "projects")
    assert after and after != before


def test_postgresql_connections_run_without_jit(app):
    """JIT compilation made the province dashboard's grouped statements take seconds."""
    import pytest

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL setting")
        assert (
            db.session.execute(text("SHOW jit").execution_options(tenant_checked=True)).scalar_one() == "off"
        )


def test_server_start_gathers_statistics_once_on_sqlite(app, world):
    from crm.core.migrate import analyze_if_never_done
    from crm.projects.models import Project

    with app.app_context(), system_scope():
        db.session.add(Project(county_id=world.county_a, name="项目", stage="lead"))
        db.session.commit()
        sqlite = db.engine.dialect.name == "sqlite"
        assert analyze_if_never_done() is sqlite
        assert analyze_if_never_done() is False
    if sqlite:
        assert _statistics(app, "projects")


def test_analyze_vacuums_on_postgresql(app, runner, world):
    """Freshly loaded rows become all-visible, so province counts can read indexes alone."""
    import pytest

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only: SQLite has no visibility map")
    result = runner.invoke(args=["db", "analyze"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        vacuumed = db.session.execute(
            text("SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = 'projects'").execution_options(
                tenant_checked=True
            )
        ).scalar_one()
    assert vacuumed is not None
