"""Numbers no column holds, refused when they are flushed.

A ``Numeric(8, 2)`` column holds less than a million; PostgreSQL refuses more ("numeric
field overflow", a 500), while SQLite stores it anyway. An ``Integer`` column holds 32 bits
on PostgreSQL. Each service checks the bounds its users need (万元 amounts, shares, years);
this is the floor under all of them, read from the columns themselves: a value past its
column is refused before any statement is sent, as a ``ServiceError`` naming the field
(422, beside the field on a form), on both databases alike.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import BigInteger, Integer, Numeric, event, inspect

from crm.core.errors import ServiceError
from crm.core.session import MAX_INTEGER, TenantSession

__all__ = ["column_limit", "numbers_past_their_columns"]


def column_limit(column_type) -> Decimal | None:
    """The bound a value's magnitude must stay below (``Numeric``) or within (``Integer``),
    None for a column without one.

    >>> column_limit(Numeric(8, 2)), column_limit(Integer()), column_limit(Numeric())
    (Decimal('1000000'), Decimal('2147483647'), None)
    """
    if isinstance(column_type, Numeric) and column_type.precision is not None:
        return Decimal(10) ** (column_type.precision - (column_type.scale or 0))
    if isinstance(column_type, Integer) and not isinstance(column_type, BigInteger):
        return Decimal(MAX_INTEGER)
    return None


def _past(value, column_type, limit: Decimal) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return False
    number = Decimal(value)
    if not number.is_finite():
        return True
    if isinstance(column_type, Numeric):
        return abs(number) >= limit
    return not -limit - 1 <= number <= limit


def numbers_past_their_columns(obj) -> dict[str, list[str]]:
    """Field → message for each number of ``obj`` its column cannot hold."""
    errors = {}
    for attribute in inspect(obj).mapper.column_attrs:
        column = attribute.columns[0]
        limit = column_limit(column.type)
        if limit is not None and _past(getattr(obj, attribute.key), column.type, limit):
            errors[attribute.key] = [_("数字过大")]
    return errors


# First of the flush's listeners (insert=True): nothing is checked or collected for the
# audit log of a flush that is refused.
@event.listens_for(TenantSession, "before_flush", insert=True)
def _refuse_numbers_past_their_columns(session, _context, _instances) -> None:
    errors: dict[str, list[str]] = {}
    for obj in (*session.new, *session.dirty):
        errors.update(numbers_past_their_columns(obj))
    if errors:
        raise ServiceError(_("数字超出可保存的范围，未保存"), errors)
