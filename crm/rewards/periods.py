"""The period a reward list covers: read from what a user types, named as a notice names it.

>>> period_label(date(2026, 1, 1), date(2026, 12, 31))
'2026年度'
>>> period_label(date(2025, 10, 1), date(2025, 12, 31))
'2025年第四季度'
>>> period_label(date(2024, 2, 1), date(2024, 2, 29))
'2024年2月'
>>> period_label(date(2025, 1, 1), date(2025, 6, 30))
'2025年1月1日至2025年6月30日'
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _

from crm.core.errors import ServiceError
from crm.util.dates import parse_period

__all__ = ["cn_date", "period_error", "period_label", "resolve_period"]

QUARTERS = {1: "一", 2: "二", 3: "三", 4: "四"}


def resolve_period(period) -> tuple[str, date, date]:
    """``(text, first day, last day)`` from ``'2025Q4'``-style text or a (start, end) pair;
    text that is no period is refused beside the ``period`` field."""
    if isinstance(period, tuple):
        start, end = period
        return f"{start.isoformat()}..{end.isoformat()}", start, end
    try:
        start, end = parse_period(period)
    except ValueError as exc:
        raise ServiceError(str(exc), {"period": [str(exc)]}) from None
    return str(period).strip(), start, end


def period_error(text: str | None) -> str | None:
    """Why ``text`` is no period, or None when it is one."""
    try:
        parse_period(text)
    except ValueError as exc:
        return str(exc)
    return None


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def period_label(start: date, end: date) -> str:
    """The period as a notice writes it: a whole year is 2026年度, a whole quarter
    2025年第四季度, a whole month 2025年3月, any other span its two dates."""
    if start.day == 1 and end == _month_end(end) and start.year == end.year:
        months = end.month - start.month + 1
        if months == 12:
            return _("%(year)d年度", year=start.year)
        if months == 3 and start.month % 3 == 1:
            return _("%(year)d年第%(q)s季度", year=start.year, q=_(QUARTERS[end.month // 3]))
        if months == 1:
            return _("%(year)d年%(month)d月", year=start.year, month=start.month)
    return _("%(start)s至%(end)s", start=cn_date(start), end=cn_date(end))


def cn_date(day: date) -> str:
    """A date as a notice writes it: 2026年12月5日."""
    return _("%(y)d年%(m)d月%(d)d日", y=day.year, m=day.month, d=day.day)
