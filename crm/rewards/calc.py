"""Reward arithmetic of a 招商引资奖励办法 (see docs/design.md "Rewards").

A rule pays a rate in ‰ of a basis in 万元, chosen from tiers of
(upper bound in 万元 or None, rate in ‰):

* ``bracket`` (分档全额): the whole basis at the rate of the bracket it falls
  in; a basis equal to an upper bound falls in that bracket;
* ``progressive`` (超额累进): each slice of the basis at its own rate, like
  income tax.

The result is capped per project and rounded half-up to 0.01 万元 at the end;
``arithmetic`` spells the calculation out for the reward list.

>>> tiers = [(1000, 5), (None, 3)]
>>> compute_reward(Decimal('3000'), tiers, 'bracket', cap=None).arithmetic
'3000.00 × 3‰ = 9.00 万元'
>>> compute_reward(Decimal('3000'), tiers, 'progressive', cap=Decimal('10')).arithmetic
'1000.00 × 5‰ + 2000.00 × 3‰ = 11.00 万元；封顶 10.00 万元'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Literal, NamedTuple

from flask_babel import gettext as _

__all__ = ["MODES", "Tier", "RewardResult", "validate_tiers", "compute_reward"]

Mode = Literal["bracket", "progressive"]
MODES: tuple[str, ...] = ("bracket", "progressive")

_CENT = Decimal("0.01")
_PER_MILLE = Decimal(1000)


class Tier(NamedTuple):
    """One tier: the basis up to ``upper_wan`` (inclusive; None = no limit) earns ``rate_permille``."""

    upper_wan: Decimal | None
    rate_permille: Decimal


@dataclass(frozen=True)
class RewardResult:
    """Outcome of :func:`compute_reward`.

    Attributes
    ----------
    amount : Decimal
        Reward in 万元, rounded to 0.01 and capped.
    capped : bool
        True when the cap lowered the amount.
    rates_used : tuple of Decimal
        The ‰ rates that applied, in tier order (one in bracket mode).
    arithmetic : str
        The calculation in words, e.g. ``'5000.00 × 3‰ = 15.00 万元'``.
    uncapped_amount : Decimal
        The rounded amount before the cap.
    slices : tuple of (Decimal, Decimal)
        (part of the basis in 万元, rate in ‰) pairs that were multiplied.
    """

    amount: Decimal
    capped: bool
    rates_used: tuple[Decimal, ...]
    arithmetic: str
    uncapped_amount: Decimal
    slices: tuple[tuple[Decimal, Decimal], ...]


def _decimal(value: Any, message: str) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(message)
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(message) from None
    if not number.is_finite():
        raise ValueError(message)
    return number


def _tier_parts(tier: Any) -> tuple[Any, Any]:
    if isinstance(tier, Mapping):
        upper = tier.get("upper_wan", tier.get("upper"))
        rate = tier.get("rate_permille", tier.get("rate"))
        return upper, rate
    upper, rate = tier
    return upper, rate


def validate_tiers(tiers: Iterable[Any]) -> tuple[Tier, ...]:
    """Check tiers and return them as :class:`Tier` with ``Decimal`` values.

    Each tier is a pair ``(upper_wan, rate_permille)`` or a mapping with
    those keys (``upper`` / ``rate`` also accepted). Upper bounds must be
    positive and strictly ascending, only the last may be None, and rates must
    not be negative.

    Raises
    ------
    ValueError
        Naming the offending tier (counted from 1), in Chinese.

    Examples
    --------
    >>> validate_tiers([('1000', '5'), (None, Decimal('2.5'))])
    (Tier(upper_wan=Decimal('1000'), rate_permille=Decimal('5')), Tier(upper_wan=None, rate_permille=Decimal('2.5')))
    >>> validate_tiers([(None, 5), (1000, 3)])
    Traceback (most recent call last):
    ...
    ValueError: 只有最后一档可以不设上限（第1档未设上限）
    """
    checked: list[Tier] = []
    raw = list(tiers)
    if not raw:
        raise ValueError(_("至少需要一档奖励比例"))
    for number, tier in enumerate(raw, start=1):
        try:
            upper, rate = _tier_parts(tier)
        except (TypeError, ValueError):
            raise ValueError(_("第%(n)d档应写成（上限万元，比例‰）", n=number)) from None
        if rate is None:
            raise ValueError(_("第%(n)d档缺少奖励比例", n=number))
        rate = _decimal(rate, _("第%(n)d档的比例不是有效数字", n=number))
        if rate < 0:
            raise ValueError(_("第%(n)d档的比例不能为负数", n=number))
        if upper is not None:
            upper = _decimal(upper, _("第%(n)d档的上限不是有效数字", n=number))
            if upper <= 0:
                raise ValueError(_("第%(n)d档的上限必须大于0", n=number))
        if checked and checked[-1].upper_wan is None:
            raise ValueError(_("只有最后一档可以不设上限（第%(n)d档未设上限）", n=number - 1))
        if checked and upper is not None and upper <= checked[-1].upper_wan:
            raise ValueError(
                _(
                    "各档上限须从小到大排列：第%(n)d档的上限 %(upper)s 不大于第%(prev)d档的 %(prev_upper)s",
                    n=number,
                    upper=_show(upper),
                    prev=number - 1,
                    prev_upper=_show(checked[-1].upper_wan),
                )
            )
        checked.append(Tier(upper, rate))
    return tuple(checked)


def _show(amount: Decimal) -> str:
    return f"{amount.quantize(_CENT, rounding=ROUND_HALF_UP):.2f}"


def _show_rate(rate: Decimal) -> str:
    return f"{rate.normalize():f}"


def _bracket_slices(basis: Decimal, tiers: tuple[Tier, ...]) -> list[tuple[Decimal, Decimal]]:
    for tier in tiers:
        if tier.upper_wan is None or basis <= tier.upper_wan:
            return [(basis, tier.rate_permille)]
    return []


def _progressive_slices(basis: Decimal, tiers: tuple[Tier, ...]) -> list[tuple[Decimal, Decimal]]:
    slices: list[tuple[Decimal, Decimal]] = []
    lower = Decimal(0)
    for tier in tiers:
        top = basis if tier.upper_wan is None else min(basis, tier.upper_wan)
        if top > lower or not slices and basis == 0:
            slices.append((top - lower, tier.rate_permille))
        if tier.upper_wan is None or basis <= tier.upper_wan:
            break
        lower = tier.upper_wan
    return slices


def compute_reward(
    basis: Decimal,
    tiers: Iterable[Any],
    mode: Mode,
    cap: Decimal | None = None,
) -> RewardResult:
    """Compute one project's reward.

    Parameters
    ----------
    basis : Decimal
        The rule's basis in 万元 (funds in place, fixed-asset or planned
        investment); must not be negative.
    tiers : iterable of (upper_wan or None, rate_permille)
        See :func:`validate_tiers`. Above the last finite upper bound nothing
        is paid (bracket: no bracket applies; progressive: the excess earns nothing).
    mode : {'bracket', 'progressive'}
    cap : Decimal or None
        Per-project maximum in 万元; None means no cap.

    Returns
    -------
    RewardResult

    Examples
    --------
    >>> r = compute_reward(Decimal('5000'), [(1000, 5), (None, 3)], 'bracket')
    >>> r.amount, r.capped, r.rates_used, r.arithmetic
    (Decimal('15.00'), False, (Decimal('3'),), '5000.00 × 3‰ = 15.00 万元')
    >>> compute_reward(Decimal('1000'), [(1000, 5), (None, 3)], 'bracket').arithmetic
    '1000.00 × 5‰ = 5.00 万元'
    """
    if mode not in MODES:
        raise ValueError(
            _("未知的计算方式“%(mode)s”，应为 bracket（分档全额）或 progressive（超额累进）", mode=mode)
        )
    checked = validate_tiers(tiers)
    basis = _decimal(basis, _("奖励基数不是有效数字"))
    if basis < 0:
        raise ValueError(_("奖励基数不能为负数"))
    if cap is not None:
        cap = _decimal(cap, _("封顶金额不是有效数字"))
        if cap < 0:
            raise ValueError(_("封顶金额不能为负数"))
        cap = cap.quantize(_CENT, rounding=ROUND_HALF_UP)

    slices = (_bracket_slices if mode == "bracket" else _progressive_slices)(basis, checked)
    exact = sum((part * rate / _PER_MILLE for part, rate in slices), Decimal(0))
    uncapped = exact.quantize(_CENT, rounding=ROUND_HALF_UP)
    capped = cap is not None and uncapped > cap
    amount = cap if capped else uncapped

    last_upper = checked[-1].upper_wan
    if slices:
        terms = " + ".join(f"{_show(part)} × {_show_rate(rate)}‰" for part, rate in slices)
        arithmetic = _("%(terms)s = %(amount)s 万元", terms=terms, amount=_show(uncapped))
        if last_upper is not None and basis > last_upper:
            arithmetic += _("（超过最高档上限 %(upper)s 的部分不计奖）", upper=_show(last_upper))
    else:
        arithmetic = _(
            "%(basis)s 超过最高档上限 %(upper)s，无适用比例 = 0.00 万元",
            basis=_show(basis),
            upper=_show(last_upper),
        )
    if capped:
        arithmetic += _("；封顶 %(cap)s 万元", cap=_show(cap))
    return RewardResult(
        amount=amount,
        capped=capped,
        rates_used=tuple(rate for _part, rate in slices),
        arithmetic=arithmetic,
        uncapped_amount=uncapped,
        slices=tuple(slices),
    )
