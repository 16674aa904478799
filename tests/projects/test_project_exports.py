"""Exports of the filtered project list, read back as a spreadsheet program would."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import openpyxl
import pytest


@pytest.fixture
def exported(project_maker, client, auth):
    project_maker.make(
        name="=1+2", planned_investment_wan="1234.5", contract_no="-HT-01", source_channel="expo"
    )
    project_maker.make(name="@SUM(A1)项目", planned_investment_wan="99", source_channel="online")
    auth.login("a_staff")
    return client


def test_xlsx_export_is_formula_safe_with_credit_codes_as_text(exported, project_maker):
    response = exported.get("/projects/export.xlsx?sort=amount&dir=desc")
    assert response.status_code == 200
    assert "filename*=UTF-8''" + quote("招商项目_") in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[0]
    assert headers[2] == "项目名称" and "投资方统一社会信用代码" in headers
    first = dict(zip(headers, rows[1]))
    assert first["项目名称"] == "'=1+2"
    assert sheet.cell(row=2, column=3).data_type == "s"
    assert first["计划投资（万元）"] == 1234.5
    code_cell = sheet.cell(row=2, column=headers.index("投资方统一社会信用代码") + 1)
    assert code_cell.data_type == "s" and code_cell.value == investor_uscc(project_maker)
    assert dict(zip(headers, rows[2]))["项目名称"] == "'@SUM(A1)项目"


def investor_uscc(project_maker):
    from crm.companies.models import Company
    from crm.core.db import db
    from crm.core.tenancy import system_scope

    with project_maker.app.test_request_context(), system_scope():
        return db.session.get(Company, project_maker.investor_id).uscc


@pytest.mark.parametrize("query, encoding", [("", "utf-8-sig"), ("&encoding=gb18030", "gb18030")])
def test_csv_export_in_both_encodings_of_the_filtered_list(exported, query, encoding):
    response = exported.get("/projects/export.csv?source=expo" + query)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    if encoding == "utf-8-sig":
        assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode(encoding))))
    assert rows[0][:3] == ["编号", "所属县区", "项目名称"]
    assert len(rows) == 2  # the filter (招商方式 = 展会) left out the online project
    record = dict(zip(rows[0], rows[1]))
    assert record["项目名称"] == "'=1+2" and record["合同编号"] == "'-HT-01"
    assert record["所属县区"] == "岐山县" and record["阶段"] == "线索"
