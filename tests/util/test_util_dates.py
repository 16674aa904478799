from datetime import date

import pytest

from crm.util.dates import parse_month, parse_period, parse_user_date


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-05",
        "2025-3-5",
        "2025/3/5",
        "2025/03/05",
        "2025.3.5",
        "2025年3月5日",
        "2025年03月05日",
        "2025年3月5号",
        "2025年3月5",
        "20250305",
        " 2025-03-05 ",
        "２０２５－０３－０５",
        "２０２５年３月５日",
        "2025 年 3 月 5 日",
    ],
)
def test_user_date_formats(text):
    assert parse_user_date(text) == date(2025, 3, 5)


def test_leap_day():
    assert parse_user_date("2024-02-29") == date(2024, 2, 29)
    assert parse_user_date("2000年2月29日") == date(2000, 2, 29)


@pytest.mark.parametrize("text", ["2025-02-29", "1900-02-29", "2025-04-31", "2025-13-01", "20250230"])
def test_impossible_day_says_so(text):
    with pytest.raises(ValueError, match=f"日期不存在：{text}"):
        parse_user_date(text)


@pytest.mark.parametrize(
    "text",
    [
        "2025-03/05",
        "25-3-5",
        "3/5/2025",
        "2025-03",
        "明天",
        "2025年3月5日上午",
        "2025035",
        "2025--3-5",
    ],
)
def test_unrecognised_dates_explain_the_formats(text):
    with pytest.raises(ValueError, match="无法识别的日期.*2025-03-05"):
        parse_user_date(text)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_date(text):
    with pytest.raises(ValueError, match="请填写日期"):
        parse_user_date(text)


@pytest.mark.parametrize(
    "text", ["2025-03", "2025-3", "2025/3", "2025.3", "2025年3月", "2025年03月份", "202503", "２０２５／３"]
)
def test_month_formats_give_first_day(text):
    assert parse_month(text) == date(2025, 3, 1)


@pytest.mark.parametrize("text", ["2025-13", "2025年0月"])
def test_impossible_month(text):
    with pytest.raises(ValueError, match="月份不存在"):
        parse_month(text)


@pytest.mark.parametrize("text", ["", "2025", "2025-03-05", "三月"])
def test_unrecognised_month(text):
    with pytest.raises(ValueError, match="月份"):
        parse_month(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        # A year, however it is written, is the whole calendar year.
        ("2025", (date(2025, 1, 1), date(2025, 12, 31))),
        ("2024年", (date(2024, 1, 1), date(2024, 12, 31))),
        ("2025年度", (date(2025, 1, 1), date(2025, 12, 31))),
        # A month is the whole month, February's end knowing leap years.
        ("2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
        ("2025-02", (date(2025, 2, 1), date(2025, 2, 28))),
        ("1900年2月", (date(1900, 2, 1), date(1900, 2, 28))),
        ("2000/2", (date(2000, 2, 1), date(2000, 2, 29))),
        ("2025-04", (date(2025, 4, 1), date(2025, 4, 30))),
        ("2025-12", (date(2025, 12, 1), date(2025, 12, 31))),
    ],
)
def test_year_and_month_periods_are_whole(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text", ["2025Q4", "2025q4", "2025-Q4", "2025-q4", "2025年第四季度", "2025年第4季度", "２０２５Ｑ４"]
)
def test_fourth_quarter_ends_on_new_years_eve(text):
    assert parse_period(text) == (date(2025, 10, 1), date(2025, 12, 31))


@pytest.mark.parametrize(
    "quarter, expected",
    [
        (1, (date(2024, 1, 1), date(2024, 3, 31))),
        (2, (date(2024, 4, 1), date(2024, 6, 30))),
        (3, (date(2024, 7, 1), date(2024, 9, 30))),
    ],
)
def test_other_quarters(quarter, expected):
    assert parse_period(f"2024Q{quarter}") == expected


@pytest.mark.parametrize(
    "text",
    [
        "2025-01-01..2025-06-30",
        "2025/1/1~2025/6/30",
        "2025年1月1日至2025年6月30日",
        "20250101 .. 20250630",
        "2025.1.1..2025.6.30",
        "2025-01-01到2025-06-30",
    ],
)
def test_explicit_range_is_inclusive(text):
    assert parse_period(text) == (date(2025, 1, 1), date(2025, 6, 30))


def test_single_day_range():
    assert parse_period("2024-02-29..2024-02-29") == (date(2024, 2, 29), date(2024, 2, 29))


@pytest.mark.parametrize(
    "text", ["2025Q5", "2025Q0", "Q4", "2025H1", "25", "2025-01-01", "2025..2026..2027", "下季度"]
)
def test_unrecognised_periods(text):
    with pytest.raises(ValueError, match="无法识别"):
        parse_period(text)


@pytest.mark.parametrize(
    "text, reason",
    [
        pytest.param("2025-06-30..2025-01-01", "开始日期晚于结束日期", id="backwards range"),
        pytest.param("2025-01-01..2025-02-30", "日期不存在：2025-02-30", id="range with an impossible day"),
        pytest.param("2025-13", "月份不存在：2025-13", id="impossible month"),
        pytest.param(" ", "请填写期间", id="empty"),
    ],
)
def test_refused_period_says_why(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_period(text)
