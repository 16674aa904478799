"""What time and what day it is for the bureau.

"Today" decides overdue follow-ups, commitments falling due, year-to-date figures and
which evidence dates lie in the future, so it is the date in the bureau's time zone
(the ``TIME_ZONE`` setting, Asia/Shanghai by default), not the server's. Every timestamp the
application writes comes from ``utcnow`` here, so one setting moves all of them together:

- ``app.config["NOW"]`` (an aware ``datetime``) starts the clock at that instant; it then
  runs forward at the real pace, so records written one after another keep their order.
  Tests pin it, which makes them pass on any calendar day; a test may also move it.
- ``app.config["TODAY"]`` (a ``date``) overrides the date alone (what-if reports, tests
  that step through days).

Outside an application context the real clock is used.

Every stored time a person reads (pages, exports, notices, CLI output) is shown in the
bureau's zone to the minute: ``local_minute`` here, the ``local_time`` and ``local_date``
template filters in templates. Only the API answers in RFC 3339 UTC (``crm.core.serialize``).
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

__all__ = [
    "bureau_zone",
    "days_in_year",
    "init_app",
    "local",
    "local_day",
    "local_minute",
    "now",
    "today",
    "utcnow",
]

DEFAULT_TIMEZONE = "Asia/Shanghai"
_PIN = "chaincrm_clock_pin"  # app.extensions: (pinned start, monotonic reading when pinned)


def bureau_zone() -> ZoneInfo:
    if not has_app_context():
        return ZoneInfo(DEFAULT_TIMEZONE)
    return ZoneInfo(current_app.config.get("TIME_ZONE") or DEFAULT_TIMEZONE)


def now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    start = current_app.config.get("NOW") if has_app_context() else None
    if start is None:
        return datetime.now(UTC)
    if start.tzinfo is None:
        raise ValueError("NOW must be timezone-aware, e.g. datetime(2026, 12, 4, 10, tzinfo=ZoneInfo(...))")
    pin = current_app.extensions.get(_PIN)
    if pin is None or pin[0] != start:  # first read, or a test moved the clock
        pin = current_app.extensions[_PIN] = (start, time.monotonic())
    return (start + timedelta(seconds=time.monotonic() - pin[1])).astimezone(UTC)


def utcnow() -> datetime:
    """``now()`` as the naive UTC the database columns store."""
    return now().replace(tzinfo=None)


def today() -> date:
    if has_app_context():
        pinned = current_app.config.get("TODAY")
        if pinned:
            return pinned
    return now().astimezone(bureau_zone()).date()


def local(moment: datetime) -> datetime:
    """``moment`` in the bureau's time zone; a naive value is UTC, as the columns store it.

    >>> local(datetime(2026, 12, 31, 16, 30)).isoformat()
    '2027-01-01T00:30:00+08:00'
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(bureau_zone())


def local_minute(moment: datetime | None, empty: str = "") -> str:
    """A stored time as people read it: the bureau's wall clock, to the minute, no zone name.

    >>> local_minute(datetime(2026, 3, 1, 16, 30, 59, 123456)), local_minute(None, "—")
    ('2026-03-02 00:30', '—')
    """
    if moment is None:
        return empty
    return local(moment).strftime("%Y-%m-%d %H:%M")


def local_day(moment: datetime | None, empty: str = "") -> str:
    """The bureau's calendar day of a stored time.

    >>> local_day(datetime(2026, 12, 31, 16, 30))
    '2027-01-01'
    """
    if moment is None:
        return empty
    return local(moment).date().isoformat()


def init_app(app) -> None:
    """``{{ record.created_at|local_time }}`` and ``{{ record.updated_at|local_date }}``;
    a missing time shows as "—"."""
    app.add_template_filter(lambda moment, empty="—": local_minute(moment, empty), "local_time")
    app.add_template_filter(lambda moment, empty="—": local_day(moment, empty), "local_date")


def days_in_year(year: int) -> int:
    """The number of days of ``year`` (序时进度: the share of a year gone by).

    >>> days_in_year(2028), days_in_year(2027)
    (366, 365)
    """
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days
