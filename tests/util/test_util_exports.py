import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from crm.util.exports import Sheet, content_disposition, neutralise, write_csv, write_xlsx

TRIGGERS = ["=", "+", "-", "@", "\t", "\r", "\n"]


@pytest.mark.parametrize("lead", TRIGGERS)
def test_neutralise_prefixes_each_trigger(lead):
    assert neutralise(lead + "SUM(A1:A9)") == "'" + lead + "SUM(A1:A9)"


@pytest.mark.parametrize(
    "value",
    [
        "宁德时代",
        "A=1",
        " '=1",
        42,
        -3,
        Decimal("-5.00"),
        1.5,
        date(2025, 3, 5),
        None,
        True,
    ],
)
def test_neutralise_leaves_harmless_and_non_text_values(value):
    assert neutralise(value) == value


def _read_csv(data, encoding="utf-8-sig"):
    return list(csv.reader(io.StringIO(data.decode(encoding), newline="")))


def test_csv_starts_with_utf8_bom_and_uses_crlf():
    data = write_csv(["企业名称", "计划投资（万元）"], [["宁德时代", Decimal("5000.00")]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 2
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert data[3:].decode("utf-8") == "企业名称,计划投资（万元）\r\n宁德时代,5000.00\r\n"


def test_csv_gb18030_round_trip():
    rows = [
        ["福建三钢闽光股份有限公司", "91350000158145402K", Decimal("12000.50")],
        ["𠮷野家（罕用字）", "", None],
    ]
    data = write_csv(["名称", "信用代码", "金额"], rows, encoding="gb18030")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert "福建".encode("gb18030") in data
    assert _read_csv(data, "gb18030") == [
        ["名称", "信用代码", "金额"],
        ["福建三钢闽光股份有限公司", "91350000158145402K", "12000.50"],
        ["𠮷野家（罕用字）", "", ""],
    ]


def test_csv_rejects_other_encodings():
    with pytest.raises(ValueError, match="不支持的编码"):
        write_csv(["a"], [], encoding="latin-1")


@pytest.mark.parametrize("lead", TRIGGERS)
def test_csv_neutralises_each_trigger(lead):
    data = write_csv(["备注"], [[lead + "cmd|/C calc!A0"]])
    assert _read_csv(data)[1] == ["'" + lead + "cmd|/C calc!A0"]


def test_csv_formats_values_as_a_user_expects():
    data = write_csv(
        ["a", "b", "c", "d", "e", "f", "g"],
        [
            [
                Decimal("-12.50"),
                date(2025, 3, 5),
                datetime(2025, 3, 4, 16, 30, tzinfo=UTC),
                None,
                True,
                7,
                'x,"y"\nz',
            ]
        ],
    )
    assert _read_csv(data)[1] == ["-12.50", "2025-03-05", "2025-03-05 00:30", "", "是", "7", 'x,"y"\nz']


def _load(data):
    return load_workbook(io.BytesIO(data))


def test_xlsx_codes_are_text_money_is_numeric_dates_are_dates():
    data = write_xlsx(
        [
            Sheet(
                title="招商项目",
                headers=["统一社会信用代码", "企业名称", "计划投资（万元）", "签约日期", "合同号"],
                rows=[
                    ["911100001000000001", "某某科技有限公司", Decimal("1234.5"), date(2025, 3, 5), 20250001]
                ],
                text_columns={"统一社会信用代码", 4},
            )
        ]
    )
    sheet = _load(data)["招商项目"]
    code, name, money, signed, contract = sheet[2]
    assert code.value == "911100001000000001"
    assert code.number_format == "@"
    assert contract.value == "20250001"
    assert contract.number_format == "@"
    assert name.value == "某某科技有限公司"
    assert money.value == 1234.5
    assert money.data_type == "n"
    assert money.number_format == "0.00"
    assert signed.value == datetime(2025, 3, 5)
    assert signed.is_date
    assert signed.number_format == "yyyy-mm-dd"


def test_xlsx_header_is_bold_and_frozen():
    sheet = _load(write_xlsx([Sheet("s", ["名称", "金额"], [["a", 1]])]))["s"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold


@pytest.mark.parametrize("lead", TRIGGERS)
def test_xlsx_neutralises_each_trigger_in_plain_and_text_columns(lead):
    payload = lead + 'HYPERLINK("http://evil","点我")'
    data = write_xlsx([Sheet("s", ["备注", "代码"], [[payload, payload]], text_columns={1})])
    sheet = _load(data)["s"]
    for cell in sheet[2]:
        # XML parsers read a bare CR back as LF; what matters is the quote.
        assert cell.value == "'" + payload.replace("\r", "\n")
        assert cell.data_type == "s"


def test_xlsx_header_cells_are_neutralised_too():
    sheet = _load(write_xlsx([Sheet("s", ["=cmd"], [])]))["s"]
    assert sheet["A1"].value == "'=cmd"


def test_xlsx_column_widths_count_cjk_double_and_are_capped():
    sheet = _load(
        write_xlsx(
            [
                Sheet(
                    "s",
                    ["名称", "id", "备注"],
                    [
                        ["宁德时代新能源科技股份有限公司", 1, "长" * 200],
                    ],
                )
            ]
        )
    )["s"]
    assert sheet.column_dimensions["A"].width == 2 * 15 + 2
    assert sheet.column_dimensions["B"].width == 8
    assert sheet.column_dimensions["C"].width == 60


def test_xlsx_several_sheets_with_awkward_titles():
    data = write_xlsx(
        [
            Sheet("2025/Q1: 名单", ["a"], [[1]]),
            Sheet("2025/Q1: 名单", ["a"], [[2]]),
            Sheet("一" * 40, ["a"], [[3]]),
        ]
    )
    workbook = _load(data)
    assert workbook.sheetnames == ["2025_Q1_ 名单", "2025_Q1_ 名单(2)", "一" * 31]
    assert workbook["2025_Q1_ 名单(2)"]["A2"].value == 2


def test_xlsx_strips_control_characters_instead_of_failing():
    sheet = _load(write_xlsx([Sheet("s", ["a"], [["坏\x01字符"]])]))["s"]
    assert sheet["A2"].value == "坏字符"


def test_xlsx_with_no_sheets_is_still_a_workbook():
    assert _load(write_xlsx([])).sheetnames == ["Sheet"]


def test_content_disposition_keeps_chinese_name():
    header = content_disposition("2025年奖励名单.xlsx")
    assert header == (
        'attachment; filename="2025.xlsx"; '
        "filename*=UTF-8''2025%E5%B9%B4%E5%A5%96%E5%8A%B1%E5%90%8D%E5%8D%95.xlsx"
    )
    header.encode("latin-1")  # must be sendable as an HTTP header


def test_content_disposition_ascii_name_unchanged():
    assert content_disposition("projects-2025.csv", inline=True) == (
        "inline; filename=\"projects-2025.csv\"; filename*=UTF-8''projects-2025.csv"
    )


def test_content_disposition_cannot_inject_header_or_path():
    header = content_disposition('../a"b\r\nSet-Cookie: x=1;.csv')
    assert "\r" not in header and "\n" not in header
    fallback = header.split('filename="')[1].split('"')[0]
    assert '"' not in fallback and ";" not in fallback and "/" not in fallback
    assert "filename*=UTF-8''" in header
    assert "/" not in header.split("''")[1]


def test_a_stored_time_is_exported_as_the_bureau_reads_it_to_the_minute():
    stored = datetime(2025, 3, 4, 16, 30, 59, 500000)  # naive UTC, as the columns hold it
    assert _read_csv(write_csv(["时间"], [[stored]]))[1] == ["2025-03-05 00:30"]
    cell = _load(write_xlsx([Sheet("s", ["时间"], [[stored]])]))["s"]["A2"]
    assert cell.value == datetime(2025, 3, 5, 0, 30)
    assert cell.number_format == "yyyy-mm-dd hh:mm"
