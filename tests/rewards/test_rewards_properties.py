"""Properties of the reward arithmetic as the eligibility service uses it (tiers stored as JSON)."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from crm.rewards.calc import compute_reward, validate_tiers
from crm.rewards.util import parse_tiers_text, tiers_from_json, tiers_to_json, tiers_to_text

amounts = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)
rates = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
uppers = st.lists(
    st.decimals(min_value=Decimal("0.01"), max_value=1_000_000, places=2), min_size=0, max_size=4, unique=True
).map(sorted)


@st.composite
def stored_tiers(draw):
    """Valid tiers, as a manager could save them, read back the way eligibility reads them."""
    bounds = draw(uppers)
    open_ended = draw(st.booleans()) or not bounds
    raw = [(upper, draw(rates)) for upper in bounds] + ([(None, draw(rates))] if open_ended else [])
    return tiers_from_json(tiers_to_json(validate_tiers(raw)))


@settings(max_examples=300, deadline=None)
@given(tiers=stored_tiers(), basis=amounts, cap=amounts, mode=st.sampled_from(["bracket", "progressive"]))
def test_reward_never_exceeds_the_cap(tiers, basis, cap, mode):
    result = compute_reward(basis, tiers, mode, cap)
    assert result.amount <= cap
    assert result.capped == (result.uncapped_amount > cap)
    assert result.amount >= 0


@settings(max_examples=300, deadline=None)
@given(tiers=stored_tiers(), basis=amounts, more=amounts, cap=st.one_of(st.none(), amounts))
def test_progressive_reward_never_decreases_as_the_basis_grows(tiers, basis, more, cap):
    smaller = compute_reward(basis, tiers, "progressive", cap).amount
    larger = compute_reward(basis + more, tiers, "progressive", cap).amount
    assert larger >= smaller


@settings(max_examples=200, deadline=None)
@given(tiers=stored_tiers())
def test_tiers_survive_the_rule_form_round_trip(tiers):
    stored = tiers_to_json(tiers)
    assert validate_tiers(parse_tiers_text(tiers_to_text(stored))) == tiers  # Decimal('5') == Decimal('5.00')
