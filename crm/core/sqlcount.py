"""Opt-in ``X-SQL-Statements`` response header: how many SQL statements a request ran.

The province benchmark reads it from outside the server to check that a page costs the
same number of statements at 1× and 10× data. Off unless ``SQL_COUNT_HEADER`` is set
(``CHAINCRM_SQL_COUNT_HEADER=1``); a waitress worker thread serves one request at a
time, so a thread-local counter is exact.
"""

from __future__ import annotations

import threading

from flask import Flask
from sqlalchemy import event

__all__ = ["HEADER", "init_app"]

HEADER = "X-SQL-Statements"
_counter = threading.local()


def _count_statement(*_args, **_kwargs) -> None:
    _counter.value = getattr(_counter, "value", 0) + 1


def init_app(app: Flask) -> None:
    if not app.config.get("SQL_COUNT_HEADER"):
        return
    from crm.core.db import db

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", _count_statement)

    @app.before_request
    def _reset_count() -> None:
        _counter.value = 0

    @app.after_request
    def _send_count(response):
        response.headers[HEADER] = str(getattr(_counter, "value", 0))
        return response
