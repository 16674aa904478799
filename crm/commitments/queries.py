"""Read queries of the commitments list pages (the register itself lives in
``crm.commitments.register``)."""

from __future__ import annotations

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import selectinload

from crm.commitments import policies as policy_services
from crm.commitments.models import LIVE_STATUSES, CleanupResolution, Commitment, Obligation, Policy
from crm.core.db import db

__all__ = [
    "cleanup_list",
    "cleanup_statement",
    "policy_page",
    "project_commitments",
    "project_obligations",
]


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


def _cleanup_since():
    """Since when a commitment's policy calls for 存量清理 (``Policy.cleanup_cause`` in SQL):
    the later of its withdrawal and its failed review, NULL when neither."""
    failed = and_(Policy.fair_review == "failed", Policy.review_failed_at.is_not(None))
    return case(
        (
            and_(failed, or_(Policy.withdrawn_at.is_(None), Policy.review_failed_at > Policy.withdrawn_at)),
            Policy.review_failed_at,
        ),
        else_=Policy.withdrawn_at,
    )


def cleanup_statement():
    """The readable live commitments on the 存量清理 list (``Commitment.cleanup_cause``):
    their policy was withdrawn or failed its review, and no manager has resolved them since."""
    since = _cleanup_since()
    resolved = exists().where(
        CleanupResolution.commitment_id == Commitment.id, CleanupResolution.resolved_at >= since
    )
    return (
        select(Commitment)
        .join(Policy, Policy.id == Commitment.policy_id)
        .where(Commitment.status.in_(LIVE_STATUSES), since.is_not(None), ~resolved)
        .order_by(since, Commitment.id)
    )


def cleanup_list() -> list[Commitment]:
    """The 存量清理 list, oldest cause first, with what each row shows loaded."""
    return list(
        db.session.execute(
            cleanup_statement().options(
                selectinload(Commitment.project),
                selectinload(Commitment.policy),
                selectinload(Commitment.cleanup_resolutions),
                selectinload(Commitment.fulfillments),
            )
        ).scalars()
    )


def project_commitments(project_id: int) -> list[Commitment]:
    """A project's commitments for its page, by due date."""
    return list(
        db.session.execute(
            select(Commitment)
            .where(Commitment.project_id == project_id)
            .order_by(Commitment.due_on, Commitment.id)
        ).scalars()
    )
