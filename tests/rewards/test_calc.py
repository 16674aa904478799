from decimal import Decimal as D

import pytest

from crm.rewards.calc import RewardResult, Tier, compute_reward, validate_tiers

# A typical county rule: up to 1亿 at 5‰, up to 5亿 at 3‰, above at 1‰.
TIERS = [(10000, 5), (50000, 3), (None, 1)]


def test_bracket_whole_basis_at_its_brackets_rate():
    result = compute_reward(D("30000"), TIERS, "bracket")
    assert result == RewardResult(
        amount=D("90.00"),
        capped=False,
        rates_used=(D("3"),),
        arithmetic="30000.00 × 3‰ = 90.00 万元",
        uncapped_amount=D("90.00"),
        slices=((D("30000"), D("3")),),
    )


@pytest.mark.parametrize(
    "basis, rate, amount",
    [
        ("9999.99", "5", "50.00"),  # 49.99995 rounds up
        ("10000", "5", "50.00"),  # equal to an upper bound: that bracket
        ("10000.01", "3", "30.00"),  # just above: next bracket, whole basis at 3‰
        ("50000", "3", "150.00"),
        ("50000.01", "1", "50.00"),
        ("0", "5", "0.00"),
    ],
)
def test_bracket_boundaries(basis, rate, amount):
    result = compute_reward(D(basis), TIERS, "bracket")
    assert result.rates_used == (D(rate),)
    assert result.amount == D(amount)


def test_bracket_arithmetic_at_boundary():
    assert compute_reward(D("10000"), TIERS, "bracket").arithmetic == "10000.00 × 5‰ = 50.00 万元"


def test_progressive_slices_like_income_tax():
    result = compute_reward(D("60000"), TIERS, "progressive")
    # 10000 × 5‰ + 40000 × 3‰ + 10000 × 1‰ = 50 + 120 + 10
    assert result.amount == D("180.00")
    assert result.slices == ((D("10000"), D("5")), (D("40000"), D("3")), (D("10000"), D("1")))
    assert result.rates_used == (D("5"), D("3"), D("1"))
    assert result.arithmetic == ("10000.00 × 5‰ + 40000.00 × 3‰ + 10000.00 × 1‰ = 180.00 万元")


@pytest.mark.parametrize(
    "basis, amount, slices",
    [
        ("10000", "50.00", 1),  # exactly at the first bound: one slice only
        ("10000.01", "50.00", 2),  # 50 + 0.01 × 3‰ = 50.00003
        ("50000", "170.00", 2),
        ("0", "0.00", 1),
    ],
)
def test_progressive_boundaries(basis, amount, slices):
    result = compute_reward(D(basis), TIERS, "progressive")
    assert result.amount == D(amount)
    assert len(result.slices) == slices


def test_progressive_pays_at_least_bracket_when_rates_fall():
    for basis in ["500", "10000", "20000", "50000", "75000"]:
        progressive = compute_reward(D(basis), TIERS, "progressive").amount
        bracket = compute_reward(D(basis), TIERS, "bracket").amount
        assert progressive >= bracket  # the early slices earn the higher rates


def test_bracket_and_progressive_differ_on_the_same_basis():
    tiers = [(1000, 5), (None, 3)]
    assert compute_reward(D("3000"), tiers, "bracket").amount == D("9.00")
    assert compute_reward(D("3000"), tiers, "progressive").amount == D("11.00")


def test_cap_lowers_the_amount_and_says_so():
    result = compute_reward(D("3000"), [(1000, 5), (None, 3)], "progressive", cap=D("10"))
    assert result.amount == D("10.00")
    assert result.capped is True
    assert result.uncapped_amount == D("11.00")
    assert result.arithmetic == "1000.00 × 5‰ + 2000.00 × 3‰ = 11.00 万元；封顶 10.00 万元"


def test_amount_equal_to_cap_is_not_capped():
    result = compute_reward(D("2000"), [(None, 5)], "bracket", cap=D("10"))
    assert result.amount == D("10.00")
    assert result.capped is False
    assert "封顶" not in result.arithmetic


def test_no_cap_and_zero_cap():
    assert compute_reward(D("1000000"), [(None, 5)], "bracket", cap=None).amount == D("5000.00")
    zero = compute_reward(D("1000"), [(None, 5)], "bracket", cap=D("0"))
    assert zero.amount == D("0.00") and zero.capped


