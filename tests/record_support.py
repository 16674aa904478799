"""Records written straight into the test database, for tests that need data, not a workflow."""

from __future__ import annotations

from sqlalchemy import func, select

from crm.audit.models import AuditEvent
from crm.auth.models import User
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.projects.models import Project, StageChange
from crm.rewards import services as rewards

__all__ = [
    "add_reward_rule",
    "add_with_history",
    "audit_rows",
    "count_of",
    "only_row_posted_by",
    "owned_project",
    "reward_rule_fields",
    "rows_of",
    "save_records",
    "user_named",
]


def owned_project(world, owner: str, name: str, stage: str, **fields) -> Project:
    """An unsaved project owned by the county user ``owner``, in that user's county."""
    return Project(
        name=name, county_id=world.county_of(owner), owner_id=world.ids[owner], stage=stage, **fields
    )


def save_records(app, records: dict) -> dict[str, int]:
    """Save the records (every county visible) and return their ids under the same keys."""
    with app.app_context(), system_scope():
        db.session.add_all(records.values())
        db.session.commit()
        return {key: record.id for key, record in records.items()}


def add_with_history(project: Project, *history: tuple[str | None, str, object]) -> Project:
    """Add ``project`` and its stage history, rows of (from_stage, to_stage, reached_on)."""
    db.session.add(project)
    db.session.flush()
    for from_stage, to_stage, reached_on in history:
        db.session.add(
            StageChange(
                project_id=project.id,
                county_id=project.county_id,
                from_stage=from_stage,
                to_stage=to_stage,
                reached_on=reached_on,
            )
        )
    return project


def reward_rule_fields(**values) -> dict:
    """A reward rule's fields as the services take them: unless ``values`` say otherwise, 奖励办法
    2025, progressive on the money in place at 签约 (5 ‰ up to 1000 万元, 1 ‰ above), no cap."""
    return {
        "name": "奖励办法",
        "year": 2025,
        "basis": "funds_in_place",
        "milestone": "signed",
        "mode": "progressive",
        "tiers": [("1000", "5"), (None, "1")],
        "cap_wan": None,
        "exclude_public_officials": True,
        "note": None,
        **values,
    }


def add_reward_rule(county_id: int, **values):
    """A reward rule made through the services, of :func:`reward_rule_fields`."""
    return rewards.create_rule(county_id=county_id, **reward_rule_fields(**values))


def count_of(app, model, *where, **equal) -> int:
    """How many rows of ``model`` meet the conditions ``where`` and have the values ``equal``
    (``chain_id=3``), counted with every county visible."""
    query = select(func.count()).select_from(model).where(*where)
    for column, value in equal.items():
        query = query.where(getattr(model, column) == value)
    with app.app_context(), system_scope():
        return db.session.execute(query).scalar_one()


def rows_of(app, model) -> list:
    """Every row of ``model`` in id order, read with every county visible."""
    with app.app_context(), system_scope():
        return db.session.execute(select(model).order_by(model.id)).scalars().all()


def only_row_posted_by(app, client, auth, username: str, url: str, form: dict, model):
    """Log in as ``username`` and post ``form`` to ``url``; the one row of ``model`` there is then."""
    auth.login(username)
    client.post(url, data=form)
    [row] = rows_of(app, model)
    return row


def audit_rows(table: str, record_id: int | None = None) -> list[AuditEvent]:
    """The audit rows of ``table`` (of its record ``record_id``, if given) in the order they were
    written, read in the context the caller is in."""
    query = select(AuditEvent).where(AuditEvent.table_name == table).order_by(AuditEvent.id)
    if record_id is not None:
        query = query.where(AuditEvent.record_id == record_id)
    return list(db.session.execute(query).scalars())


def user_named(username: str) -> User:
    """The user called ``username``, read in the context the caller is in."""
    return db.session.execute(select(User).where(User.username == username)).scalar_one()
