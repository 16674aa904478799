"""The 闲置 periods of 《闲置土地处置办法》 as docs/design.md states them."""

from datetime import date

from crm.land.queries import idle_level


def test_a_year_past_the_reference_is_idle_and_two_years_reclaimable():
    start = date(2024, 3, 1)
    assert idle_level(start, date(2025, 2, 28)) == "pending"
    assert idle_level(start, date(2025, 3, 1)) == "idle"  # 满一年 on the anniversary
    assert idle_level(start, date(2026, 2, 28)) == "idle"
    assert idle_level(start, date(2026, 3, 1)) == "reclaimable"


def test_a_leap_day_reference_turns_on_28_february():
    assert idle_level(date(2024, 2, 29), date(2025, 2, 27)) == "pending"
    assert idle_level(date(2024, 2, 29), date(2025, 2, 28)) == "idle"
