"""Filling the county caches when a server starts, before it answers anyone.

The per-county caches (:mod:`crm.core.county_cache`) live in the server process, so the
first province dashboard after a start computed all hundred counties' figures (~375 ms on
SQLite, ~480 ms on PostgreSQL, bench/RESULTS.md) and the first chain overview analysed
every chain of its counties (~250 ms). ``chaincrm serve`` runs the registered *warmers*
once before it listens instead (and before gunicorn forks, so every worker starts with
them): the first visitor finds current figures. Nothing is kept that a request would not
have kept: a warmer calls the same functions a page calls, keyed by the same county
versions, in the system scope (every county readable).

The caches are not all a first visit pays for: Jinja compiles each template the first time
it is rendered and SQLAlchemy compiles each statement once per process. ``rehearse``
serves a page once, inside the process, to a real reader and throws the answer away, so a
warmer can take those off the first visitor too (reads only; nothing is written).

A warmer that fails is reported and skipped: a start is never refused for a cache. The
warm-up stops starting warmers once ``budget`` seconds have passed (each page still
computes what it misses).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import g, url_for

from crm.core.db import db
from crm.core.tenancy import system_scope

__all__ = ["register_warmer", "rehearse", "warm_caches"]

WARMERS = "chaincrm_cache_warmers"

Warmer = Callable[[float], object]  # warm(deadline): stop starting work past time.monotonic() == deadline


def register_warmer(app, name: str, warm: Warmer) -> None:
    """Have ``warm(deadline)`` (run in an application context, system scope) fill a cache at
    start; a long warmer works in batches and starts none after ``time.monotonic()`` reaches
    ``deadline``."""
    app.extensions.setdefault(WARMERS, []).append((name, warm))


def warm_caches(app, budget: float = 60.0, report: Callable[[str], None] = print) -> dict[str, float]:
    """Run the registered warmers; returns ``{name: seconds}`` of those that ran and worked."""
    done: dict[str, float] = {}
    deadline = time.monotonic() + budget
    for name, warm in app.extensions.get(WARMERS, []):
        if time.monotonic() > deadline:
            report(f"cache warm-up stopped after {budget:.0f} s; pages fill the rest on first use")
            break
        begun = time.perf_counter()
        with app.app_context():
            try:
                with system_scope():
                    warm(deadline)
            except Exception as exc:  # noqa: BLE001 - a cache must never stop the server starting
                report(f"cache warm-up {name} failed, skipped: {exc!r}")
                continue
            finally:
                db.session.rollback()  # reads only; nothing to keep
                db.session.remove()
        done[name] = time.perf_counter() - begun
    return done


def rehearse(app, endpoint: str, user) -> int:
    """Serve ``endpoint``'s page once to ``user`` in this process, as if they had asked for
    it, and throw the answer away; returns its status. The request goes through the same
    hooks as a real one (the login check sets the user's county scope), without a cookie:
    no session is opened and nothing is written."""
    with app.test_request_context():
        path = url_for(endpoint)
    with app.test_request_context(path):
        g._login_user = user  # Flask-Login's place for the request's user
        answer = app.preprocess_request()
        if answer is None:
            answer = app.dispatch_request()
        return app.make_response(answer).status_code
