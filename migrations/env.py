"""Alembic environment: runs inside the Flask app so it uses the app's database URL."""

from __future__ import annotations

from alembic import context

from crm.core.db import db
from crm.core.migrate import for_dialect

target_metadata = db.metadata


def run_migrations_online() -> None:
    with db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(connection, on=False)
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
            compare_type=True,
            include_object=for_dialect(connection.dialect.name),
        )
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            _sqlite_foreign_keys(connection, on=True)


def _sqlite_foreign_keys(connection, *, on: bool) -> None:
    """Batch mode rebuilds a SQLite table by copying it and dropping the old one; with
    foreign keys on, that drop deletes every row referencing it (ON DELETE CASCADE) or
    refuses. SQLite ignores this pragma inside a transaction, so it is set around the
    migrations, and the keys are checked before they are switched back on."""
    if on:
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise RuntimeError(f"migration left rows whose foreign keys point nowhere: {broken[:5]}")
    connection.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    connection.commit()


run_migrations_online()
