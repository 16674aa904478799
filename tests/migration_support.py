"""Data written at an old schema revision, for the tests that check a migration keeps it.

Rows are raw SQL: the models describe the schema at head, not the one being upgraded from.
"""

from __future__ import annotations

from sqlalchemy import text

from crm.core import migrate
from crm.core.db import db

__all__ = ["NOW", "QISHAN_COUNTY_ROW", "fetch_all", "project_row", "run_sql", "upgrade_with_rows"]

NOW = "CURRENT_TIMESTAMP"
QISHAN_COUNTY_ROW = (
    "INSERT INTO regions (id, code, name, level, created_at, updated_at) "
    f"VALUES (1, '610323', '岐山县', 'county', {NOW}, {NOW})"
)


def project_row(**columns: str) -> str:
    """Project #1, a signed 新材料项目 in region #1, with ``columns`` (SQL literals) added."""
    names = "".join(f", {name}" for name in columns)
    values = "".join(f", {value}" for value in columns.values())
    return (
        f"INSERT INTO projects (id, name, kind, source_channel, stage, county_id, version, created_at, "
        f"updated_at{names}) VALUES (1, '新材料项目', 'new', 'other', 'signed', 1, 1, {NOW}, {NOW}{values})"
    )


def run_sql(*statements: str | tuple[str, dict]) -> None:
    """Run the statements (SQL, or SQL with its parameters) in one transaction."""
    with db.engine.begin() as connection:
        for statement in statements:
            sql, params = statement if isinstance(statement, tuple) else (statement, {})
            connection.execute(text(sql), params)


def upgrade_with_rows(revision: str, *statements: str | tuple[str, dict]) -> None:
    """Migrate an empty database to ``revision``, write the rows that stood there, then migrate to head."""
    migrate.upgrade(revision)
    run_sql(*statements)
    migrate.upgrade("head")


def fetch_all(sql: str) -> list[tuple]:
    """Every row a query answers, as plain tuples."""
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql)).all()]
