"""Alembic environment: runs inside the Flask app so it uses the app's database URL."""

from __future__ import annotations

from alembic import context

from crm.core.db import db
from crm.core.migrate import for_dialect

target_metadata = db.metadata


def run_migrations_online() -> None:
    with db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
            compare_type=True,
            include_object=for_dialect(connection.dialect.name),
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
