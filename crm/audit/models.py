from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, JSON, DateTime, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from crm.core.db import Base, utcnow


class AuditEvent(Base):
    """One create, update or delete of an audited record. Append-only.

    No foreign keys: a row must outlive the user or record it names, and the database
    refuses any UPDATE or DELETE of this table (triggers below and in the migration).
    """

    __tablename__ = "audit_events"
    # Each county's newest event: the dashboard cache's version of that county's data.
    # One kind of record's events, or one record's: the audit page's filters, and the login
    # events of a county's users (which carry no county: a login changes no county's figures).
    __table_args__ = (
        Index("ix_audit_events_county_newest", "county_id", "id"),
        Index("ix_audit_events_table_record", "table_name", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_name: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    county_id: Mapped[int | None] = mapped_column(Integer, index=True)
    table_name: Mapped[str] = mapped_column(String(64), nullable=False)
    record_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16), nullable=False)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
    # INSERT OR REPLACE / REPLACE INTO on an existing id deletes the old row without firing
    # the delete trigger (SQLite runs no triggers for REPLACE's implicit delete by default).
    """CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events
    WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
]
POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'audit_events is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
    """CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()""",
]

for _sql in SQLITE_TRIGGERS:
    event.listen(AuditEvent.__table__, "after_create", DDL(_sql).execute_if(dialect="sqlite"))
for _sql in POSTGRES_TRIGGERS:
    event.listen(AuditEvent.__table__, "after_create", DDL(_sql).execute_if(dialect="postgresql"))
