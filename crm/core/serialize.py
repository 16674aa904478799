"""Turning column values into JSON values, the same way for the audit log and the API."""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal


def jsonable(value):
    """Decimal as an exact string, dates as ISO 8601, enums as their value."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value
