"""Reading numbers people and browsers send: a query argument, a hidden version field."""

from __future__ import annotations

__all__ = ["int_or_none"]


def int_or_none(value) -> int | None:
    """``value`` as a whole number, or None when it is empty or not one.

    >>> int_or_none("12"), int_or_none(""), int_or_none(None), int_or_none("x1")
    (12, None, None, None)
    """
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
