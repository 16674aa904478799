"""Chain domain models: a county's industry chains, their segments, supply links and
chain firms, and the segments a project aims at.

Every table is county-owned (not only ``chains``), so a segment, link or firm id of
another county is invisible to the tenant criteria and answers 404 on its own, without
relying on each query joining back to its chain. Services keep ``county_id`` equal to
the chain's county.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.companies.models import Company
from crm.core.db import Base, CountyOwned, TimestampMixin, Versioned
from crm.projects.models import Project

__all__ = ["Chain", "ChainFirm", "ProjectSegment", "Segment", "SegmentLink"]


def _part_of(parent: str) -> Mapped[int]:
    """A required key to ``parent`` ("table.id"): the row is deleted with its parent."""
    return mapped_column(ForeignKey(parent, ondelete="CASCADE"), index=True, nullable=False)


class Chain(CountyOwned, Versioned, TimestampMixin, Base):
    """One leading industry chain (产业链) of a county."""

    __tablename__ = "chains"
    __table_args__ = (UniqueConstraint("county_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    leader_official: Mapped[str | None] = mapped_column(String(100))  # 链长
    description: Mapped[str | None] = mapped_column(Text)
    template_key: Mapped[str | None] = mapped_column(String(50))

    segments: Mapped[list[Segment]] = relationship(
        back_populates="chain", cascade="all, delete-orphan", order_by="Segment.sort_order"
    )
    links: Mapped[list[SegmentLink]] = relationship(cascade="all, delete-orphan")
    firms: Mapped[list[ChainFirm]] = relationship(cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Chain {self.id} {self.name}>"


class Segment(CountyOwned, Versioned, TimestampMixin, Base):
    """A node of a chain (环节), e.g. 动力电池."""

    __tablename__ = "chain_segments"
    __table_args__ = (UniqueConstraint("chain_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = _part_of("chains.id")
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    stage: Mapped[str] = mapped_column(String(16), nullable=False)
    importance: Mapped[str] = mapped_column(String(16), nullable=False, default="general")
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("chain_segments.id", ondelete="SET NULL"), index=True
    )
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    chain: Mapped[Chain] = relationship(back_populates="segments")
    parent: Mapped[Segment | None] = relationship(remote_side=[id])
    aims: Mapped[list[ProjectSegment]] = relationship(cascade="all, delete-orphan", back_populates="segment")

    def __repr__(self) -> str:
        return f"<Segment {self.id} {self.name}>"


class SegmentLink(CountyOwned, TimestampMixin, Base):
    """A supply edge: the supplier segment feeds the consumer segment."""

    __tablename__ = "chain_segment_links"
    __table_args__ = (UniqueConstraint("supplier_id", "consumer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = _part_of("chains.id")
    supplier_id: Mapped[int] = _part_of("chain_segments.id")
    consumer_id: Mapped[int] = _part_of("chain_segments.id")

    supplier: Mapped[Segment] = relationship(foreign_keys=[supplier_id])
    consumer: Mapped[Segment] = relationship(foreign_keys=[consumer_id])


class ChainFirm(CountyOwned, Versioned, TimestampMixin, Base):
    """A company placed on a segment: leader/supporting/service, local/target/external."""

    __tablename__ = "chain_firms"
    __table_args__ = (UniqueConstraint("segment_id", "company_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = _part_of("chains.id")
    segment_id: Mapped[int] = _part_of("chain_segments.id")
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True, nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False, default="supporting")
    presence: Mapped[str] = mapped_column(String(16), nullable=False, default="target")
    note: Mapped[str | None] = mapped_column(Text)

    segment: Mapped[Segment] = relationship()
    company: Mapped[Company] = relationship()


class ProjectSegment(CountyOwned, TimestampMixin, Base):
    """A project (招商项目) aiming at a segment; a project may aim at several."""

    __tablename__ = "project_segments"
    __table_args__ = (UniqueConstraint("project_id", "segment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = _part_of("projects.id")
    segment_id: Mapped[int] = _part_of("chain_segments.id")

    project: Mapped[Project] = relationship()
    segment: Mapped[Segment] = relationship(back_populates="aims")
