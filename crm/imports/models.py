"""Import batches (one committed ledger import), the records each wrote, and saved mappings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.auth.models import User
from crm.core.db import Base, CountyOwned, utcnow

__all__ = ["ImportBatch", "ImportBatchRecord", "ImportMapping"]


class ImportBatch(CountyOwned, Base):
    """One committed import: who, when, which file, what kind, and how many rows did what.

    ``audit_from`` and ``audit_to`` bound the audit events the import wrote: an event on one
    of its records after ``audit_to`` is a later edit, which forbids undoing the batch.
    """

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    file_name: Mapped[str] = mapped_column(String(255), nullable=False)
    file_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    rows_total: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    skipped_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    audit_from: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    audit_to: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    undone_by: Mapped[User | None] = relationship(foreign_keys=[undone_by_id])


class ImportBatchRecord(CountyOwned, Base):
    """A record an import created or updated (``table_name``, ``record_id``), in write order."""

    __tablename__ = "import_batch_records"
    __table_args__ = (Index("ix_import_batch_records_record", "table_name", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"), index=True)
    table_name: Mapped[str] = mapped_column(String(64), nullable=False)
    record_id: Mapped[int] = mapped_column(Integer, nullable=False)
    action: Mapped[str] = mapped_column(String(10), nullable=False)  # created / updated
    row_number: Mapped[int | None] = mapped_column(Integer)


class ImportMapping(CountyOwned, Base):
    """A county's saved column mapping for one kind: header → field, reused by name."""

    __tablename__ = "import_mappings"
    __table_args__ = (UniqueConstraint("county_id", "kind", "name", name="uq_import_mappings_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    columns: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
