"""Ledger files as bureaus send them, built in memory for the import tests."""

from __future__ import annotations

import io
import zipfile

import openpyxl
from openpyxl.comments import Comment  # noqa: F401 - keeps openpyxl's writer parts loaded

USCC_A = "91110000600037341L"  # a valid credit code (crm/util/uscc.py's doctest)


def xlsx(rows, merges=()) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def messy_projects_xlsx() -> bytes:
    """A title row, a two-row header with merged cells, 亿/万 amounts, a blank row, a 合计 row."""
    rows = [
        ("岐山县2026年招商项目台账", None, None, None, None, None),
        ("项目名称", "投资主体", "计划投资（万元）", "签约", None, "项目进展"),
        (None, None, None, "日期", "合同编号", None),
        ("钛材深加工项目", "宝鸡钛谷新材料有限公司", "1.2亿", "2026年3月5日", "QS-2026-01", "已签约"),
        (None, None, None, None, None, None),
        ("果品冷链物流园", "陕西果业集团有限公司", "3,000万", None, None, "在谈"),
        ("合计", None, "=SUM(C4:C6)", None, None, None),
    ]
    return xlsx(rows, merges=("A1:F1", "A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:F3"))


def zip_bomb(size: int = 300 * 1024 * 1024) -> bytes:
    """A workbook-shaped zip whose one part inflates to ``size`` bytes of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                part.write(chunk)
    return buffer.getvalue()


def encrypted_xlsx() -> bytes:
    """The shape of a password-protected .xlsx: an OLE file naming EncryptedPackage."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    return header + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le")
