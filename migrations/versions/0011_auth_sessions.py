"""server-side sessions, named and expiring API tokens, login throttling by address

user_sessions holds one row per login (only the SHA-256 of the cookie's secret), so logout,
a password change, a change of role or region and disabling end sessions on every server
process. It replaces users.session_epoch: every session signed before this upgrade ends
(users log in again once).

api_tokens gets a name, an expiry and revoked_at instead of the revoked flag. Tokens that
exist are kept working: named "未命名" and valid for 365 days from the upgrade (revoked ones
stay revoked, from their last change).

login_attempts gets an index by address: throttling counts per (account, address), per
account and per address. audit_events gets one by (table_name, record_id): login events
(table "logins", no county) of a county's users, and the audit page's filters.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

from crm.core import clock

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

EXISTING_TOKEN_NAME = "未命名"
EXISTING_TOKEN_DAYS = 365

api_tokens = sa.table(
    "api_tokens",
    sa.column("name", sa.String),
    sa.column("expires_at", sa.DateTime),
    sa.column("revoked", sa.Boolean),
    sa.column("revoked_at", sa.DateTime),
    sa.column("updated_at", sa.DateTime),
)


def upgrade() -> None:
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("user_agent", sa.String(length=255), nullable=False),
        sa.Column("remote_addr", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_user_sessions_secret_hash")),
    )
    op.create_index("ix_user_sessions_user_open", "user_sessions", ["user_id", "revoked_at"])
    op.create_index(op.f("ix_user_sessions_expires_at"), "user_sessions", ["expires_at"])

    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.add_column(sa.Column("name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(), nullable=True))
    expires = clock.utcnow() + timedelta(days=EXISTING_TOKEN_DAYS)  # the application's clock
    op.execute(api_tokens.update().values(name=EXISTING_TOKEN_NAME, expires_at=expires))
    op.execute(
        api_tokens.update()
        .where(api_tokens.c.revoked == sa.true())
        .values(revoked_at=api_tokens.c.updated_at)
    )
    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.alter_column("name", existing_type=sa.String(length=100), nullable=False)
        batch_op.alter_column("expires_at", existing_type=sa.DateTime(), nullable=False)
        batch_op.drop_column("revoked")

    # Native DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch copy of users would drop and
    # re-create a table that half the schema references.
    op.execute("ALTER TABLE users DROP COLUMN session_epoch")

    op.create_index("ix_login_attempts_remote_addr", "login_attempts", ["remote_addr", "attempted_at"])
    op.create_index("ix_audit_events_table_record", "audit_events", ["table_name", "record_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_table_record", table_name="audit_events")
    op.drop_index("ix_login_attempts_remote_addr", table_name="login_attempts")
    op.add_column("users", sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="1"))

    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.add_column(sa.Column("revoked", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute(api_tokens.update().where(api_tokens.c.revoked_at.is_not(None)).values(revoked=True))
    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.drop_column("revoked_at")
        batch_op.drop_column("expires_at")
        batch_op.drop_column("name")

    op.drop_index(op.f("ix_user_sessions_expires_at"), table_name="user_sessions")
    op.drop_index("ix_user_sessions_user_open", table_name="user_sessions")
    op.drop_table("user_sessions")
