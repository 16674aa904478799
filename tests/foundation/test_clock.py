"""One clock for dates and timestamps, pinned by ``NOW`` (tests) and ``TODAY`` (what-if)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crm.core import clock
from crm.core.db import utcnow

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_pinned_clock_starts_at_now_and_runs_forward(app):
    with app.app_context():
        app.config["NOW"] = datetime(2028, 2, 29, 23, 30, tzinfo=SHANGHAI)
        first = clock.now()
        assert first.tzinfo is UTC
        assert timedelta(0) <= first - datetime(2028, 2, 29, 15, 30, tzinfo=UTC) < timedelta(seconds=5)
        assert clock.now() >= first  # records written one after another keep their order
        assert utcnow().tzinfo is None and abs(utcnow() - first.replace(tzinfo=None)) < timedelta(seconds=5)


def test_today_is_the_bureaus_date_not_utcs(app):
    with app.app_context():
        # 23:30 in Shanghai is still 15:30 of the same day in UTC; 00:30 is the day before in UTC.
        app.config["NOW"] = datetime(2026, 12, 31, 23, 30, tzinfo=SHANGHAI)
        assert clock.today() == date(2026, 12, 31)
        app.config["NOW"] = datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI)
        assert clock.today() == date(2027, 1, 1)
        assert clock.utcnow().date() == date(2026, 12, 31)


def test_today_overrides_the_date_alone(app):
    with app.app_context():
        app.config["TODAY"] = date(2025, 3, 31)
        assert clock.today() == date(2025, 3, 31)


def test_a_naive_now_is_refused(app):
    with app.app_context():
        app.config["NOW"] = datetime(2026, 1, 1)
        with pytest.raises(ValueError, match="timezone-aware"):
            clock.now()


def test_rows_are_stamped_by_the_pinned_clock(app, world):
    from sqlalchemy import select

    from crm.auth.models import User
    from crm.core.db import db
    from crm.core.tenancy import system_scope

    with app.app_context(), system_scope():
        created = db.session.execute(select(User.created_at).where(User.username == "a_staff")).scalar_one()
    pinned = app.config["NOW"].astimezone(UTC).replace(tzinfo=None)
    assert timedelta(0) <= created - pinned < timedelta(minutes=5)
