"""Databases for the backup tests: a migrated one, scratch ones to restore into, and a
comparison of every row of every table.

On PostgreSQL the source is the test database (CHAINCRM_TEST_DATABASE_URL); restores go
into scratch databases named after it (``<name>_restore1``...), created empty and dropped
afterwards by the ``chaincrm`` role (it has CREATEDB).
"""

from __future__ import annotations

import os

from clock_support import PINNED_NOW
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.engine import make_url

from crm import create_app

POSTGRES_URL = os.environ.get("CHAINCRM_TEST_DATABASE_URL")


def make_backup_app(url: str, instance: str, files_dir: str | None = None):
    config = {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test-secret", "NOW": PINNED_NOW}
    if files_dir:
        config["FILES_DIR"] = files_dir
    # The instance folder (where `db upgrade` puts its backups) is read from the environment.
    previous = os.environ.get("CHAINCRM_INSTANCE_PATH")
    os.environ["CHAINCRM_INSTANCE_PATH"] = instance
    try:
        return create_app(config)
    finally:
        if previous is None:
            del os.environ["CHAINCRM_INSTANCE_PATH"]
        else:
            os.environ["CHAINCRM_INSTANCE_PATH"] = previous


def scratch_postgres(suffix: str) -> str:
    """A new, empty PostgreSQL database beside the test database; its URL."""
    url = make_url(POSTGRES_URL)
    name = f"{url.database}_{suffix}"
    drop_postgres(url.set(database=name).render_as_string(hide_password=False))
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_postgres(scratch_url: str) -> None:
    url = make_url(scratch_url)
    engine = create_engine(make_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    engine.dispose()


def every_row(url: str) -> dict[str, list[tuple]]:
    """Every table's rows, every column, in primary-key order (then by every column)."""
    engine = create_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return {
                name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*(table.primary_key.columns or table.columns))
                    )
                ]
                for name, table in sorted(metadata.tables.items())
            }
    finally:
        engine.dispose()
