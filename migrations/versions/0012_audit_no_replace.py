"""the audit log refuses REPLACE of an existing row on SQLite

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# A copy, not an import: a migration must keep doing what it did when it was written.
NO_REPLACE = """CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events
    WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"""


def upgrade() -> None:
    # PostgreSQL's row trigger already refuses INSERT ... ON CONFLICT DO UPDATE (an UPDATE).
    if op.get_bind().dialect.name == "sqlite":
        op.execute(NO_REPLACE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_replace")
