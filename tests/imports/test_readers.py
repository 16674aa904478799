"""Reading ledger files: formats, headers as bureaus draw them, and bad input refused."""

from __future__ import annotations

from datetime import date

import pytest
from ledgers import encrypted_xlsx, messy_projects_xlsx, xlsx, zip_bomb

from crm.imports.headers import known_headers
from crm.imports.readers import FORMULA, ImportFileError, read_table

KNOWN = known_headers("projects")


def test_messy_xlsx_title_merged_two_row_header_blank_row_and_total():
    table = read_table(messy_projects_xlsx(), known_headers=KNOWN)
    assert table.kind == "xlsx"
    assert table.headers == ["项目名称", "投资主体", "计划投资(万元)", "签约日期", "合同编号", "项目进展"]
    # Sheet row numbers as the user sees them; the blank row 5 and the 合计 row 7 are gone.
    assert [row.number for row in table.rows] == [4, 6]
    assert table.rows[0].values == [
        "钛材深加工项目",
        "宝鸡钛谷新材料有限公司",
        "1.2亿",
        "2026年3月5日",
        "QS-2026-01",
        "已签约",
    ]


def test_gb18030_csv_is_detected():
    text = "项目名称,投资方,计划投资（万元）\n风电装备项目,西安某某能源有限公司,5000\n总计,,5000\n"
    table = read_table(text.encode("gb18030"), known_headers=KNOWN)
    assert (table.kind, table.encoding) == ("csv", "gb18030")
    assert table.rows[0].values == ["风电装备项目", "西安某某能源有限公司", "5000"]
    assert len(table.rows) == 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_csv_with_and_without_bom(encoding):
    table = read_table("项目名称,投资方\n甲项目,乙公司\n".encode(encoding), known_headers=KNOWN)
    assert table.headers == ["项目名称", "投资方"]
    assert table.rows[0].values == ["甲项目", "乙公司"]


def test_excel_dates_and_numbers_keep_their_types():
    table = read_table(
        xlsx([("项目名称", "签约日期", "计划投资"), ("甲", date(2026, 3, 5), 3000)]), known_headers=KNOWN
    )
    assert table.rows[0].values == ["甲", date(2026, 3, 5), 3000]


def test_formula_without_cached_value_is_marked():
    table = read_table(xlsx([("项目名称", "计划投资"), ("甲", "=1+2")]), known_headers=KNOWN)
    assert table.rows[0].values[1] is FORMULA


def test_header_rows_of_unknown_words_are_still_found():
    table = read_table("名字,金额\n甲,1\n".encode(), known_headers=KNOWN)
    assert table.headers == ["名字", "金额"]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"%PDF-1.7 a contract", "文件类型不支持"),
        (b"\x89PNG\r\n\x1a\n....", "文件类型不支持"),
        (b"PK\x03\x04 broken zip", "已损坏"),
        (encrypted_xlsx(), "设有打开密码"),
        (b"", "文件是空的"),
    ],
)
def test_bad_files_are_refused_in_chinese(data, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(data, known_headers=KNOWN)


def test_a_word_document_is_not_a_workbook():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(ImportFileError, match="不是 Excel/WPS 表格"):
        read_table(buffer.getvalue())


def test_too_large_is_refused_before_reading():
    with pytest.raises(ImportFileError, match="文件太大"):
        read_table(b"a,b\n" * 1000, max_bytes=1000)


def test_zip_bomb_is_refused_from_the_zip_directory():
    bomb = zip_bomb()
    assert len(bomb) < 2 * 1024 * 1024  # small on the wire, 300 MB unpacked
    with pytest.raises(ImportFileError, match="解压后过大"):
        read_table(bomb)


def test_a_dense_part_is_refused_by_its_ratio_even_under_the_size_limit():
    with pytest.raises(ImportFileError, match="压缩比异常"):
        read_table(zip_bomb(50 * 1024 * 1024))


def test_xls_from_ole_without_encryption_goes_to_xlrd_and_broken_is_refused():
    with pytest.raises(ImportFileError, match="已损坏"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
