"""Tiers as managers type them and as they are stored (pure helpers, no database).

>>> parse_tiers_text('1000, 5\\n不限, 3')
[('1000', '5'), (None, '3')]
>>> describe_tiers(tiers_to_json(validate_tiers([('1000', '5'), (None, '3')])))
'≤1000.00 万元：5‰；1000.00 万元以上：3‰'
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from flask_babel import gettext as _

from crm.rewards.calc import Tier, validate_tiers

__all__ = [
    "parse_tiers_text",
    "tiers_to_json",
    "tiers_from_json",
    "tiers_to_text",
    "describe_tiers",
    "format_rate",
    "validate_tiers",
]

_NO_LIMIT = {"", "不限", "无", "以上", "无上限", "NONE", "-", "∞"}
_SEPARATORS = re.compile(r"[,;:\t ]+")


def parse_tiers_text(text: str | None) -> list[tuple[str | None, str]]:
    """Read one tier per line: ``上限万元, 比例‰``; an upper bound of 不限 (or empty) means none.

    ``‰``, ``万``/``万元`` and full-width punctuation are accepted. The values are
    returned as text for :func:`validate_tiers` to check.

    >>> parse_tiers_text('１０００万，５‰\\n\\n, 2.5')
    [('1000', '5'), (None, '2.5')]
    >>> parse_tiers_text('1000')
    Traceback (most recent call last):
    ...
    ValueError: 第1行应写成“上限万元, 比例‰”，如 1000, 5 或 不限, 3
    """
    tiers = []
    number = 0
    for raw in (text or "").splitlines():
        line = unicodedata.normalize("NFKC", raw).strip()
        if not line:
            continue
        number += 1
        line = line.replace("‰", "").replace("万元", "").replace("万", "")
        parts = [p for p in _SEPARATORS.split(line.strip())]
        if line.startswith((",", ";", ":")):
            parts = [""] + [p for p in parts if p]
        else:
            parts = [p for p in parts if p]
        if len(parts) != 2:
            raise ValueError(_("第%(n)d行应写成“上限万元, 比例‰”，如 1000, 5 或 不限, 3", n=number))
        upper, rate = parts
        tiers.append((None if upper.upper() in _NO_LIMIT else upper, rate))
    return tiers


def tiers_to_json(tiers: tuple[Tier, ...]) -> list[dict]:
    """Checked tiers as stored in the database: Decimals as text."""
    return [
        {
            "upper_wan": None if t.upper_wan is None else str(t.upper_wan),
            "rate_permille": str(t.rate_permille),
        }
        for t in tiers
    ]


def tiers_from_json(stored: list[dict]) -> tuple[Tier, ...]:
    return tuple(
        Tier(None if t["upper_wan"] is None else Decimal(t["upper_wan"]), Decimal(t["rate_permille"]))
        for t in stored
    )


def format_rate(rate: Decimal) -> str:
    """A rate in ‰ without trailing zeros.

    >>> format_rate(Decimal('2.50'))
    '2.5‰'
    """
    return f"{Decimal(rate).normalize():f}‰"


def _amount(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


def tiers_to_text(stored: list[dict]) -> str:
    """The stored tiers in the form's text format (round trip with :func:`parse_tiers_text`).

    >>> tiers_to_text([{'upper_wan': '1000', 'rate_permille': '5'}, {'upper_wan': None, 'rate_permille': '3'}])
    '1000, 5\\n不限, 3'
    """

    def number(text: str) -> str:
        return f"{Decimal(text).normalize():f}"

    return "\n".join(
        f"{'不限' if t['upper_wan'] is None else number(t['upper_wan'])}, {number(t['rate_permille'])}"
        for t in stored
    )


def describe_tiers(stored: list[dict]) -> str:
    """One line for people: each tier's range and rate."""
    parts, lower = [], None
    for tier in tiers_from_json(stored):
        rate = format_rate(tier.rate_permille)
        if tier.upper_wan is None:
            span = _("%(lower)s 万元以上", lower=_amount(lower)) if lower is not None else _("不限金额")
        elif lower is None:
            span = _("≤%(upper)s 万元", upper=_amount(tier.upper_wan))
        else:
            span = _("%(lower)s–%(upper)s 万元", lower=_amount(lower), upper=_amount(tier.upper_wan))
        parts.append(f"{span}：{rate}")
        lower = tier.upper_wan
    return "；".join(parts)
