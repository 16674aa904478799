"""iCalendar (RFC 5545) feeds of all-day events: due dates, planned starts.

Staff subscribe to these from Outlook, WPS or a phone calendar, so the
output sticks to what every client accepts: CRLF line endings, lines folded
at 75 octets without splitting a UTF-8 character, TEXT values escaped, and a
UID that stays the same for the same item so updates replace, not duplicate.

>>> ics = build_calendar('到期承诺', [CalendarEvent('commitment-7', date(2025, 3, 5), '兑现：厂房补贴')],
...                      stamp=datetime(2025, 1, 1, tzinfo=UTC))
>>> print(ics.replace('\\r\\n', '\\n'), end='')
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//chaincrm//chaincrm//ZH
CALSCALE:GREGORIAN
METHOD:PUBLISH
X-WR-CALNAME:到期承诺
BEGIN:VEVENT
UID:commitment-7@chaincrm
DTSTAMP:20250101T000000Z
DTSTART;VALUE=DATE:20250305
DTEND;VALUE=DATE:20250306
SUMMARY:兑现：厂房补贴
TRANSP:TRANSPARENT
END:VEVENT
END:VCALENDAR
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

__all__ = ["CalendarEvent", "build_calendar", "escape_text", "fold_line"]

PRODID = "-//chaincrm//chaincrm//ZH"
_MAX_OCTETS = 75
_UID_DOMAIN = "chaincrm"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day event.

    Attributes
    ----------
    uid : str
        Stable per item, e.g. ``'commitment-7'``; ``@chaincrm`` is appended
        when it has no ``@``.
    day : datetime.date
        The day of the event.
    summary : str
        Title shown in the calendar.
    description : str, optional
        Longer text; newlines are kept.
    url : str, optional
        Link back to the record in chaincrm.
    """

    uid: str
    day: date
    summary: str
    description: str = ""
    url: str = ""


def escape_text(value: str) -> str:
    r"""Escape a TEXT value (RFC 5545 §3.3.11).

    >>> print(escape_text('A;B,C\\D\r\nE'))
    A\;B\,C\\D\nE
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets joined by CRLF + space.

    A continuation's leading space counts towards its 75 octets, and a
    multi-byte character is never split.

    >>> folded = fold_line('DESCRIPTION:' + '链' * 30)
    >>> [len(part.encode()) for part in folded.split('\\r\\n')]
    [75, 28]
    """
    parts: list[str] = []
    current, size = [], 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > _MAX_OCTETS:
            parts.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n".join(parts)


def _format_uid(uid: str) -> str:
    uid = _CONTROL.sub("", str(uid)).replace("\n", "")
    return uid if "@" in uid else f"{uid}@{_UID_DOMAIN}"


def _format_uri(url: str) -> str:
    # URL is a URI, not TEXT (RFC 5545 §3.3.13): its commas and semicolons are
    # literal, so TEXT escaping would break it. Percent-encoding spaces,
    # line breaks and non-ASCII keeps it one valid line.
    return quote(url.strip(), safe="!#$%&'()*+,/:;=?@[]~")


def build_calendar(
    name: str,
    events: Iterable[CalendarEvent],
    stamp: datetime | None = None,
) -> str:
    """Return a VCALENDAR with one all-day VEVENT per event.

    Parameters
    ----------
    name : str
        Calendar name shown by clients (``X-WR-CALNAME``).
    events : iterable of CalendarEvent
    stamp : datetime, optional
        ``DTSTAMP`` of every event; defaults to now. Naive values are taken as UTC.

    Returns
    -------
    str
        The calendar with CRLF line endings; encode it as UTF-8 and serve it
        as ``text/calendar; charset=utf-8``.
    """
    stamp = stamp or datetime.now(UTC)
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC)
    dtstamp = stamp.strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_format_uid(event.uid)}",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            # DTEND is exclusive: a one-day event ends the next day.
            f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if event.url:
            lines.append(f"URL:{_format_uri(event.url)}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)
