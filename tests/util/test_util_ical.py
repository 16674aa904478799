from datetime import UTC, date, datetime, timedelta, timezone

from crm.util.ical import CalendarEvent, build_calendar, escape_text, fold_line

STAMP = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def _unfold(ics):
    return ics.replace("\r\n ", "")


def _lines(ics):
    assert ics.endswith("\r\n")
    return _unfold(ics).split("\r\n")[:-1]


def test_calendar_structure_and_crlf():
    ics = build_calendar("承诺到期", [CalendarEvent("c-1", date(2025, 12, 31), "兑现")], stamp=STAMP)
    assert "\n" not in ics.replace("\r\n", "")
    lines = _lines(ics)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    assert "X-WR-CALNAME:承诺到期" in lines
    assert "DTSTART;VALUE=DATE:20251231" in lines
    assert "DTEND;VALUE=DATE:20260101" in lines
    assert "DTSTAMP:20250102T030405Z" in lines
    assert "UID:c-1@chaincrm" in lines


def test_uid_is_stable_for_the_same_item():
    event = CalendarEvent("project-42-start", date(2025, 3, 5), "开工")
    first = build_calendar("x", [event], stamp=STAMP)
    later = build_calendar("x", [event], stamp=STAMP + timedelta(days=3))
    uid = [line for line in _lines(first) if line.startswith("UID:")]
    assert uid == [line for line in _lines(later) if line.startswith("UID:")]
    assert uid == ["UID:project-42-start@chaincrm"]


def test_uid_with_domain_is_kept():
    ics = build_calendar("x", [CalendarEvent("a@county.gov.cn", date(2025, 1, 1), "s")], stamp=STAMP)
    assert "UID:a@county.gov.cn" in _lines(ics)


def test_stamp_in_china_time_is_written_as_utc():
    stamp = datetime(2025, 1, 2, 8, 0, tzinfo=timezone(timedelta(hours=8)))
    ics = build_calendar("x", [CalendarEvent("a", date(2025, 1, 1), "s")], stamp=stamp)
    assert "DTSTAMP:20250102T000000Z" in _lines(ics)


def test_text_values_are_escaped():
    event = CalendarEvent(
        "a", date(2025, 1, 1), "签约; 投资, 5000万\\元", description="第一行\r\n第二行\n第三行"
    )
    lines = _lines(build_calendar("名称,含;符号", [event], stamp=STAMP))
    assert "SUMMARY:签约\\; 投资\\, 5000万\\\\元" in lines
    assert "DESCRIPTION:第一行\\n第二行\\n第三行" in lines
    assert "X-WR-CALNAME:名称\\,含\\;符号" in lines


def test_newline_in_summary_cannot_inject_a_property():
    event = CalendarEvent("a", date(2025, 1, 1), "标题\r\nATTENDEE:mailto:x@example.com")
    lines = _lines(build_calendar("x", [event], stamp=STAMP))
    assert not any(line.startswith("ATTENDEE") for line in lines)


def test_url_is_one_valid_line():
    event = CalendarEvent(
        "a", date(2025, 1, 1), "s", url="https://crm.local/projects/7?tab=承诺&x=1,2\r\nX-EVIL:1"
    )
    lines = _lines(build_calendar("x", [event], stamp=STAMP))
    url = [line for line in lines if line.startswith("URL:")]
    assert url == ["URL:https://crm.local/projects/7?tab=%E6%89%BF%E8%AF%BA&x=1,2%0D%0AX-EVIL:1"]
    assert not any(line.startswith("X-EVIL") for line in lines)


def test_long_chinese_description_is_folded_without_splitting_characters():
    description = "本项目为新能源汽车动力电池产业链配套项目，计划投资五亿元。" * 6
    ics = build_calendar("x", [CalendarEvent("a", date(2025, 1, 1), "长描述", description)], stamp=STAMP)
    physical = ics.split("\r\n")[:-1]
    for line in physical:
        encoded = line.encode("utf-8")
        assert len(encoded) <= 75
        encoded.decode("utf-8")  # each physical line is whole characters
    continuations = [line for line in physical if line.startswith(" ")]
    assert len(continuations) >= 5
    assert "DESCRIPTION:" + escape_text(description) in _lines(ics)


def test_fold_line_fills_lines_to_75_octets():
    folded = fold_line("SUMMARY:" + "a" * 200)
    parts = folded.split("\r\n")
    assert [len(part) for part in parts] == [75, 75, 60]  # 208 = 75 + 74 + 59
    assert all(part.startswith(" ") for part in parts[1:])
    assert fold_line("SHORT:x") == "SHORT:x"


def test_fold_line_with_mixed_widths():
    # 'SUMMARY:' is 8 octets; 'a链' is 4; a 75-octet limit leaves room for
    # 16 pairs (64) + 'a' (1) = 73, the next '链' would make 76.
    folded = fold_line("SUMMARY:" + "a链" * 40)
    first = folded.split("\r\n")[0]
    assert len(first.encode()) == 73
    assert _unfold(folded) == "SUMMARY:" + "a链" * 40


def test_empty_calendar_is_valid():
    lines = _lines(build_calendar("空", [], stamp=STAMP))
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "BEGIN:VEVENT" not in lines
