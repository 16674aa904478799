"""The instant every test application starts its clock at (``app.config["NOW"]``).

Tests must pass on any calendar day, so no test reads the machine's date: the clock is
pinned here and runs forward from it. ``tests/foundation/test_any_date.py`` builds the
demo at other dates (year start, quarter end, 29 February) to prove nothing depends on it.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

BUREAU_ZONE = ZoneInfo("Asia/Shanghai")
PINNED_NOW = datetime(2026, 12, 4, 10, 0, tzinfo=BUREAU_ZONE)  # a Friday morning in the bureau
PINNED_TODAY = PINNED_NOW.date()
