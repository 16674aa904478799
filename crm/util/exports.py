"""Spreadsheet exports that open cleanly in Excel and WPS and cannot run formulas.

Every export in the product goes through here: lists of projects, funds,
commitments and reward lists are opened by bureau staff in Excel or WPS, so

* text that a spreadsheet would read as a formula is neutralised
  (OWASP "CSV injection": a leading ``'``),
* CSV is UTF-8 with a byte-order mark (or GB18030 on request) so Chinese
  text is not garbled, with CRLF line endings,
* XLSX keeps credit codes as text (an 18-digit code must not become
  ``9.1E+17``), money as numbers (not rounded strings) and dates as dates.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from typing import IO, Any
from urllib.parse import quote

from flask import Response, request, send_file
from flask_babel import gettext as _

from crm.core import clock

__all__ = [
    "Column",
    "Sheet",
    "content_disposition",
    "download",
    "download_as_asked",
    "neutralise",
    "stream_csv",
    "table_sheet",
    "write_csv",
    "write_sheet",
    "write_xlsx",
    "write_xlsx_stream",
]

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
_CSV_ENCODINGS = ("utf-8-sig", "gb18030")
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_COLUMN_WIDTH = 60
_MIN_COLUMN_WIDTH = 8


def neutralise(value: Any) -> Any:
    """Make a text cell safe from formula injection; leave everything else alone.

    Text starting with ``=``, ``+``, ``-``, ``@``, tab, CR or LF gets a single
    quote in front, so a spreadsheet shows it as text instead of running it.

    Examples
    --------
    >>> neutralise('=HYPERLINK("http://x","点击")')
    '\\'=HYPERLINK("http://x","点击")'
    >>> neutralise('-5'), neutralise('宁德时代'), neutralise(Decimal('-5.00'))
    ("'-5", '宁德时代', Decimal('-5.00'))
    """
    if isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS):
        return "'" + value
    return value


def _as_local_naive(value: datetime) -> datetime:
    # Spreadsheets have no time zones: a time is written as the bureau reads it, to the
    # minute, like the pages (a naive time is UTC, as the columns store it).
    return clock.local(value).replace(tzinfo=None, second=0, microsecond=0)


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return _as_local_naive(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(value)
    return neutralise(str(value))


def write_csv(
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    encoding: str = "utf-8-sig",
) -> bytes:
    """Return a CSV file as bytes.

    Parameters
    ----------
    headers : sequence
        The first row.
    rows : iterable of sequences
        Cells may be ``str``, ``int``, ``Decimal``, ``date``, ``datetime``,
        ``bool`` or ``None``; text is neutralised, ``None`` is empty, dates
        are ISO, datetimes are the bureau's wall clock to the minute (a naive
        one is UTC, as the columns store it).
    encoding : {'utf-8-sig', 'gb18030'}
        UTF-8 with a byte-order mark (Excel and WPS detect it), or GB18030 for
        old software that expects the national encoding.

    Examples
    --------
    >>> write_csv(['名称', '金额'], [['=1+1', Decimal('12.50')]])
    b"\\xef\\xbb\\xbf\\xe5\\x90\\x8d\\xe7\\xa7\\xb0,\\xe9\\x87\\x91\\xe9\\xa2\\x9d\\r\\n'=1+1,12.50\\r\\n"
    """
    return b"".join(stream_csv(headers, rows, encoding))


def stream_csv(
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    encoding: str = "utf-8-sig",
    rows_per_chunk: int = 500,
) -> Iterator[bytes]:
    """Yield the CSV file of :func:`write_csv` in chunks, for a streamed response.

    >>> b''.join(stream_csv(['名称'], [['甲'], ['=乙']], encoding='gb18030')).decode('gb18030').splitlines()
    ['名称', '甲', "'=乙"]
    """
    codec = encoding.lower().replace("_", "-")
    if codec not in _CSV_ENCODINGS:
        raise ValueError(_("不支持的编码：%(encoding)s", encoding=encoding))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_text(value) for value in headers])
    for number, row in enumerate(rows, start=1):
        writer.writerow([_csv_text(value) for value in row])
        if number % rows_per_chunk == 0:
            yield buffer.getvalue().encode(codec)
            # Only the first chunk carries the UTF-8 byte-order mark.
            codec = "utf-8" if codec == "utf-8-sig" else codec
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode(codec)


@dataclass
class Sheet:
    """One worksheet for :func:`write_xlsx`.

    ``text_columns`` holds header names or 0-based column indexes whose cells
    are always written as text (credit codes, contract numbers, phone numbers).
    """

    title: str
    headers: Sequence[Any]
    rows: Iterable[Sequence[Any]]
    text_columns: set[str | int] = field(default_factory=set)


@dataclass(frozen=True)
class Column:
    """One column of an export: its header beside how a record's cell is read.

    ``as_text`` columns are always written as text (credit codes, contract numbers, phones).
    """

    header: str
    cell: Callable[[Any], Any]
    as_text: bool = False


def table_sheet(title: str, columns: Sequence[Column], records: Iterable[Any]) -> Sheet:
    """A :class:`Sheet` of one row per record, one cell per column, read as the rows are written.

    >>> sheet = table_sheet('名单', [Column('名称', str.upper), Column('代码', len, as_text=True)], ['ab'])
    >>> sheet.headers, list(sheet.rows), sheet.text_columns
    (['名称', '代码'], [['AB', 2]], {'代码'})
    """
    cells = [column.cell for column in columns]  # read once: a sheet may have 50,000 rows
    return Sheet(
        title,
        [column.header for column in columns],
        ([cell(record) for cell in cells] for record in records),
        text_columns={column.header for column in columns if column.as_text},
    )


def _display_width(text: str) -> int:
    # CJK characters take two columns in Excel's default fonts.
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _sheet_title(title: str, used: set[str]) -> str:
    clean = _SHEET_TITLE_FORBIDDEN.sub("_", title or "").strip("'")[:31] or "Sheet"
    candidate, number = clean, 2
    while candidate.lower() in used:
        suffix = f"({number})"
        candidate, number = clean[: 31 - len(suffix)] + suffix, number + 1
    used.add(candidate.lower())
    return candidate


def decimal_places(value: Decimal) -> int:
    """The places a Decimal is shown with: 2 (万元 to the cent), more when it has them (an
    exchange rate's four), at most 4.

    >>> decimal_places(Decimal("540.01")), decimal_places(Decimal("7.1392")), decimal_places(Decimal("3"))
    (2, 4, 2)
    """
    exponent = value.as_tuple().exponent
    return min(max(-exponent, 2), 4) if isinstance(exponent, int) else 2


def _xlsx_cell(cell, value: Any, as_text: bool) -> str:
    """Fill ``cell`` and return the text its width should be judged by."""
    if value is None:
        return ""
    if as_text:
        text = _csv_text(value) if not isinstance(value, str) else neutralise(value)
        cell.value = _XLSX_ILLEGAL.sub("", text)
        cell.data_type = "s"
        cell.number_format = "@"
        return cell.value
    if isinstance(value, bool):
        cell.value = _("是") if value else _("否")
    elif isinstance(value, Decimal):
        places = decimal_places(value)
        cell.value = value
        cell.number_format = "0." + "0" * places
        return f"{value:.{places}f}"
    elif isinstance(value, (int, float)):
        cell.value = value
    elif isinstance(value, datetime):
        cell.value = _as_local_naive(value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return "0000-00-00 00:00"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
        return "0000-00-00"
    else:
        cell.value = _XLSX_ILLEGAL.sub("", neutralise(str(value)))
        # A leading '=' must never turn into a formula, even if neutralise changes.
        cell.data_type = "s"
    return str(cell.value)


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """Return an XLSX workbook as bytes, one worksheet per :class:`Sheet`.

    The header row is bold and frozen; column widths follow the content
    (CJK counted double, capped); ``Decimal`` cells stay exact numbers shown
    with two decimals; dates are real dates shown
    ``yyyy-mm-dd``; text cells are neutralised (see :func:`neutralise`).

    Examples
    --------
    >>> from openpyxl import load_workbook
    >>> data = write_xlsx([Sheet('项目', ['信用代码', '金额'],
    ...                          [['913501001234567890', Decimal('1234.5')]],
    ...                          text_columns={'信用代码'})])
    >>> row = load_workbook(io.BytesIO(data))['项目'][2]
    >>> row[0].value, row[0].number_format, row[1].value, row[1].number_format
    ('913501001234567890', '@', 1234.5, '0.00')
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    used_titles: set[str] = set()
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(_sheet_title(sheet.title, used_titles))
        headers = list(sheet.headers)
        text_indexes = {
            index
            for index, header in enumerate(headers)
            if index in sheet.text_columns or header in sheet.text_columns
        }
        widths = [0] * len(headers)
        for column, header in enumerate(headers, start=1):
            cell = worksheet.cell(row=1, column=column)
            shown = _xlsx_cell(cell, header, as_text=True)
            cell.font = bold
            widths[column - 1] = _display_width(shown)
        for row_number, row in enumerate(sheet.rows, start=2):
            for column, value in enumerate(row, start=1):
                cell = worksheet.cell(row=row_number, column=column)
                shown = _xlsx_cell(cell, value, as_text=(column - 1) in text_indexes)
                if column > len(widths):
                    widths.append(0)
                longest_line = max(shown.splitlines() or [""], key=_display_width)
                widths[column - 1] = max(widths[column - 1], _display_width(longest_line))
        for column, width in enumerate(widths, start=1):
            letter = get_column_letter(column)
            worksheet.column_dimensions[letter].width = min(
                max(width + 2, _MIN_COLUMN_WIDTH), _MAX_COLUMN_WIDTH
            )
        worksheet.freeze_panes = "A2"
    if not workbook.worksheets:
        workbook.create_sheet("Sheet")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def content_disposition(filename: str, inline: bool = False) -> str:
    """Return a ``Content-Disposition`` header value that keeps Chinese file names.

    Browsers that understand RFC 6266 / RFC 5987 use ``filename*`` (UTF-8,
    percent-encoded); the others fall back to an ASCII ``filename``.

    Examples
    --------
    >>> content_disposition('招商项目_2025.xlsx')
    'attachment; filename="2025.xlsx"; filename*=UTF-8\\'\\'%E6%8B%9B%E5%95%86%E9%A1%B9%E7%9B%AE_2025.xlsx'
    >>> content_disposition('奖励名单.csv')
    'attachment; filename="export.csv"; filename*=UTF-8\\'\\'%E5%A5%96%E5%8A%B1%E5%90%8D%E5%8D%95.csv'
    """
    # Path parts and control characters never belong in a download name.
    name = re.sub(r"[\x00-\x1f\x7f/\\]", "_", filename or "").strip() or "export"
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = re.sub(r'["%;]', "_", fallback).strip()
    stem, dot, extension = fallback.rpartition(".")
    if not dot:
        stem, extension = fallback, ""
    stem = stem.strip(" ._-") or "export"
    fallback = stem + (f".{extension}" if dot else "")
    encoded = quote(name, safe="!#$&+-.^_`|~")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


# --- large exports ------------------------------------------------------------------
# openpyxl keeps every cell in memory until it saves, so a province's 50,000 projects took
# 800 MB and half a minute; XlsxWriter's constant-memory mode writes each row to disk as
# it goes. Column widths are judged from the header and the first rows (they must be set
# before the first row is written).

WIDTH_SAMPLE_ROWS = 200


def _shown(value: Any, as_text: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal) and not as_text:
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return "0000-00-00 00:00"
    if isinstance(value, date):
        return "0000-00-00"
    return _csv_text(value)


def write_xlsx_stream(sheet: Sheet, target: IO[bytes]) -> int:
    """Write ``sheet`` as an XLSX workbook into the binary file ``target``; return the row count.

    Examples
    --------
    >>> import io
    >>> from openpyxl import load_workbook
    >>> buffer = io.BytesIO()
    >>> write_xlsx_stream(Sheet('项目', ['信用代码', '金额', '备注'],
    ...                         [['913501001234567890', Decimal('1234.5'), '=1+1']],
    ...                         text_columns={'信用代码'}), buffer)
    1
    >>> row = load_workbook(buffer)['项目'][2]
    >>> row[0].value, row[1].value, row[1].number_format, row[2].value
    ('913501001234567890', 1234.5, '0.00', "'=1+1")
    """
    from xlsxwriter import Workbook

    headers = [str(header) for header in sheet.headers]
    text_indexes = {
        index
        for index, header in enumerate(sheet.headers)
        if index in sheet.text_columns or header in sheet.text_columns
    }
    rows = iter(sheet.rows)
    sample = list(islice(rows, WIDTH_SAMPLE_ROWS))
    widths = [_display_width(header) for header in headers]
    for row in sample:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _display_width(_shown(value, index in text_indexes)))

    workbook = Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    formats = {
        "header": workbook.add_format({"bold": True}),
        "text": workbook.add_format({"num_format": "@"}),
        # Decimals by their places (decimal_places): 万元 to the cent, a rate to 4 places.
        **{
            f"decimal{places}": workbook.add_format({"num_format": "0." + "0" * places})
            for places in (2, 3, 4)
        },
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
    }
    worksheet = workbook.add_worksheet(_sheet_title(sheet.title, set()))
    for index, width in enumerate(widths):
        worksheet.set_column(index, index, min(max(width + 2, _MIN_COLUMN_WIDTH), _MAX_COLUMN_WIDTH))
    worksheet.freeze_panes(1, 0)
    for index, header in enumerate(headers):
        worksheet.write_string(0, index, header, formats["header"])
    count = 0
    for count, row in enumerate(chain(sample, rows), start=1):
        for index, value in enumerate(row):
            _write_cell(worksheet, count, index, value, index in text_indexes, formats)
    workbook.close()
    return count


