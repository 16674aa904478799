"""Alembic from inside the app: ``chaincrm db upgrade`` and the demo use these."""
from __future__ import annotations

import os

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from crm.core.db import db

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS_DIR)
    return config


def upgrade(revision: str = "head") -> None:
    command.upgrade(alembic_config(), revision)


def downgrade(revision: str) -> None:
    command.downgrade(alembic_config(), revision)


def current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def analyze(full: bool = True) -> None:
    """Gather the planner's table statistics.

    SQLite keeps none until ``ANALYZE`` runs, and without them it plans a coordinator's
    "latest activities of 100 counties" as a sort of every row instead of an index walk.
    ``full=False`` samples (``analysis_limit``) so it can run at every server start;
    PostgreSQL's autovacuum analyses on its own, so only a full run touches it.
    """
    with db.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            if not full:
                connection.execute(text("PRAGMA analysis_limit = 1000"))
            connection.execute(text("ANALYZE"))
        elif full:
            connection.execute(text("ANALYZE"))
