"""The database object, the declarative base and the mixins every model shares."""

from __future__ import annotations

from datetime import datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, Integer, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError

from crm.core import clock
from crm.core.county_owned import CountyOwned
from crm.core.session import MAX_INTEGER, TenantSession

__all__ = [
    "MAX_INTEGER",
    "Base",
    "CountyOwned",
    "TimestampMixin",
    "Versioned",
    "added",
    "changed",
    "commit_save",
    "db",
    "utcnow",
]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base, session_options={"class_": TenantSession})


def added(record):
    """``record`` added to the session and flushed, so that it has its id."""
    db.session.add(record)
    db.session.flush()
    return record


def changed(record, values):
    """``record`` with ``values`` (column: value) set on it and flushed, so that its version and
    its audit row follow at once: the counterpart of ``added`` for a stored record."""
    for key, value in values.items():
        setattr(record, key, value)
    db.session.flush()
    return record


def commit_save(save):
    """``save()``, committed; what it returned.

    Another request may save the same record between the service's version check and this
    commit: the flush then finds the version moved on (``StaleDataError``). ``save`` is then
    asked again of the records as now stored, so that its service refuses it as it refuses
    any stale version: a ``ConflictError`` with the values stored now. A save that checks no
    version, or whose record was deleted meanwhile, raises the ``StaleDataError``."""
    try:
        result = save()
        db.session.commit()
        return result
    except StaleDataError as race:
        db.session.rollback()  # the records reload as now stored
        try:
            save()
        except ObjectDeletedError:
            pass
        raise race


def utcnow() -> datetime:
    """Naive UTC, as the columns store it, from the bureau's clock (``crm.core.clock``)."""
    return clock.utcnow()


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow, nullable=False)


class Versioned:
    """Optimistic locking: a stale save raises ``StaleDataError`` instead of overwriting."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    # Foreign keys are off by default in SQLite; WAL and a busy timeout let the web
    # server and the CLI use one file at the same time.
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
