"""Read a bureau's ledger file into a header and numbered rows (pure: no Flask, no database).

The file's type is decided by its content, never its name: a zip holding ``xl/workbook.xml``
is an ``.xlsx`` (Excel, WPS), an OLE compound file is an ``.xls`` — or an encrypted
(password-protected) ``.xlsx``, which Office stores as an OLE file holding
``EncryptedPackage`` —, and anything that decodes as UTF-8 (with or without BOM) or GB18030
text is a CSV. Everything else, and every broken file, raises ``ImportFileError`` with a
Chinese message before anything is written.

A ledger as bureaus keep it has a title row or two above the header, header cells merged
across two rows (``签约`` over ``日期`` and ``合同编号``), blank rows, and a 合计 row at the
bottom; ``find_header`` and ``read_table`` take all of that in their stride.

>>> table = read_table("标题\\n\\n项目名称,投资方\\n甲,乙\\n合计,\\n".encode("gb18030"))
>>> table.headers, [(row.number, row.values) for row in table.rows]
(['项目名称', '投资方'], [(4, ['甲', '乙'])])
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_UNCOMPRESSED",
    "FORMULA",
    "ImportFileError",
    "Row",
    "Table",
    "detect_kind",
    "find_header",
    "read_table",
]

#: The largest ledger file accepted (``IMPORT_MAX_BYTES``). A web upload is also bounded by
#: ``MAX_CONTENT_LENGTH`` (16 MB), see ``crm.imports.limits``.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: The most a workbook may unpack to (``IMPORT_MAX_UNCOMPRESSED``): a 20,000-row ledger is ~10 MB.
DEFAULT_MAX_UNCOMPRESSED = 200 * 1024 * 1024
#: No honest spreadsheet part compresses better than this (repeated cell XML reaches ~30:1).
MAX_RATIO = 200
HEADER_SEARCH_ROWS = 30
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
FOOTER = re.compile(r"^(合计|總計|总计|合計|小计|小計|总合计)")


class _Formula(str):
    """The value of a cell holding a formula whose result was never saved."""


#: Stands in a row for a formula cell without a cached value (a row problem, not a value).
FORMULA = _Formula("=")


class ImportFileError(ValueError):
    """The file cannot be read as a ledger; the message says why, in Chinese."""


@dataclass
class Row:
    """One data row: ``number`` as the sheet shows it (1-based), ``values`` by column."""

    number: int
    values: list


@dataclass
class Table:
    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    kind: str = ""  # xlsx, xls or csv
    header_row: int = 0  # the sheet row of the (last) header line
    encoding: str = ""  # csv only


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def detect_kind(data: bytes) -> str:
    """``xlsx``, ``xls``, ``encrypted`` or ``csv`` from the first bytes; raises when none fits.

    >>> detect_kind(b"PK\\x03\\x04rest"), detect_kind("项目名称,投资方".encode("utf-8"))
    ('xlsx', 'csv')
    >>> detect_kind(b"%PDF-1.7 ...")
    Traceback (most recent call last):
    ...
    crm.imports.readers.ImportFileError: 文件类型不支持：这不是 Excel/WPS 表格（.xlsx、.xls）或 CSV 文件
    """
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        # An encrypted OOXML package names its streams in UTF-16 inside the OLE directory.
        if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
            return "encrypted"
        return "xls"
    if b"\x00" not in data[:4096] and not data.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8")):
        return "csv"
    raise ImportFileError(_("文件类型不支持：这不是 Excel/WPS 表格（.xlsx、.xls）或 CSV 文件"))


def read_table(
    data: bytes,
    *,
    known_headers: Iterable[str] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED,
) -> Table:
    """The first sheet of ``data`` as a ``Table``; ``known_headers`` help find the header row."""
    if not data:
        raise ImportFileError(_("文件是空的"))
    if len(data) > max_bytes:
        raise ImportFileError(
            _(
                "文件太大（%(size)s），导入文件不能超过 %(limit)s；请拆分后分批导入",
                size=_mb(len(data)),
                limit=_mb(max_bytes),
            )
        )
    known = {_header_text(h) for h in known_headers}
    kind = detect_kind(data)
    if kind == "encrypted":
        raise ImportFileError(
            _("工作簿设有打开密码，无法读取；请在 Excel/WPS 中取消密码后另存为 .xlsx 再导入")
        )
    if kind == "xlsx":
        rows, encoding = _xlsx_rows(data, max_uncompressed), ""
    elif kind == "xls":
        rows, encoding = _xls_rows(data), ""
    else:
        rows, encoding = _csv_rows(data)
    table = _tabulate(rows, known)
    table.kind, table.encoding = kind, encoding
    return table


# ---- the three formats -----------------------------------------------------------------


def _check_zip(data: bytes, max_uncompressed: int) -> None:
    """Refuse a zip bomb from the zip directory alone, before any part is inflated."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise ImportFileError(_("工作簿已损坏，无法读取（不是完整的 .xlsx 文件）")) from None
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise ImportFileError(_("文件类型不支持：这是压缩包或其他 Office 文件，不是 Excel/WPS 表格"))
    total = sum(m.file_size for m in members)
    if total > max_uncompressed:
        raise ImportFileError(
            _(
                "工作簿解压后过大（%(size)s，上限 %(limit)s），可能是恶意文件，已拒绝",
                size=_mb(total),
                limit=_mb(max_uncompressed),
            )
        )
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise ImportFileError(_("工作簿的压缩比异常（疑似“压缩炸弹”），已拒绝"))


