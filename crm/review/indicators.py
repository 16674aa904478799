"""The review's indicators, weights and score: pure functions, no Flask, no database.

docs/design.md, "Targets and the quarterly review", states the rules these follow:
indicator score = min(completion percent, 120) to 0.01 half up (0 when it cannot be
worked out); score = Σ weight × indicator score ÷ 100 + bonus − penalty, to 0.01 half up;
rank within the ranked counties by score, ties by higher 落地金额, competition style.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from crm.core.i18n import N_

__all__ = [
    "CAP",
    "COUNTY_CLASSES",
    "DEFAULT_CLASS",
    "DEFAULT_WEIGHTS",
    "IMPORTED",
    "INDICATORS",
    "RATES",
    "change",
    "check_weights",
    "indicator_score",
    "parse_quarter",
    "previous_quarter",
    "quarter_bounds",
    "rank",
    "total_score",
]

CENT = Decimal("0.01")
CAP = Decimal(120)  # an indicator scores at most 120 (over-fulfilment counts, within reason)

COUNTY_CLASSES = {
    "development": N_("重点开发区"),
    "agricultural": N_("农产品主产区"),
    "ecological": N_("重点生态功能区"),
}
DEFAULT_CLASS = "development"  # a county without a class for the year is weighted as this

# The five rates of the province's project work (computed from the app's data, except
# 前期手续办结率, which is imported).
RATES = {
    "landing_rate": N_("落地率"),
    "procedures_rate": N_("前期手续办结率"),
    "reserve_start_rate": N_("储备项目开工率"),
    "investment_rate": N_("计划投资完成率"),
    "production_rate": N_("竣工投产达效率"),
}
# Imported per quarter from the coordinator's sheet (percent of target).
IMPORTED = {
    "procedures_rate": N_("前期手续办结率"),
    "gdp": N_("地区生产总值"),
    "industry": N_("规上工业增加值"),
    "fixed_investment": N_("固定资产投资"),
    "retail": N_("社会消费品零售总额"),
    "revenue": N_("一般公共预算收入"),
    "income": N_("居民人均可支配收入"),
}
INDICATORS = {
    "funds": N_("招商引资落地金额"),
    "big_projects": N_("亿元以上项目"),
    "signings": N_("签约项目"),
    "starts": N_("开工项目"),
    **RATES,
    **{code: label for code, label in IMPORTED.items() if code not in RATES},
}
DEFAULT_WEIGHTS = {
    "funds": 20, "big_projects": 5, "signings": 5, "starts": 5,
    "landing_rate": 5, "procedures_rate": 5, "reserve_start_rate": 5, "investment_rate": 5,
    "production_rate": 5,
    "gdp": 10, "industry": 6, "fixed_investment": 8, "retail": 6, "revenue": 5, "income": 5,
}  # fmt: skip


def parse_quarter(text: str) -> tuple[int, int]:
    """``2026Q3`` → (2026, 3).

    >>> parse_quarter("2026q3"), parse_quarter(" 2025Q1 ")
    ((2026, 3), (2025, 1))
    """
    text = (text or "").strip().upper()
    year, sep, quarter = text.partition("Q")
    if not sep or not year.isdigit() or quarter not in ("1", "2", "3", "4") or not 2000 <= int(year) <= 2100:
        raise ValueError(f"not a quarter like 2026Q3: {text!r}")
    return int(year), int(quarter)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """(first day, last day) of the quarter.

    >>> quarter_bounds(2026, 3)
    (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    """
    last_month = 3 * quarter
    return date(year, last_month - 2, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    """The quarter before ``quarter`` of ``year``.

    >>> previous_quarter(2026, 1), previous_quarter(2026, 3)
    ((2025, 4), (2026, 2))
    """
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def indicator_score(percent: Decimal | None) -> Decimal:
    """min(percent, 120) to 0.01; 0 when there is no figure.

    >>> indicator_score(Decimal("87.456")), indicator_score(Decimal("250")), indicator_score(None)
    (Decimal('87.46'), Decimal('120.00'), Decimal('0.00'))
    """
    if percent is None:
        return Decimal(0).quantize(CENT)
    return min(max(Decimal(percent), Decimal(0)), CAP).quantize(CENT, ROUND_HALF_UP)


def check_weights(weights: dict) -> dict[str, int]:
    """Whole percents ≥ 0 for known indicators, summing to 100 (missing ones are 0)."""
    unknown = set(weights) - set(INDICATORS)
    if unknown:
        raise ValueError(f"unknown indicators: {sorted(unknown)}")
    clean = {}
    for code in INDICATORS:
        value = weights.get(code, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{code}: a weight is a whole number ≥ 0")
        clean[code] = value
    if sum(clean.values()) != 100:
        raise ValueError("weights must sum to 100")
    return clean


def total_score(scores: dict[str, Decimal], weights: dict[str, int], bonus=None, penalty=None) -> Decimal:
    """Σ weight × score ÷ 100 + bonus − penalty, to 0.01 half up.

    >>> total_score({"funds": Decimal("80"), "gdp": Decimal("100")}, {"funds": 60, "gdp": 40},
    ...             Decimal("1.5"), Decimal("0.25"))
    Decimal('89.25')
    """
    weighted = sum((Decimal(w) * scores.get(code, Decimal(0)) for code, w in weights.items()), Decimal(0))
    result = weighted / 100 + Decimal(bonus or 0) - Decimal(penalty or 0)
    return result.quantize(CENT, ROUND_HALF_UP)


def rank(entries: list[tuple[int, Decimal, Decimal]]) -> dict[int, int]:
    """{county: rank} from (county, score, 落地金额): higher score first, a tie by higher
    落地金额; still equal, they share the rank (1, 2, 2, 4).

    >>> rank([(1, Decimal(90), Decimal(5)), (2, Decimal(90), Decimal(7)), (3, Decimal(80), Decimal(1)),
    ...       (4, Decimal(80), Decimal(1))])
    {2: 1, 1: 2, 3: 3, 4: 3}
    """
    ordered = sorted(entries, key=lambda e: (-e[1], -e[2], e[0]))
    return {
        county: 1 + sum(1 for _, s, f in ordered if (s, f) > (score, funds))
        for county, score, funds in ordered
    }


def change(current, previous) -> dict | None:
    """同比/环比 of one figure: the difference and the percent change (to 0.01; None when the
    earlier figure is 0); None when there is no earlier snapshot.

    >>> change(Decimal("150"), Decimal("120"))
    {'difference': Decimal('30'), 'percent': Decimal('25.00')}
    >>> change(Decimal("5"), Decimal("0")), change(Decimal("5"), None)
    ({'difference': Decimal('5'), 'percent': None}, None)
    """
    if previous is None or current is None:
        return None
    current, previous = Decimal(current), Decimal(previous)
    difference = current - previous
    percent = (difference / previous * 100).quantize(CENT, ROUND_HALF_UP) if previous else None
    return {"difference": difference, "percent": percent}
