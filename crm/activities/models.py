from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.auth.models import User
from crm.core.db import Base, CountyOwned, TimestampMixin, Versioned
from crm.core.i18n import N_
from crm.projects.models import Project

ACTIVITY_KINDS = {
    "call": N_("电话"),
    "visit": N_("拜访"),
    "meeting": N_("会议"),
    "site_visit": N_("考察"),
    "negotiation": N_("洽谈"),
    "event": N_("活动"),
}


class Activity(CountyOwned, Versioned, TimestampMixin, Base):
    """跟进记录: a call, visit, meeting, site visit, negotiation or event."""

    __tablename__ = "activities"
    # Newest first, for one county (its officers) and across counties (coordinators).
    __table_args__ = (
        Index("ix_activities_county_occurred", "county_id", "occurred_on", "id"),
        Index("ix_activities_occurred", "occurred_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    occurred_on: Mapped[date] = mapped_column(Date, nullable=False)
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    participants: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)
    next_follow_up_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    project: Mapped[Project | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    @classmethod
    def on_project(cls, project: Project, **fields) -> Activity:
        """A new activity on ``project``: in the project's county, with its investor company."""
        return cls(
            project=project,
            county_id=project.county_id,
            project_id=project.id,
            company_id=project.investor_company_id,
            **fields,
        )
