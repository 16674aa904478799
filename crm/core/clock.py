"""What day it is for the bureau.

"Today" decides overdue follow-ups, commitments falling due and year-to-date figures, so it
is the date in the bureau's time zone (``BABEL_DEFAULT_TIMEZONE``, Asia/Shanghai), not the
server's. ``app.config["TODAY"]`` pins it (tests, what-if reports).
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Asia/Shanghai"


def today() -> date:
    if not has_app_context():
        return datetime.now(ZoneInfo(DEFAULT_TIMEZONE)).date()
    pinned = current_app.config.get("TODAY")
    if pinned:
        return pinned
    return datetime.now(ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", DEFAULT_TIMEZONE))).date()