def _xlsx_rows(data: bytes, max_uncompressed: int) -> Iterator[tuple[int, list]]:
    _check_zip(data, max_uncompressed)
    import openpyxl

    try:
        values_book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formula_book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged part
        raise ImportFileError(_("工作簿已损坏，无法读取；请用 Excel/WPS 打开后另存为 .xlsx 再导入")) from None
    return _xlsx_iter(values_book, formula_book)


def _xlsx_iter(values_book, formula_book) -> Iterator[tuple[int, list]]:
    try:
        values_sheet = values_book.worksheets[0]
        formula_sheet = formula_book.worksheets[0]
        pairs = zip(values_sheet.iter_rows(), formula_sheet.iter_rows())
        for values, formulas in pairs:
            number = next((c.row for c in values if getattr(c, "row", None)), None)
            row = []
            for cell, source in zip(values, formulas):
                value = cell.value
                if value is None and isinstance(source.value, str) and source.value.startswith("="):
                    value = FORMULA
                row.append(value)
            if number is not None:
                yield number, row
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError(_("工作簿已损坏，无法读取；请用 Excel/WPS 打开后另存为 .xlsx 再导入")) from None
    finally:
        values_book.close()
        formula_book.close()


def _xls_rows(data: bytes) -> Iterator[tuple[int, list]]:
    try:
        import xlrd
    except ImportError:  # pragma: no cover - xlrd is a dependency
        raise ImportFileError(_("不支持 .xls 文件，请另存为 .xlsx")) from None
    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception:
        raise ImportFileError(_("工作簿已损坏或设有密码，无法读取；请另存为 .xlsx 再导入")) from None
    sheet = book.sheet_by_index(0)

    def cell_value(cell):
        if cell.ctype == xlrd.XL_CELL_DATE:
            return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return None
        if cell.ctype == xlrd.XL_CELL_NUMBER and cell.value == int(cell.value):
            return int(cell.value)
        return cell.value

    return ((index + 1, [cell_value(c) for c in sheet.row(index)]) for index in range(sheet.nrows))


