"""Test databases made fast: the schema is built once per run, each test starts empty.

SQLite: the schema is created once in a template file that each test copies.
PostgreSQL: the schema is created once; each test empties every table (TRUNCATE).
A test that rebuilds the PostgreSQL schema itself (migrations) calls ``reset_postgres``,
which makes the next test build the schema again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import create_engine, text

_postgres_schema_ready = False


def reset_postgres(url: str) -> None:
    """Drop every table, type and function: the database is as new."""
    global _postgres_schema_ready
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    _postgres_schema_ready = False


def prepare_postgres(app, db) -> None:
    """An empty database with the models' schema, built at most once per run."""
    global _postgres_schema_ready
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not _postgres_schema_ready:
        reset_postgres(url)
        with app.app_context():
            db.create_all()
        _postgres_schema_ready = True
        return
    with app.app_context():
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with db.engine.begin() as conn:
            # The audit log refuses TRUNCATE (append-only); tests may start it afresh.
            conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))


def sqlite_copy_of_template(template_dir: Path, target: Path, make_app, db) -> None:
    """Copy a SQLite file that already has the schema (built on first use)."""
    template = template_dir / "template.sqlite"
    if not template.exists():
        app = make_app("sqlite:///" + str(template))
        with app.app_context():
            db.create_all()
            db.engine.dispose()  # checkpoints the WAL into the file
    shutil.copyfile(template, target)
