"""Dates, months and reporting periods as bureau staff type them.

Forms, importers and report filters accept ``2025-3-5``, ``2025/3/5``,
``2025.3.5``, ``2025年3月5日`` or ``20250305`` alike; periods are a year,
a quarter, a month or an explicit inclusive range.

>>> parse_user_date('2025年3月5日')
datetime.date(2025, 3, 5)
>>> parse_period('2024Q1')
(datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

from flask_babel import gettext as _

__all__ = ["parse_user_date", "parse_month", "parse_period"]

_DATE_PATTERNS = (
    re.compile(r"(?P<y>\d{4})([-/.])(?P<m>\d{1,2})\2(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)
_MONTH_PATTERNS = (
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(份)?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})"),
)
_YEAR = re.compile(r"(?P<y>\d{4})(年度?)?")
_QUARTER = re.compile(r"(?P<y>\d{4})(-|年)?(Q(?P<q>[1-4])|第(?P<cq>[1-4一二三四])季度?)")
_CHINESE_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4}
_RANGE_SEPARATOR = re.compile(r"\.\.|～|~|至|到")


def _clean(text: str | None) -> str:
    """Half-width, no spaces, upper case (for Q)."""
    if text is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).upper()


def _make_date(year: str, month: str, day: str, original: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(_("日期不存在：%(text)s", text=original)) from None


def parse_user_date(text: str | None) -> date:
    """Parse a date as a user writes it.

    Accepted: ``2025-03-05``, ``2025-3-5``, ``2025/3/5``, ``2025.3.5``,
    ``2025年3月5日`` and ``20250305``; full-width digits and spaces are fine.

    Raises
    ------
    ValueError
        With a Chinese message when the text is empty, not a date, or names a
        day that does not exist (``2025-02-29``).

    Examples
    --------
    >>> parse_user_date('2025/3/5'), parse_user_date('２０２５．３．５')
    (datetime.date(2025, 3, 5), datetime.date(2025, 3, 5))
    >>> parse_user_date('2025-02-29')
    Traceback (most recent call last):
    ...
    ValueError: 日期不存在：2025-02-29
    """
    cleaned = _clean(text)
    if not cleaned:
        raise ValueError(_("请填写日期"))
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            return _make_date(match["y"], match["m"], match["d"], str(text).strip())
    raise ValueError(_("无法识别的日期“%(text)s”，请写成 2025-03-05 或 2025年3月5日", text=str(text).strip()))


def parse_month(text: str | None) -> date:
    """Parse a month and return its first day.

    Accepted: ``2025-03``, ``2025-3``, ``2025/3``, ``2025.3``, ``2025年3月`` and ``202503``.

    Examples
    --------
    >>> parse_month('2025年3月'), parse_month('2025/12')
    (datetime.date(2025, 3, 1), datetime.date(2025, 12, 1))
    >>> parse_month('2025-13')
    Traceback (most recent call last):
    ...
    ValueError: 月份不存在：2025-13
    >>> parse_month('0000-01')
    Traceback (most recent call last):
    ...
    ValueError: 月份不存在：0000-01
    """
    cleaned = _clean(text)
    if not cleaned:
        raise ValueError(_("请填写月份"))
    first = _month_start(cleaned, str(text).strip())
    if first is None:
        raise ValueError(_("无法识别的月份“%(text)s”，请写成 2025-03 或 2025年3月", text=str(text).strip()))
    return first


def _month_start(cleaned: str, original: str) -> date | None:
    """First day of the month ``cleaned`` names, None when it is no month at all."""
    for pattern in _MONTH_PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            if not 1 <= int(match["m"]) <= 12 or int(match["y"]) < 1:  # no year 0000 either
                raise ValueError(_("月份不存在：%(text)s", text=original))
            return date(int(match["y"]), int(match["m"]), 1)
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str | None) -> tuple[date, date]:
    """Parse a reporting period into its first and last day (both inclusive).

    Accepted: a year ``2025`` (or ``2025年``), a quarter ``2025Q4``,
    ``2025-q4`` or ``2025年第四季度``, a month in any :func:`parse_month`
    form, or two dates in any :func:`parse_user_date` form joined by ``..``,
    ``~``, ``至`` or ``到``.

    Examples
    --------
    >>> parse_period('2025')
    (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    >>> parse_period('2025-q4')
    (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
    >>> parse_period('2024-02')
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    >>> parse_period('2025-01-01..2025-06-30')
    (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))
    """
    cleaned = _clean(text)
    if not cleaned:
        raise ValueError(_("请填写期间"))
    original = str(text).strip()

    parts = _RANGE_SEPARATOR.split(cleaned)
    if len(parts) == 2:
        start, end = parse_user_date(parts[0]), parse_user_date(parts[1])
        if start > end:
            raise ValueError(_("期间的开始日期晚于结束日期：%(text)s", text=original))
        return start, end
    if len(parts) > 2:
        raise ValueError(_("无法识别的期间“%(text)s”", text=original))

    match = _YEAR.fullmatch(cleaned)
    if match:
        year = int(match["y"])
        return date(year, 1, 1), date(year, 12, 31)
    match = _QUARTER.fullmatch(cleaned)
    if match:
        year = int(match["y"])
        quarter = int(match["q"]) if match["q"] else _CHINESE_QUARTER.get(match["cq"]) or int(match["cq"])
        first_month = 3 * quarter - 2
        return date(year, first_month, 1), _month_end(year, first_month + 2)
    first = _month_start(cleaned, original)
    if first is None:
        raise ValueError(
            _(
                "无法识别的期间“%(text)s”，请写成 2025、2025Q4、2025-03 或 2025-01-01..2025-06-30",
                text=original,
            )
        )
    return first, _month_end(first.year, first.month)
