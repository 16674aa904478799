"""Reading numbers people and browsers send: a query argument, a hidden version field."""

from __future__ import annotations

from crm.core.session import MAX_INTEGER

__all__ = ["int_or_none", "record_id_or_none", "year_or_none"]


def int_or_none(value) -> int | None:
    """``value`` as a whole number, or None when it is empty or not one.

    >>> int_or_none("12"), int_or_none(""), int_or_none(None), int_or_none("x1")
    (12, None, None, None)
    """
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def record_id_or_none(value) -> int | None:
    """``value`` as a record id the database can hold (1 to 2³¹−1), or None: an id beyond
    the column's range names no record, and handing it to the database is an error there.

    >>> record_id_or_none("7"), record_id_or_none("9223372036854775807"), record_id_or_none("²")
    (7, None, None)
    """
    number = int_or_none(value)
    return number if number is not None and 0 < number <= MAX_INTEGER else None


def year_or_none(value) -> int | None:
    """``value`` as a calendar year the application can date (2000–2100, the years its figures are kept for), or None.

    >>> year_or_none("2025"), year_or_none("99999"), year_or_none("")
    (2025, None, None)
    """
    number = int_or_none(value)
    return number if number is not None and 2000 <= number <= 2100 else None
