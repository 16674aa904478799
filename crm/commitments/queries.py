"""Read queries of the commitments list pages (the register itself lives in
``crm.commitments.register``)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from crm.commitments import policies as policy_services
from crm.commitments.models import Obligation, Policy
from crm.core.db import db

__all__ = ["policy_page", "project_obligations"]


def policy_page(user, page: int, per_page: int) -> tuple[list[Policy], int]:
    """One page of the policies ``user`` may read, newest first, with their regions, and
    the number of all of them."""
    statement = policy_services.visible_policies(user)
    total = db.session.execute(
        select(func.count()).select_from(statement.order_by(None).subquery())
    ).scalar_one()
    rows = (
        db.session.execute(
            statement.options(selectinload(Policy.region)).limit(per_page).offset((page - 1) * per_page)
        )
        .scalars()
        .all()
    )
    return rows, total


def project_obligations(project_id: int) -> list[Obligation]:
    """The investor's obligations on a project, by due date."""
    return (
        db.session.execute(
            select(Obligation)
            .where(Obligation.project_id == project_id)
            .order_by(Obligation.due_on, Obligation.id)
        )
        .scalars()
        .all()
    )
