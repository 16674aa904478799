from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from crm.core.db import Base, CountyOwned, TimestampMixin, Versioned
from crm.util.pinyin import initials, pinyin_key

COMPANY_TAGS = ("世界500强", "中国500强", "上市公司", "专精特新", "小巨人", "独角兽", "高新技术企业")
COMPANY_SIZES = ("large", "medium", "small", "micro")


def _from_name(context, convert, column: str = "name") -> str:
    """A column default computed from the row's name, for inserts that do not give it."""
    return convert(context.get_current_parameters().get(column))


class Company(Versioned, TimestampMixin, Base):
    """Shared master data: every county sees the same company record."""

    __tablename__ = "companies"
    __audited__ = True
    __audit_derived__ = ("name_pinyin", "name_initials")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    # Normalised name (full-width, brackets and legal suffixes removed) for duplicate checks.
    name_key: Mapped[str] = mapped_column(String(200), nullable=False, index=True, default="")
    # The name's pinyin (crm/util/pinyin.py): the order of lists and pickers, and the initials
    # a type-ahead search matches ("bjty" finds 宝鸡钛业). Kept from the name on every write;
    # bulk inserts that leave them out get them from the column default.
    name_pinyin: Mapped[str] = mapped_column(
        String(1200), nullable=False, index=True, default=lambda ctx: _from_name(ctx, pinyin_key)
    )
    name_initials: Mapped[str] = mapped_column(
        String(200), nullable=False, index=True, default=lambda ctx: _from_name(ctx, initials)
    )
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    industry_code: Mapped[str | None] = mapped_column(String(8))  # GB/T 4754-2017
    headquarters: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[str | None] = mapped_column(String(16))
    tags: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    website: Mapped[str | None] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    created_by_county_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))

    @validates("name")
    def _keep_pinyin(self, key, name):
        self.name_pinyin = pinyin_key(name)
        self.name_initials = initials(name)
        return name

    def __repr__(self) -> str:
        return f"<Company {self.id} {self.name}>"


class Contact(CountyOwned, Versioned, TimestampMixin, Base):
    """A person at a company, as one county knows them."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    title: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(120))
    wechat: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("users.id"))

    company: Mapped[Company] = relationship()
