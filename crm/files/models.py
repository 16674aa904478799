"""An evidence file attached to a record of a county (crm/files/registry.py names the
records that take files)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.auth.models import User
from crm.core.db import Base, CountyOwned, utcnow
from crm.core.i18n import N_

__all__ = ["ATTACHMENT_KINDS", "Attachment"]

# What the file is, as a bureau files it (msgids).
ATTACHMENT_KINDS = {
    "contract": N_("合同"),
    "business_license": N_("营业执照"),
    "payment_voucher": N_("拨付凭证"),
    "capital_verification": N_("验资报告"),
    "review_opinion": N_("评审意见"),
    "confirmation_letter": N_("确认函"),
    "other": N_("其他"),
}


class Attachment(CountyOwned, Base):
    """One file attached to one record (``owner_kind`` + ``owner_id``), in the record's county.

    The bytes live in the store by ``sha256`` (crm/files/storage.py). Detaching keeps the
    row and the bytes (``detached_at``); a manager's purge deletes the bytes when no other
    attachment holds them (``purged_at``). A deleted record leaves its attachments in place
    until purged.
    """

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_owner", "owner_kind", "owner_id", "county_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The owning record: a key its module registered (crm/files/registry.py) and its id. No
    # foreign key: records of several tables take files, and a deleted record's files stay.
    owner_kind: Mapped[str] = mapped_column(String(30), nullable=False)
    owner_id: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(30), nullable=False, default="other")
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    file_type: Mapped[str] = mapped_column(String(10), nullable=False)  # crm/files/sniff.py key
    original_name: Mapped[str] = mapped_column(String(255), nullable=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    detached_at: Mapped[datetime | None] = mapped_column(DateTime)
    detached_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    purged_at: Mapped[datetime | None] = mapped_column(DateTime)
    purged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id], lazy="joined")

    @property
    def attached(self) -> bool:
        return self.detached_at is None and self.purged_at is None

    def __repr__(self) -> str:
        # No file name: it may name a confidential project.
        return f"<Attachment {self.id} {self.owner_kind}:{self.owner_id}>"
