"""The quarterly review worked out again from docs/design.md ("Targets and the quarterly
review") over the raw facts of review_facts.PROJECTS and FUNDS, with fractions: nothing of
crm.review is imported here."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from review_facts import FUNDS, MOVES, PROJECTS

STAGE_ORDER = ["signed", "registered", "started", "producing"]
PATH = ["lead", "contacted", "visited", "negotiating", *STAGE_ORDER]
FIVE_RATES = ("landing_rate", "procedures_rate", "reserve_start_rate", "investment_rate", "production_rate")
# The defaults as docs/design.md ("Score") words them: 落地金额 20, 亿元以上项目 5, 签约 5, 开工 5,
# each of the five rates 5, 地区生产总值 10, 规上工业增加值 6, 固定资产投资 8, 社会消费品零售总额 6,
# 一般公共预算收入 5, 居民人均可支配收入 5.
DEFAULT_WEIGHTS = {
    "funds": 20, "big_projects": 5, "signings": 5, "starts": 5,
    **dict.fromkeys(FIVE_RATES, 5),
    "gdp": 10, "industry": 6, "fixed_investment": 8, "retail": 6, "revenue": 5, "income": 5,
}  # fmt: skip


def _two(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _projects(county: str):
    for key, c, stage, planned, signed, registered, started, producing in PROJECTS:
        if c != county:
            continue
        dates = {"signed": signed, "registered": registered, "started": started, "producing": producing}
        # A stage is reached only while the project stands at it or later (every fixture date
        # is an evidence date). Off the path (on hold, lost) it stands at the last stage of the
        # path it was moved to; with no recorded move, at the end of the path (its dates are all
        # there is to go by).
        standing = stage
        if stage in ("on_hold", "lost"):
            held = [s for s in MOVES.get(key, ()) if s in PATH]
            standing = held[-1] if held else PATH[-1]
        position = STAGE_ORDER.index(standing) if standing in STAGE_ORDER else -1
        reached = {s: dates[s] if position >= STAGE_ORDER.index(s) else None for s in STAGE_ORDER}
        yield {"key": key, "stage": stage, "planned": Fraction(planned or 0), "reached": reached}


def quarter_end(year: int, quarter: int) -> date:
    return {1: date(year, 3, 31), 2: date(year, 6, 30), 3: date(year, 9, 30), 4: date(year, 12, 31)}[quarter]


def figures(county: str, year: int, quarter: int) -> dict:
    S, E = date(year, 1, 1), quarter_end(year, quarter)
    B = date(year, 3 * quarter - 2, 1)
    projects = list(_projects(county))

    def within(d, a, b):
        return d is not None and a <= d <= b

    def by(d):
        return d is not None and d <= E

    counted = [f for f in FUNDS if f[0][0] == county and f[4]]
    funds_ytd = sum((Fraction(f[3]) for f in counted if S <= f[1] <= E), Fraction(0))
    funds_quarter = sum((Fraction(f[3]) for f in counted if B <= f[1] <= E), Fraction(0))
    count = {s: sum(within(p["reached"][s], S, E) for p in projects) for s in STAGE_ORDER}
    count_q = {s: sum(within(p["reached"][s], B, E) for p in projects) for s in STAGE_ORDER}
    big = [p for p in projects if p["planned"] >= 10000]

    signed = [p for p in projects if within(p["reached"]["signed"], S, E)]
    landed = [p for p in signed if by(p["reached"]["registered"])]

    def reserve(before, after):
        pool = []
        for p in projects:
            if not by(p["reached"][before]):
                continue
            if p["reached"][after] is not None and p["reached"][after] < S:
                continue
            if p["stage"] == "lost" and not by(p["reached"][after]):
                continue
            pool.append(p)
        return sum(within(p["reached"][after], S, E) for p in pool), len(pool)

    building = [p for p in projects if by(p["reached"]["started"]) and p["stage"] != "lost"]
    keys = {p["key"] for p in building}
    money = sum((Fraction(f[3]) for f in counted if f[0] in keys and f[1] <= E), Fraction(0))
    return {
        "funds_ytd": funds_ytd,
        "funds_quarter": funds_quarter,
        "count": count,
        "count_quarter": count_q,
        "big": sum(within(p["reached"]["signed"], S, E) for p in big),
        "big_quarter": sum(within(p["reached"]["signed"], B, E) for p in big),
        "rates": {
            "landing_rate": (len(landed), len(signed)),
            "reserve_start_rate": reserve("signed", "started"),
            "production_rate": reserve("started", "producing"),
            "investment_rate": (money, sum((p["planned"] for p in building), Fraction(0))),
        },
    }


def rate_value(pair) -> str | None:
    numerator, denominator = pair
    if not denominator:
        return None
    value = Fraction(numerator) / Fraction(denominator)
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001")))


def score(county: str, year: int, quarter: int, target: dict, imported: dict, weights: dict) -> Decimal:
    """Σ weight × min(completion, 120) ÷ 100 + 加分 − 减分 (to 0.01); the computed rates enter
    as their 0.0001 values × 100, the targeted indicators against target × q ÷ 4."""
    f = figures(county, year, quarter)
    due = Fraction(quarter, 4)

    def against(actual, given):
        return None if not given else Fraction(actual) / (Fraction(given) * due) * 100

    completion = {
        "funds": against(f["funds_ytd"], target.get("funds")),
        "big_projects": against(f["big"], target.get("big_projects")),
        "signings": against(f["count"]["signed"], target.get("signings")),
        "starts": against(f["count"]["started"], target.get("starts")),
    }
    for code, pair in f["rates"].items():
        value = rate_value(pair)
        completion[code] = None if value is None else Fraction(Decimal(value)) * 100
    for code in ("procedures_rate", "gdp", "industry", "fixed_investment", "retail", "revenue", "income"):
        completion[code] = Fraction(Decimal(str(imported[code]))) if imported.get(code) is not None else None
    scores = {
        code: (Fraction(0) if c is None else Fraction(_two(min(max(c, Fraction(0)), Fraction(120)))))
        for code, c in completion.items()
    }
    total = sum((weights.get(code, 0) * s for code, s in scores.items()), Fraction(0)) / 100
    total += Fraction(Decimal(str(imported.get("bonus", 0)))) - Fraction(
        Decimal(str(imported.get("penalty", 0)))
    )
    return _two(total)


def ranks(entries: dict[str, tuple[Decimal, Fraction]]) -> dict[str, int]:
    """{county: rank}: 1 + the number with a higher score, or the same score and more funds."""
    return {
        county: 1 + sum(1 for s, f in entries.values() if s > score_ or (s == score_ and f > funds))
        for county, (score_, funds) in entries.items()
    }
