"""Counting the SQL statements a block of test code runs (no N+1: a page costs the same
statements for 3 rows as for 30)."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import event

from crm.core.db import db


@dataclass
class StatementCount:
    n: int = 0


@contextmanager
def counted_statements(app):
    """``with counted_statements(app) as count: ...`` then ``count.n``."""
    with app.app_context():
        engine = db.engine
    count = StatementCount()

    def listener(*_args, **_kwargs):
        count.n += 1

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def statements_of(app, fetch) -> int:
    """How many statements ``fetch()`` runs, a request that must answer 200."""
    with counted_statements(app) as count:
        assert fetch().status_code == 200
    return count.n
