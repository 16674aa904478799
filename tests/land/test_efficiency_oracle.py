"""The A–D classes against an independent calculation written from docs/design.md
("亩均效益评价"), not from crm.land.evaluation: exact fractions, the doc's rounding."""

from decimal import Decimal
from fractions import Fraction

from crm.land import evaluation
from crm.land.evaluation import Rules

RULES = Rules(
    benchmarks={"tax": Decimal(20), "va": Decimal(50), "labour": Decimal(25), "energy": Decimal(2)},
    weights={"tax": 40, "va": 30, "labour": 20, "energy": 10},
    threshold_a=Decimal(100),
    threshold_b=Decimal(80),
    threshold_c=Decimal(60),
    score_cap=Decimal(150),
    min_land_mu=Decimal(5),
)

# name, land 亩, value added, tax, energy 吨标煤, employees
FIRMS = [
    ("甲", "10", "500", "200", "250", "20"),  # exactly on every benchmark: 100 → A
    ("乙", "10", "500", "200", "250", "20"),  # the same figures: a tie with 甲
    ("丙", "20", "400", "280", "100", "40"),  # 70, 40, 40 and 150 (capped): 63 → C
    ("丁", "8", "120", "20", "0", "6"),  # no energy used: the energy score is the cap
    ("戊", "12", "300", "60", "300", "0"),  # no employees: the labour score is 0
    ("己", "4.99", "900", "400", "10", "30"),  # under 5 亩: listed, not classed, not ranked
    ("庚", "50", "4000", "3000", "100", "50"),  # every score capped at 150
    ("辛", "10", "0", "0", "0", "0"),  # nothing at all: 0 → D
    ("壬", "10", "400", "160", "200", "16"),  # exactly 80 → B (a threshold is "at least")
]


def half_up(value: Fraction) -> Fraction:
    """Round to 0.01, halves away from zero (all values here are ≥ 0)."""
    scaled = value * 100
    whole = scaled.numerator // scaled.denominator
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole, 100)


def oracle(land, va, tax, energy, people):
    land, va, tax, energy, people = (Fraction(x) for x in (land, va, tax, energy, people))
    cap = Fraction(150)

    def score(value, benchmark):
        return half_up(min(value / benchmark * 100, cap))

    scores = {
        "tax": score(tax / land, 20),
        "va": score(va / land, 50),
        "labour": score(va / people, 25) if people else Fraction(0),
        "energy": score(va / energy, 2) if energy else (cap if va > 0 else Fraction(0)),
    }
    if land < 5:
        return None, None
    total = half_up(
        (40 * scores["tax"] + 30 * scores["va"] + 20 * scores["labour"] + 10 * scores["energy"]) / 100
    )
    grade = "A" if total >= 100 else "B" if total >= 80 else "C" if total >= 60 else "D"
    return total, grade


def test_classes_and_totals_match_the_independent_calculation():
    for name, land, va, tax, energy, people in FIRMS:
        result = evaluation.evaluate(
            RULES,
            land_mu=Decimal(land),
            value_added=Decimal(va),
            tax=Decimal(tax),
            energy=Decimal(energy),
            employees=int(people),
        )
        total, grade = oracle(land, va, tax, energy, people)
        assert result.grade == grade, name
        assert (result.total is None and total is None) or Fraction(result.total) == total, name


def test_expected_classes_by_hand():
    grades = {name: oracle(land, va, tax, energy, people)[1] for name, land, va, tax, energy, people in FIRMS}
    assert grades == {
        "甲": "A",
        "乙": "A",
        "丙": "C",
        "丁": "D",
        "戊": "D",
        "己": None,
        "庚": "A",
        "辛": "D",
        "壬": "B",
    }


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    totals = {name: oracle(land, va, tax, energy, people)[0] for name, land, va, tax, energy, people in FIRMS}
    ranks = evaluation.rank(
        {k: (Decimal(str(float(v))) if v is not None else None) for k, v in totals.items()}
    )
    assert ranks["庚"] == 1
    assert ranks["甲"] == ranks["乙"]
    assert "己" not in ranks  # not classed, not ranked
    tied = ranks["甲"]
    assert sorted(ranks.values()).count(tied) == 2 and tied + 1 not in ranks.values()