def test_rounding_is_half_up_on_the_final_amount_only():
    # 1.01 × 5‰ = 0.00505 → 0.01; two slices of 0.004 each would round to 0.00 separately.
    assert compute_reward(D("1.01"), [(None, 5)], "bracket").amount == D("0.01")
    result = compute_reward(D("1.6"), [(D("0.8"), 5), (None, 5)], "progressive")
    assert result.amount == D("0.01")  # 0.004 + 0.004 = 0.008 → 0.01
    assert result.arithmetic == "0.80 × 5‰ + 0.80 × 5‰ = 0.01 万元"


def test_fractional_rates_shown_plainly():
    result = compute_reward(D("12345.67"), [(None, D("2.50"))], "bracket")
    assert result.amount == D("30.86")  # 30.864175
    assert result.arithmetic == "12345.67 × 2.5‰ = 30.86 万元"


def test_decimal_throughout():
    result = compute_reward(D("0.3"), [(D("0.1"), 1000), (None, 1000)], "progressive")
    assert isinstance(result.amount, D)
    assert result.amount == D("0.30")


def test_basis_above_last_finite_bound():
    tiers = [(1000, 5), (3000, 3)]
    bracket = compute_reward(D("5000"), tiers, "bracket")
    assert bracket.amount == D("0.00")
    assert bracket.rates_used == ()
    assert bracket.arithmetic == "5000.00 超过最高档上限 3000.00，无适用比例 = 0.00 万元"
    progressive = compute_reward(D("5000"), tiers, "progressive")
    assert progressive.amount == D("11.00")
    assert progressive.arithmetic == (
        "1000.00 × 5‰ + 2000.00 × 3‰ = 11.00 万元（超过最高档上限 3000.00 的部分不计奖）"
    )


def test_tiers_accept_strings_and_mappings():
    assert validate_tiers([{"upper_wan": "1000", "rate_permille": "5"}, {"upper": None, "rate": 3}]) == (
        Tier(D("1000"), D("5")),
        Tier(None, D("3")),
    )


@pytest.mark.parametrize(
    "tiers, message",
    [
        ([], "至少需要一档"),
        ([(None, 5), (1000, 3)], "只有最后一档可以不设上限（第1档未设上限）"),
        ([(None, 5), (None, 3)], "只有最后一档可以不设上限"),
        ([(2000, 5), (1000, 3)], "各档上限须从小到大排列：第2档的上限 1000.00 不大于第1档的 2000.00"),
        ([(1000, 5), (1000, 3)], "各档上限须从小到大排列"),
        ([(1000, -1), (None, 3)], "第1档的比例不能为负数"),
        ([(0, 5), (None, 3)], "第1档的上限必须大于0"),
        ([(1000, 5), (None, "abc")], "第2档的比例不是有效数字"),
        ([("NaN", 5)], "第1档的上限不是有效数字"),
        ([(1000, None)], "第1档缺少奖励比例"),
        ([(1000,)], "第1档应写成"),
    ],
)
def test_invalid_tiers_are_refused_with_a_reason(tiers, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        validate_tiers(tiers)
    with pytest.raises(ValueError):
        compute_reward(D("100"), tiers, "bracket")


def test_last_tier_may_have_a_bound_and_zero_rate_is_allowed():
    tiers = validate_tiers([(1000, 0), (5000, 3)])
    assert tiers[-1].upper_wan == D("5000")
    result = compute_reward(D("2000"), tiers, "progressive")
    assert result.arithmetic == "1000.00 × 0‰ + 1000.00 × 3‰ = 3.00 万元"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"basis": D("-1")}, "奖励基数不能为负数"),
        ({"basis": D("NaN")}, "奖励基数不是有效数字"),
        ({"cap": D("-5")}, "封顶金额不能为负数"),
        ({"mode": "flat"}, "未知的计算方式“flat”"),
    ],
)
def test_invalid_inputs(kwargs, message):
    arguments = {"basis": D("100"), "tiers": TIERS, "mode": "bracket", "cap": None} | kwargs
    with pytest.raises(ValueError, match=message):
        compute_reward(**arguments)