def _write_cell(worksheet, row: int, column: int, value: Any, as_text: bool, formats: dict) -> None:
    if value is None:
        return
    if as_text:
        text = value if isinstance(value, str) else _csv_text(value)
        worksheet.write_string(row, column, _XLSX_ILLEGAL.sub("", neutralise(text)), formats["text"])
    elif isinstance(value, bool):
        worksheet.write_string(row, column, _("是") if value else _("否"))
    elif isinstance(value, Decimal):
        worksheet.write_number(row, column, float(value), formats[f"decimal{decimal_places(value)}"])
    elif isinstance(value, (int, float)):
        worksheet.write_number(row, column, value)
    elif isinstance(value, datetime):
        worksheet.write_datetime(row, column, _as_local_naive(value), formats["datetime"])
    elif isinstance(value, date):
        worksheet.write_datetime(row, column, value, formats["date"])
    else:
        worksheet.write_string(row, column, _XLSX_ILLEGAL.sub("", neutralise(str(value))))


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_sheet(kind: str, sheet: Sheet, target: IO[bytes], encoding: str = "utf-8-sig") -> None:
    """Write ``sheet`` into the binary file ``target`` as XLSX (``kind='xlsx'``) or CSV in
    ``encoding``: what a download sends and what ``chaincrm ... export`` saves."""
    if kind == "xlsx":
        write_xlsx_stream(sheet, target)
    else:
        for chunk in stream_csv(sheet.headers, sheet.rows, encoding=encoding):
            target.write(chunk)


