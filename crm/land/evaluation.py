"""亩均效益: per-亩 figures, scores, classes A–D and rankings (docs/design.md, "Land and 亩均效益").

Pure functions over plain values: no Flask, no database. Every figure is a ``Decimal``;
each score and the total are rounded to 0.01 (half up) before they are compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "DEFAULT_RULES",
    "INDICATORS",
    "LOW_CLASSES",
    "Evaluation",
    "Rules",
    "classify",
    "evaluate",
    "rank",
]

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
#: The four indicators, in the order the pages show them.
INDICATORS = ("tax", "va", "labour", "energy")
LOW_CLASSES = ("C", "D")


@dataclass(frozen=True)
class Rules:
    """A county's published rules; weights are percents summing to 100."""

    benchmarks: dict  # indicator -> Decimal (tax, va: 万元/亩; labour: 万元/人; energy: 万元/吨标煤)
    weights: dict  # indicator -> int
    threshold_a: Decimal
    threshold_b: Decimal
    threshold_c: Decimal
    score_cap: Decimal
    min_land_mu: Decimal


DEFAULT_RULES = Rules(
    benchmarks={"tax": Decimal(15), "va": Decimal(60), "labour": Decimal(30), "energy": Decimal(3)},
    weights={"tax": 40, "va": 30, "labour": 15, "energy": 15},
    threshold_a=Decimal(100),
    threshold_b=Decimal(80),
    threshold_c=Decimal(60),
    score_cap=Decimal(150),
    min_land_mu=Decimal(5),
)


@dataclass(frozen=True)
class Evaluation:
    """One firm-year: its figures, scores, total and class (None: under the minimum land)."""

    values: dict  # indicator -> Decimal | None (None: no employees / no energy)
    scores: dict  # indicator -> Decimal
    total: Decimal | None
    grade: str | None

    @property
    def classed(self) -> bool:
        return self.grade is not None


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def indicator_values(land_mu, value_added, tax, energy, employees) -> dict:
    """亩均税收 and 亩均增加值 (万元/亩), 全员劳动生产率 (万元/人) and 单位能耗增加值
    (万元/吨标煤); None where the divisor is zero."""
    return {
        "tax": Decimal(tax) / Decimal(land_mu),
        "va": Decimal(value_added) / Decimal(land_mu),
        "labour": Decimal(value_added) / Decimal(employees) if employees else None,
        "energy": Decimal(value_added) / Decimal(energy) if energy else None,
    }


def indicator_score(indicator: str, value, benchmark: Decimal, cap: Decimal, value_added) -> Decimal:
    """min(value ÷ benchmark × 100, cap), rounded to 0.01. No employees scores 0; no energy
    scores the cap when the firm added value (it used none for it), else 0."""
    if value is None:
        return _round(cap) if indicator == "energy" and Decimal(value_added) > 0 else Decimal("0.00")
    return _round(min(Decimal(value) / benchmark * HUNDRED, cap))


def classify(total: Decimal, rules: Rules) -> str:
    if total >= rules.threshold_a:
        return "A"
    if total >= rules.threshold_b:
        return "B"
    if total >= rules.threshold_c:
        return "C"
    return "D"


def evaluate(rules: Rules, *, land_mu, value_added, tax, energy, employees) -> Evaluation:
    """Score one firm-year: total = Σ(weight × score) ÷ 100, rounded to 0.01; a firm whose
    land is under ``min_land_mu`` is shown with its figures but neither scored nor classed."""
    values = indicator_values(land_mu, value_added, tax, energy, employees)
    scores = {
        name: indicator_score(name, values[name], rules.benchmarks[name], rules.score_cap, value_added)
        for name in INDICATORS
    }
    if Decimal(land_mu) < rules.min_land_mu:
        return Evaluation(values, scores, None, None)
    total = _round(sum(Decimal(rules.weights[name]) * scores[name] for name in INDICATORS) / HUNDRED)
    return Evaluation(values, scores, total, classify(total, rules))


def rank(totals: dict) -> dict:
    """Competition ranking ("1, 2, 2, 4") of ``{key: total}`` by total, highest first:
    a firm's rank is one more than the number of firms with a strictly higher total.
    Keys whose total is None (not classed) get no rank."""
    scored = [t for t in totals.values() if t is not None]
    return {key: 1 + sum(1 for other in scored if other > t) for key, t in totals.items() if t is not None}
