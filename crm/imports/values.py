"""Cell values as bureaus write them, read into the application's types (pure functions).

Each reader takes what a spreadsheet cell holds (text, a number, a date) and returns the
value, or raises ``ValueError`` with a Chinese message saying what is wrong.

>>> read_amount("1.2亿"), read_date("2026年3月5日", today=date(2026, 12, 4)), read_stage("已签约")
(Decimal('12000.0'), datetime.date(2026, 3, 5), 'signed')
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal

from crm.projects.models import ALL_STAGES, STAGE_LABELS
from crm.util.dates import parse_month, parse_user_date
from crm.util.money import parse_wan
from crm.util.uscc import normalise_uscc, validate_uscc

__all__ = [
    "STAGE_WORDS",
    "read_amount",
    "read_count",
    "read_date",
    "read_month",
    "read_number",
    "read_stage",
    "read_text",
    "read_uscc",
]

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 counting Excel's phantom 29 Feb 1900
# Serial numbers read as dates only inside 1954-10-04 .. 2173-10-14: a bare 3000 is not a date.
SERIALS = range(20000, 100000)

#: How bureaus write a stage → the stage code (docs/design.md, "Ledger import").
STAGE_WORDS = {
    **{label: code for code, label in STAGE_LABELS.items()},
    **{code: code for code in ALL_STAGES},
    "线索": "lead",
    "信息": "lead",
    "项目信息": "lead",
    "初步接触": "contacted",
    "已对接": "contacted",
    "对接中": "contacted",
    "接洽": "contacted",
    "考察": "visited",
    "已考察": "visited",
    "实地考察": "visited",
    "在谈": "negotiating",
    "洽谈": "negotiating",
    "洽谈中": "negotiating",
    "在洽谈": "negotiating",
    "商谈": "negotiating",
    "签约": "signed",
    "已签约": "signed",
    "签订协议": "signed",
    "已签订": "signed",
    "注册": "registered",
    "已注册": "registered",
    "注册落地": "registered",
    "落地": "registered",
    "已落地": "registered",
    "开工": "started",
    "已开工": "started",
    "在建": "started",
    "建设中": "started",
    "投产": "producing",
    "已投产": "producing",
    "竣工投产": "producing",
    "搁置": "on_hold",
    "暂缓": "on_hold",
    "暂停": "on_hold",
    "终止": "lost",
    "已终止": "lost",
    "放弃": "lost",
    "流失": "lost",
}


def read_text(value) -> str | None:
    """Text of a cell, spaces trimmed; a whole number stays without ``.0``. The quote our
    exports put before text a spreadsheet would run as a formula (``crm.util.exports.neutralise``)
    is taken off again, so an exported ``+86 …`` phone number comes back as it was.

    >>> read_text(" 张三 "), read_text(13800000000.0), read_text(None)
    ('张三', '13800000000', None)
    >>> read_text("'+86 29 8888 6666"), read_text("'=1+1"), read_text("'引号'")
    ('+86 29 8888 6666', '=1+1', "'引号'")
    """
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    return text or None


def read_amount(value) -> Decimal:
    """An amount in 万元: ``1.2亿``, ``3,000万``, ``3000万元``, ``3000`` or a number cell.

    >>> read_amount("3,000万"), read_amount("3000万元"), read_amount(3000), read_amount(1.5)
    (Decimal('3000'), Decimal('3000'), Decimal('3000'), Decimal('1.5'))
    >>> read_amount("3000元")
    Traceback (most recent call last):
    ...
    ValueError: 金额以万元为单位：“3000元”请换算成万元（或写成“…万”）
    """
    return parse_wan(value)


def read_date(value, *, today: date, evidence: bool = True) -> date:
    """A date: ``2026年3月5日``, ``2026/3/5``, ``2026-03-05``, ``2026.3.5``, a date cell or an
    Excel serial number. An evidence date (signing, funds, follow-up) may not be after ``today``.

    >>> today = date(2026, 12, 4)
    >>> read_date("2026.3.5", today=today), read_date(46086, today=today)
    (datetime.date(2026, 3, 5), datetime.date(2026, 3, 5))
    >>> read_date("2027-01-01", today=today)
    Traceback (most recent call last):
    ...
    ValueError: 日期 2027-01-01 晚于今天（2026-12-04），不能是将来的日期
    """
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if int(value) not in SERIALS:
            raise ValueError(f"无法识别的日期“{read_text(value)}”，请写成 2026-03-05 或 2026年3月5日")
        found = EXCEL_EPOCH + timedelta(days=int(value))
    else:
        text = read_text(value) or ""
        if text.isdigit() and len(text) == 5:  # a serial number kept as text by a CSV export
            return read_date(int(text), today=today, evidence=evidence)
        found = parse_user_date(text)
    if evidence and found > today:
        raise ValueError(f"日期 {found.isoformat()} 晚于今天（{today.isoformat()}），不能是将来的日期")
    return found


def read_month(value, *, today: date) -> date:
    """A month (its first day): ``2026年3月``, ``2026-03``, ``202603``, a date cell; not after
    this month.

    >>> read_month("2026年3月", today=date(2026, 12, 4)), read_month(date(2026, 3, 17), today=date(2026, 12, 4))
    (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1))
    """
    if isinstance(value, (date, datetime)) or (isinstance(value, (int, float)) and int(value) in SERIALS):
        found = read_date(value, today=today, evidence=False).replace(day=1)
    else:
        text = read_text(value) or ""
        try:
            found = parse_month(text)
        except ValueError:
            found = parse_user_date(text).replace(day=1)
    if found > today.replace(day=1):
        raise ValueError(f"月份 {found:%Y-%m} 在将来，不能登记将来月份的资金")
    return found


def read_stage(value) -> str:
    """The stage code of a stage as bureaus write it.

    >>> [read_stage(w) for w in ("在谈", "已开工", "已投产", "洽谈中", "考察", "线索")]
    ['negotiating', 'started', 'producing', 'negotiating', 'visited', 'lead']
    >>> read_stage("谈了一半")
    Traceback (most recent call last):
    ...
    ValueError: 无法识别的阶段“谈了一半”，可填：线索、对接、考察、洽谈（在谈）、签约、注册落地、开工、投产、搁置、终止
    """
    text = unicodedata.normalize("NFKC", read_text(value) or "")
    key = "".join(text.split()).rstrip("阶段") or text
    if key in STAGE_WORDS:
        return STAGE_WORDS[key]
    if key.lower() in STAGE_WORDS:
        return STAGE_WORDS[key.lower()]
    raise ValueError(
        f"无法识别的阶段“{text}”，可填：线索、对接、考察、洽谈（在谈）、签约、注册落地、开工、投产、搁置、终止"
    )


def read_count(value) -> int:
    """A whole number of people: ``120``, ``120人``, ``1,200``.

    >>> read_count("1,200人"), read_count(35.0)
    (1200, 35)
    """
    text = (
        "".join(unicodedata.normalize("NFKC", read_text(value) or "").split())
        .replace(",", "")
        .removesuffix("人")
    )
    if not text.isdigit():
        raise ValueError(f"应为整数（人数）：“{read_text(value)}”")
    return int(text)


def read_number(value) -> Decimal:
    """A plain number such as an area in 亩: ``85``, ``85.5亩``, ``1,200``.

    >>> read_number("85.5亩"), read_number(12)
    (Decimal('85.5'), Decimal('12'))
    """
    text = (
        "".join(unicodedata.normalize("NFKC", read_text(value) or "").split())
        .replace(",", "")
        .removesuffix("亩")
    )
    try:
        number = Decimal(text)
    except ArithmeticError:
        raise ValueError(f"应为数字：“{read_text(value)}”") from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"应为不小于 0 的数字：“{read_text(value)}”")
    return number


def read_uscc(value) -> str:
    """A 统一社会信用代码 checked by the application's validator (crm/util/uscc.py).

    >>> read_uscc(" 91110000600037341L ")
    '91110000600037341L'
    >>> read_uscc("9111000060003734")
    Traceback (most recent call last):
    ...
    ValueError: 统一社会信用代码有误：长度应为18位，实际为16位
    """
    code = normalise_uscc(read_text(value))
    result = validate_uscc(code)
    if result.errors:
        raise ValueError("统一社会信用代码有误：" + "；".join(result.errors))
    return result.code
