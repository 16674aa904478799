from decimal import Decimal

import pytest

from crm.util.money import format_wan, parse_wan, quantize_wan


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1234.5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1,234,567.89", "1234567.89"),
        ("1234.5万", "1234.5"),
        ("1234.5万元", "1234.5"),
        ("１２３４．５", "1234.5"),
        ("１，２３４．５万元", "1234.5"),
        (" 5000 ", "5000"),
        ("0", "0"),
        (".5", "0.5"),
        ("1.2亿", "12000"),
        ("1.2亿元", "12000"),
        ("0.35亿", "3500"),
        ("１．２亿", "12000"),
        ("12亿", "120000"),
        ("0.00001", "0.00001"),
    ],
)
def test_parse_wan_accepts_what_users_type(text, expected):
    assert parse_wan(text) == Decimal(expected)


def test_parse_wan_is_exact():
    assert parse_wan("0.1") + parse_wan("0.2") == Decimal("0.3")
    assert parse_wan("1.23456789亿") == Decimal("12345.6789")


@pytest.mark.parametrize(
    "text",
    [
        "NaN",
        "nan",
        "inf",
        "Infinity",
        "-inf",
        "abc",
        "1.2.3",
        "1,23",
        "12,3456",
        "1e5",
        "万",
        "亿",
        "1234.5万万",
        "1,234.5亿万",
        "¥100",
        "0x10",
        "1 234,5",
        "--5",
    ],
)
def test_parse_wan_rejects_garbage(text):
    with pytest.raises(ValueError, match="无法识别的金额"):
        parse_wan(text)


@pytest.mark.parametrize("text", ["", "  ", None])
def test_parse_wan_requires_a_value(text):
    with pytest.raises(ValueError, match="请填写金额"):
        parse_wan(text)


def test_parse_wan_refuses_yuan_with_a_hint():
    with pytest.raises(ValueError, match="金额以万元为单位"):
        parse_wan("50000元")


def test_parse_wan_negative_only_when_allowed():
    with pytest.raises(ValueError, match="金额不能为负数"):
        parse_wan("-12.5")
    assert parse_wan("-12.5", allow_negative=True) == Decimal("-12.5")
    assert parse_wan("-1.5亿", allow_negative=True) == Decimal("-15000")
    assert parse_wan("+12.5") == Decimal("12.5")


def test_parse_wan_takes_spreadsheet_numbers():
    assert parse_wan(5000) == Decimal(5000)
    assert parse_wan(1234.1) == Decimal("1234.1")
    assert parse_wan(Decimal("8.88")) == Decimal("8.88")
    with pytest.raises(ValueError, match="有限"):
        parse_wan(float("nan"))
    with pytest.raises(ValueError, match="有限"):
        parse_wan(float("inf"))
    with pytest.raises(ValueError, match="有限"):
        parse_wan(Decimal("NaN"))
    with pytest.raises(ValueError):
        parse_wan(True)
    with pytest.raises(ValueError, match="负数"):
        parse_wan(-3)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2.345", "2.35"),
        ("2.344999", "2.34"),
        ("2.335", "2.34"),
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("-2.345", "-2.35"),
        ("12000", "12000.00"),
    ],
)
def test_quantize_wan_rounds_half_up(value, expected):
    result = quantize_wan(Decimal(value))
    assert result == Decimal(expected)
    assert str(result) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (Decimal("1234567.891"), "1,234,567.89"),
        (Decimal("999.995"), "1,000.00"),
        (Decimal("0"), "0.00"),
        (Decimal("-1234.5"), "-1,234.50"),
        (12000, "12,000.00"),
        (None, ""),
    ],
)
def test_format_wan(value, expected):
    assert format_wan(value) == expected