def download(kind: str, sheet: Sheet, filename_stem: str, encoding: str = "utf-8-sig") -> Response:
    """``sheet`` as an XLSX (``kind='xlsx'``) or CSV download named ``filename_stem.kind``.

    The file is written to a temporary file inside the request, where the database
    session and tenant scope still hold (a streamed body would run after them), then sent;
    it is deleted when the response closes it. Memory stays flat whatever the row count.
    """
    body = tempfile.TemporaryFile(prefix="chaincrm-export-")  # noqa: SIM115 - send_file closes it
    write_sheet(kind, sheet, body, encoding)
    if kind == "xlsx":
        mimetype = XLSX_MIMETYPE
    else:
        mimetype = "text/csv; charset=" + ("GB18030" if encoding == "gb18030" else "utf-8")
    body.seek(0)
    response = send_file(body, mimetype=mimetype, conditional=False, etag=False)
    # Set whole: send_file would append a second charset to a text type.
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = content_disposition(f"{filename_stem}.{kind}")
    return response


def download_as_asked(sheet: Sheet, filename_stem: str) -> Response:
    """:func:`download` in the form the request asks for: ``?format=csv`` (else XLSX), and a
    CSV in ``?encoding=gb18030`` for old spreadsheet programs (else UTF-8 with a BOM)."""
    kind = "csv" if request.args.get("format") == "csv" else "xlsx"
    encoding = "gb18030" if request.args.get("encoding") == "gb18030" else "utf-8-sig"
    return download(kind, sheet, filename_stem, encoding)
