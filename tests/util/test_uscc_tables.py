"""Issue 14 item 7, the code itself: characters 1–2 against GB 32100's tables, a division
part that can be a region, and no all-zero code passing on its check character alone."""

from __future__ import annotations

import pytest

from crm.util.uscc import (
    ELSEWHERE,
    IN_CITY,
    IN_COUNTY,
    make_uscc,
    org_code_check_char,
    registration_place,
    uscc_check_char,
    validate_uscc,
)


def _code(first_two: str, division: str = "610323", org_body: str = "MA6X0001") -> str:
    """A code with correct check characters around the given parts."""
    first17 = first_two + division + org_body + org_code_check_char(org_body)
    return first17 + uscc_check_char(first17)


def test_all_zeros_is_not_a_valid_code():
    result = validate_uscc("000000000000000000")
    assert not result.ok
    assert any("第1位登记管理部门代码“0”不存在" in e for e in result.errors)
    assert "第9–17位主体标识码（组织机构代码）不能全为 0" in result.errors


@pytest.mark.parametrize("first_two", ["91", "92", "93", "11", "12", "51", "52", "53", "N2", "Y1"])
def test_the_standards_pairs_are_accepted(first_two):
    assert validate_uscc(_code(first_two)).ok


@pytest.mark.parametrize(
    "first_two, message",
    [
        (
            "94",
            "第2位机构类别代码“4”不属于登记管理部门“市场监管（工商）”（可为：1 企业、2 个体工商户、3 农民专业合作社）",
        ),
        ("B1", "第1位登记管理部门代码“B”不存在"),
    ],
)
def test_pairs_outside_the_tables_are_refused_with_the_reason(first_two, message):
    errors = validate_uscc(_code(first_two)).errors
    assert any(e.startswith(message) for e in errors), errors


def test_a_division_part_that_is_no_region_is_refused():
    assert "第3–8位行政区划代码“000000”不存在" in validate_uscc(_code("91", "000000")).errors


def test_where_a_code_was_issued_seen_from_a_county():
    assert registration_place(make_uscc("610323", 1), "610323", "610300") == IN_COUNTY
    assert registration_place(make_uscc("610324", 1), "610323", "610300") == IN_CITY
    assert registration_place(make_uscc("610300", 1), "610323", "610300") == IN_CITY
    assert registration_place(make_uscc("310115", 1), "610323", "610300") == ELSEWHERE
    # 泾阳县 (咸阳市) shares the province, not the city
    assert registration_place(make_uscc("610423", 1), "610323", "610300") == ELSEWHERE
