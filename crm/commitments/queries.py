"""Read queries of the commitments list pages (the register itself lives in
``crm.commitments.register``)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_, case, exists, func, not_, or_, select
from sqlalchemy.orm import selectinload

from crm.commitments import policies as policy_services
from crm.commitments.models import (
    CLOSED_STATUSES,
    LIVE_STATUSES,
    CleanupResolution,
    Commitment,
    Obligation,
    Policy,
)
from crm.core.db import db
from crm.core.pagination import entity_page
from crm.core.tenancy import county_in

__all__ = [
    "cleanup_list",
    "cleanup_statement",
    "inbox_counts",
    "obligations_due_count",
    "obligations_due_page",
    "policy_page",
    "project_commitments",
    "project_obligations",
]


def policy_page(user, page: int, per_page: int) -> tuple[list[Policy], int]:
    """One page of the policies ``user`` may read, newest first, with their regions, and
    the number of all of them."""
    return entity_page(policy_services.visible_policies(user), page, per_page, selectinload(Policy.region))


def _by_due_date(model, project_id: int) -> list:
    """A project's ``model`` rows (commitments or obligations), by due date."""
    statement = select(model).where(model.project_id == project_id).order_by(model.due_on, model.id)
    return list(db.session.execute(statement).scalars())


def project_obligations(project_id: int) -> list[Obligation]:
    """The investor's obligations on a project, by due date."""
    return _by_due_date(Obligation, project_id)


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
    return _by_due_date(Commitment, project_id)


def inbox_counts(county_ids, today: date, days: int) -> dict[str, int]:
    """What waits for a manager in ``county_ids`` (the dashboard's inbox), in one statement:
    ``draft`` commitments awaiting approval, open commitments ``overdue`` and those falling
    ``due_soon`` (today to ``days`` ahead) — the register's ``status=draft``, ``overdue=1``
    and ``due_within=days`` filters."""
    horizon = today + timedelta(days=days)
    due_soon = and_(
        Commitment.due_on >= today, Commitment.due_on <= horizon, not_(Commitment.status.in_(CLOSED_STATUSES))
    )
    row = db.session.execute(
        select(
            func.count(case((Commitment.status == "draft", Commitment.id))),
            func.count(case((Commitment.overdue_on(today), Commitment.id))),
            func.count(case((due_soon, Commitment.id))),
        ).where(county_in(Commitment.county_id, sorted(county_ids)))
    ).one()
    return {"draft": int(row[0] or 0), "overdue": int(row[1] or 0), "due_soon": int(row[2] or 0)}


def _obligations_due(today: date, days: int):
    """Obligations still awaiting their check (待核验) that are overdue or fall due by
    ``days`` from ``today``."""
    return and_(Obligation.status == "pending", Obligation.due_on <= today + timedelta(days=days))


def obligations_due_count(county_ids, today: date, days: int) -> int:
    """How many obligations in ``county_ids`` are overdue or due within ``days`` (the inbox)."""
    return db.session.execute(
        select(func.count())
        .select_from(Obligation)
        .where(county_in(Obligation.county_id, sorted(county_ids)), _obligations_due(today, days))
    ).scalar_one()


def obligations_due_page(today: date, days: int, page: int, per_page: int) -> tuple[list[Obligation], int]:
    """One page of the readable obligations overdue or due within ``days``, earliest first,
    with their projects, and the number of all of them."""
    statement = (
        select(Obligation).where(_obligations_due(today, days)).order_by(Obligation.due_on, Obligation.id)
    )
    return entity_page(statement, page, per_page, selectinload(Obligation.project))
