"""Values as people write them in ledgers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from crm.imports.values import read_amount, read_date, read_month, read_stage, read_text, read_uscc

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    "written, wan",
    [
        ("1.2亿", "12000"),
        ("3,000万", "3000"),
        ("3000", "3000"),
        ("3000万元", "3000"),
        ("１，５００万", "1500"),
        ("2亿元", "20000"),
        (3000, "3000"),
        (1234.1, "1234.1"),
    ],
)
def test_amounts(written, wan):
    assert read_amount(written) == Decimal(wan)


@pytest.mark.parametrize("written", ["三千万", "3000元", "-5", "abc"])
def test_bad_amounts(written):
    with pytest.raises(ValueError):
        read_amount(written)


@pytest.mark.parametrize(
    "written",
    [
        "2026年3月5日",
        "2026/3/5",
        "2026-03-05",
        "2026.3.5",
        46086,
        "46086",
        date(2026, 3, 5),
        datetime(2026, 3, 5),
    ],
)
def test_dates(written):
    assert read_date(written, today=TODAY) == date(2026, 3, 5)


def test_evidence_dates_are_never_in_the_future_but_follow_ups_may_be():
    with pytest.raises(ValueError, match="不能是将来的日期"):
        read_date("2026-12-05", today=TODAY)
    assert read_date("2026-12-05", today=TODAY, evidence=False) == date(2026, 12, 5)


@pytest.mark.parametrize("written", ["2026-02-30", "3000", "下周"])
def test_bad_dates(written):
    with pytest.raises(ValueError):
        read_date(written, today=TODAY)


def test_months():
    assert read_month("2026年3月", today=TODAY) == date(2026, 3, 1)
    assert read_month("2026-03-17", today=TODAY) == date(2026, 3, 1)
    with pytest.raises(ValueError, match="将来"):
        read_month("2027-01", today=TODAY)


@pytest.mark.parametrize(
    "written, stage",
    [
        ("在谈", "negotiating"),
        ("已签约", "signed"),
        ("已开工", "started"),
        ("已投产", "producing"),
        ("洽谈中", "negotiating"),
        ("考察", "visited"),
        ("线索", "lead"),
        ("注册落地", "registered"),
        ("终止", "lost"),
        (" 签约阶段 ", "signed"),
    ],
)
def test_stages(written, stage):
    assert read_stage(written) == stage


def test_uscc_uses_the_application_validator():
    assert read_uscc("９１１１００００６０００３７３４１Ｌ") == "91110000600037341L"
    with pytest.raises(ValueError, match="统一社会信用代码有误"):
        read_uscc("91110000600037341A")


def test_text_of_phone_numbers_keeps_no_decimal():
    assert read_text(13800000000.0) == "13800000000"
