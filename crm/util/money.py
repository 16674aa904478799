"""Money in 万元 (10,000 CNY): parse what users type, round, and show it.

Amounts are ``Decimal`` from end to end; a float never holds money.

>>> parse_wan('1.2亿')
Decimal('12000.0')
>>> format_wan(quantize_wan(parse_wan('１，２３４．５６７万')))
'1,234.57'
>>> format_wan_total(Decimal('1338000'))
'133.8 亿元'
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import gettext as _

__all__ = ["parse_wan", "quantize_wan", "format_wan", "format_wan_total", "CENT_OF_WAN"]

#: The precision of stored amounts: 0.01 万元 = 100 元.
CENT_OF_WAN = Decimal("0.01")
_YI_IN_WAN = Decimal(10000)

_AMOUNT = re.compile(
    r"(?P<sign>[-+]?)"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+)"
    r"(?P<unit>万元|万|亿元|亿)?"
)


def parse_wan(text: str | int | float | Decimal | None, allow_negative: bool = False) -> Decimal:
    """Parse an amount and return it in 万元, exactly as written (not rounded).

    Parameters
    ----------
    text : str, int, float or Decimal
        ``1234.5``, ``1,234.5``, ``1234.5万``, ``1234.5万元``, ``1.2亿``
        (= 12000 万元), full-width digits and separators; numbers read from a
        spreadsheet (``int``, ``float`` via its shortest text, ``Decimal``)
        are taken as 万元.
    allow_negative : bool
        Corrections of funds in place may be negative; most amounts may not.

    Raises
    ------
    ValueError
        With a Chinese message for empty text, NaN, infinity, amounts in 元,
        negative amounts (unless allowed) and anything else that is not an amount.

    Examples
    --------
    >>> parse_wan('1,234.5'), parse_wan('１２３４．５万'), parse_wan(' 3亿元 ')
    (Decimal('1234.5'), Decimal('1234.5'), Decimal('30000'))
    >>> parse_wan('NaN')
    Traceback (most recent call last):
    ...
    ValueError: 无法识别的金额“NaN”，请填写以万元为单位的数字，如 1234.5 或 1.2亿
    """
    if isinstance(text, bool):
        raise ValueError(
            _("无法识别的金额“%(text)s”，请填写以万元为单位的数字，如 1234.5 或 1.2亿", text=text)
        )
    if isinstance(text, (int, float, Decimal)):
        amount = Decimal(text) if not isinstance(text, float) else _float_to_decimal(text)
        if not amount.is_finite():
            raise ValueError(_("金额必须是有限的数字"))
        return _check_sign(amount, allow_negative, str(text))

    original = "" if text is None else str(text).strip()
    cleaned = "".join(unicodedata.normalize("NFKC", original).split())
    if not cleaned:
        raise ValueError(_("请填写金额"))
    match = _AMOUNT.fullmatch(cleaned)
    if not match:
        if cleaned.endswith("元") and _AMOUNT.fullmatch(cleaned[:-1]):
            raise ValueError(_("金额以万元为单位：“%(text)s”请换算成万元（或写成“…万”）", text=original))
        raise ValueError(
            _("无法识别的金额“%(text)s”，请填写以万元为单位的数字，如 1234.5 或 1.2亿", text=original)
        )
    try:
        amount = Decimal(match["number"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise ValueError(_("无法识别的金额“%(text)s”", text=original)) from None
    if match["sign"] == "-":
        amount = -amount
    if match["unit"] and match["unit"].startswith("亿"):
        amount *= _YI_IN_WAN
    return _check_sign(amount, allow_negative, original)


def _float_to_decimal(value: float) -> Decimal:
    # repr() is the shortest text that reads back as the same float, so
    # 1234.1 from a spreadsheet becomes Decimal('1234.1'), not 1234.09999….
    return Decimal(repr(value)) if value == value and abs(value) != float("inf") else Decimal("NaN")


def _check_sign(amount: Decimal, allow_negative: bool, original: str) -> Decimal:
    if amount < 0 and not allow_negative:
        raise ValueError(_("金额不能为负数：%(text)s", text=original))
    return amount


def quantize_wan(amount: Decimal | int) -> Decimal:
    """Round to 0.01 万元, halves away from zero (四舍五入).

    >>> quantize_wan(Decimal('2.345')), quantize_wan(Decimal('-2.345')), quantize_wan(7)
    (Decimal('2.35'), Decimal('-2.35'), Decimal('7.00'))
    """
    return Decimal(amount).quantize(CENT_OF_WAN, rounding=ROUND_HALF_UP)


def format_wan(amount: Decimal | int | None) -> str:
    """Show an amount in 万元 with thousands separators and two decimals.

    ``None`` (unknown) is shown as an empty string.

    >>> format_wan(Decimal('1234567.891')), format_wan(Decimal('-0.005')), format_wan(None)
    ('1,234,567.89', '-0.01', '')
    """
    if amount is None:
        return ""
    return f"{quantize_wan(amount):,.2f}"


#: A total shown on a dashboard reads in 亿元 from here up.
YI_THRESHOLD_WAN = _YI_IN_WAN
_CENT_OF_YI = Decimal("0.01")


def format_wan_total(amount: Decimal | int | None) -> str:
    """Show a large total as people read it, with its unit: 亿元 from 1 亿元 (10,000 万元) up,
    to 0.01 亿元 (100 万元) with trailing zeros dropped; smaller amounts in 万元 as
    ``format_wan`` shows them. For dashboards; exports keep the exact 万元.

    >>> format_wan_total(Decimal('1338000')), format_wan_total(Decimal('12345.67'))
    ('133.8 亿元', '1.23 亿元')
    >>> format_wan_total(Decimal('20000')), format_wan_total(Decimal('9999.99')), format_wan_total(None)
    ('2 亿元', '9,999.99 万元', '')
    >>> format_wan_total(Decimal('-25000'))
    '-2.5 亿元'
    """
    if amount is None:
        return ""
    amount = Decimal(amount)
    # Msgids outside the f-strings, so that every Python's extraction finds them (chains.render).
    if abs(amount) < YI_THRESHOLD_WAN:
        return format_wan(amount) + " " + _("万元")
    yi = (amount / _YI_IN_WAN).quantize(_CENT_OF_YI, rounding=ROUND_HALF_UP)
    return f"{yi:,.2f}".rstrip("0").rstrip(".") + " " + _("亿元")