def decode_text(data: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (BOM or not) first, then GB18030.

    >>> decode_text("项目".encode("gb18030"))
    ('项目', 'gb18030')
    >>> decode_text("\\ufeff项目".encode("utf-8"))
    ('项目', 'utf-8-sig')
    """
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
            encoding = "utf-8"
        return text, ("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else encoding)
    raise ImportFileError(_("无法识别 CSV 文件的编码：请保存为 UTF-8 或 GB18030（GBK）编码"))


def _csv_rows(data: bytes) -> tuple[Iterator[tuple[int, list]], str]:
    text, encoding = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise ImportFileError(_("CSV 文件格式有误，无法读取")) from None
    return (
        (index + 1, [v if v.strip() else None for v in record]) for index, record in enumerate(records)
    ), encoding


# ---- finding the header ---------------------------------------------------------------


def _header_text(value) -> str:
    """A header cell as compared: no spaces or line breaks, half-width brackets.

    >>> _header_text(" 计划投资\\n（万元） ")
    '计划投资(万元)'
    """
    if value is None:
        return ""
    text = "".join(str(value).split())
    return text.replace("（", "(").replace("）", ")")


def _blank(values: list) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _filled(values: list) -> list[int]:
    return [i for i, v in enumerate(values) if not (v is None or (isinstance(v, str) and not v.strip()))]


def _looks_like_header(values: list, known: set[str]) -> bool:
    filled = _filled(values)
    if len(filled) < 2:
        return False
    if known and sum(1 for i in filled if _header_text(values[i]) in known) >= 2:
        return True
    return not known and all(isinstance(values[i], str) for i in filled)


def _continues_header(first: list, second: list, known: set[str]) -> bool:
    """Is ``second`` the lower line of a two-row header (cells merged in ``first``)?"""
    filled = _filled(second)
    if not filled or any(not isinstance(second[i], str) for i in filled):
        return False
    gaps = {i for i in range(len(second)) if i >= len(first) or first[i] is None}
    under_gap = any(i in gaps for i in filled)
    recognised = any(_header_text(second[i]) in known for i in filled)
    # A merged-across parent leaves blanks right of it; its children fill those columns.
    return under_gap or (recognised and len(filled) < len(_filled(first)))


def find_header(rows: list[tuple[int, list]], known: set[str]) -> tuple[int, list[str]]:
    """The index in ``rows`` of the first data row, and the column headers.

    Title rows (one filled cell) are skipped; two header lines are joined, the upper
    cell (merged across) carried right over the columns it spans:
    ``签约`` over ``日期`` and ``合同编号`` gives ``签约日期`` and ``签约合同编号``.

    >>> rows = [(1, ["2026年项目台账", None, None]), (2, ["项目名称", "签约", None]),
    ...         (3, [None, "日期", "合同编号"]), (4, ["甲", "2026-01-02", "H1"])]
    >>> find_header(rows, {"项目名称"})
    (3, ['项目名称', '签约日期', '签约合同编号'])
    """
    index = next(
        (i for i, (_n, v) in enumerate(rows[:HEADER_SEARCH_ROWS]) if _looks_like_header(v, known)), None
    )
    if index is None and known:  # no usual header at all: the first row of text cells
        index = next(
            (i for i, (_n, v) in enumerate(rows[:HEADER_SEARCH_ROWS]) if _looks_like_header(v, set())), None
        )
    if index is not None:
        values = rows[index][1]
        upper = list(values)
        following = rows[index + 1][1] if index + 1 < len(rows) else []
        if following and _continues_header(upper, following, known):
            width = max(len(upper), len(following))
            upper += [None] * (width - len(upper))
            lower = list(following) + [None] * (width - len(following))
            carried, headers = None, []
            for column in range(width):
                if upper[column] is not None:
                    carried = _header_text(upper[column])
                elif lower[column] is None:
                    carried = None
                parent = _header_text(upper[column]) or (carried or "")
                child = _header_text(lower[column])
                if child and child in known:
                    headers.append(child)
                else:
                    headers.append(parent + child if parent != child else parent)
            return index + 2, headers
        return index + 1, [_header_text(v) for v in upper]
    raise ImportFileError(_("没有找到表头行：请确认第一张工作表的表头在前 30 行内，且含“项目名称”等列名"))


def _tabulate(rows: Iterable[tuple[int, list]], known: set[str]) -> Table:
    rows = iter(rows)
    head = []
    for item in rows:
        head.append(item)
        if len(head) >= HEADER_SEARCH_ROWS + 1:
            break
    start, headers = find_header(head, known)
    while headers and not headers[-1]:
        headers.pop()
    table = Table(headers=headers, header_row=head[start - 1][0])
    width = len(headers)
    for number, values in _chain(head[start:], rows):
        if _blank(values):
            continue
        first = next((v for v in values if v is not None and str(v).strip()), "")
        if isinstance(first, str) and FOOTER.match("".join(first.split())):
            continue
        values = list(values[:width]) + [None] * (width - len(values))
        table.rows.append(Row(number, [_plain(v) for v in values]))
    return table


def _chain(first: list, rest: Iterator) -> Iterator:
    yield from first
    yield from rest


def _plain(value):
    """Strip text; keep numbers, dates and the formula marker as they are."""
    if isinstance(value, _Formula):
        return value
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    if isinstance(value, (int, float, date)) or value is None:
        return value
    return str(value)
