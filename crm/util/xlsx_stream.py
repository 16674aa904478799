"""Large XLSX exports written in constant memory (XlsxWriter), with the same cell rules
as :func:`crm.util.exports.write_xlsx`: text neutralised and never a formula, credit codes
as text, money as numbers with two decimals, dates as dates in China time.

openpyxl keeps every cell of the workbook in memory until it saves, so a province's
50,000 projects took 800 MB and half a minute; here each row goes to disk as it is
written and memory stays flat whatever the row count. Column widths are judged from the
header and the first rows (they must be set before the first row is written).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import IO, Any

from flask_babel import gettext as _

from crm.util.exports import (
    _MAX_COLUMN_WIDTH,
    _MIN_COLUMN_WIDTH,
    _XLSX_ILLEGAL,
    Sheet,
    _as_local_naive,
    _csv_text,
    _display_width,
    _sheet_title,
    neutralise,
)

WIDTH_SAMPLE_ROWS = 200


def _shown(value: Any, as_text: bool) -> str:
    if value is None:
        return ''
    if isinstance(value, Decimal) and not as_text:
        return f'{value:.2f}'
    if isinstance(value, datetime):
        return '0000-00-00 00:00'
    if isinstance(value, date):
        return '0000-00-00'
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
    text_indexes = {index for index, header in enumerate(sheet.headers)
                    if index in sheet.text_columns or header in sheet.text_columns}
    rows = iter(sheet.rows)
    sample = list(islice(rows, WIDTH_SAMPLE_ROWS))
    widths = [_display_width(header) for header in headers]
    for row in sample:
        for index, value in enumerate(row[:len(widths)]):
            widths[index] = max(widths[index], _display_width(_shown(value, index in text_indexes)))

    workbook = Workbook(target, {'constant_memory': True, 'strings_to_formulas': False,
                                 'strings_to_urls': False, 'strings_to_numbers': False})
    formats = {
        'header': workbook.add_format({'bold': True}),
        'text': workbook.add_format({'num_format': '@'}),
        'money': workbook.add_format({'num_format': '0.00'}),
        'date': workbook.add_format({'num_format': 'yyyy-mm-dd'}),
        'datetime': workbook.add_format({'num_format': 'yyyy-mm-dd hh:mm'}),
    }
    worksheet = workbook.add_worksheet(_sheet_title(sheet.title, set()))
    for index, width in enumerate(widths):
        worksheet.set_column(index, index, min(max(width + 2, _MIN_COLUMN_WIDTH), _MAX_COLUMN_WIDTH))
    worksheet.freeze_panes(1, 0)
    for index, header in enumerate(headers):
        worksheet.write_string(0, index, header, formats['header'])
    count = 0
    for count, row in enumerate(_chain(sample, rows), start=1):
        for index, value in enumerate(row):
            _write_cell(worksheet, count, index, value, index in text_indexes, formats)
    workbook.close()
    return count


def _chain(first: Sequence, rest: Iterable) -> Iterable:
    yield from first
    yield from rest


def _write_cell(worksheet, row: int, column: int, value: Any, as_text: bool, formats: dict) -> None:
    if value is None:
        return
    if as_text:
        text = value if isinstance(value, str) else _csv_text(value)
        worksheet.write_string(row, column, _XLSX_ILLEGAL.sub('', neutralise(text)), formats['text'])
    elif isinstance(value, bool):
        worksheet.write_string(row, column, _('是') if value else _('否'))
    elif isinstance(value, Decimal):
        worksheet.write_number(row, column, float(value), formats['money'])
    elif isinstance(value, (int, float)):
        worksheet.write_number(row, column, value)
    elif isinstance(value, datetime):
        worksheet.write_datetime(row, column, _as_local_naive(value), formats['datetime'])
    elif isinstance(value, date):
        worksheet.write_datetime(row, column, value, formats['date'])
    else:
        worksheet.write_string(row, column, _XLSX_ILLEGAL.sub('', neutralise(str(value))))
