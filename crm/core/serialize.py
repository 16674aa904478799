"""Turning column values into JSON values, the same way for the audit log and the API."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from decimal import Decimal

__all__ = ["api_value", "columns_dict", "jsonable", "rfc3339"]


def jsonable(value):
    """Decimal as an exact string, dates as ISO 8601, enums as their value."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def rfc3339(moment: datetime) -> str:
    """A timestamp as RFC 3339 in UTC (``Z``). Columns store naive UTC (``crm.core.clock``).

    >>> rfc3339(datetime(2026, 12, 4, 2, 0, 45, 527434))
    '2026-12-04T02:00:45.527434Z'
    >>> from zoneinfo import ZoneInfo
    >>> rfc3339(datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    '2026-12-04T02:00:00Z'
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat() + "Z"


def api_value(value):
    """``jsonable`` for API answers: timestamps carry their zone, as OpenAPI's ``date-time``
    requires (the audit log keeps the stored form it always had)."""
    if isinstance(value, datetime):
        return rfc3339(value)
    return jsonable(value)


def columns_dict(obj, exclude: tuple[str, ...] = ()) -> dict:
    """The record as JSON with the model's column names (Decimal as strings, timestamps
    in RFC 3339 UTC): an API answer, and the values a refused stale change shows."""
    return {
        c.key: api_value(getattr(obj, c.key)) for c in obj.__mapper__.column_attrs if c.key not in exclude
    }
