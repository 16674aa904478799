"""A real .xls (BIFF8, written by xlwt as Excel 97–2003 and old WPS write it) imports like an
.xlsx: read by content through xlrd, merged title row skipped, number and date cells typed,
the dry run's report naming the sheet's own row numbers, and the commit creating the
projects through the upload pages."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import xlwt
from sqlalchemy import select

from crm.auth.models import User
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.imports import services
from crm.imports.headers import guess_mapping, known_headers
from crm.imports.readers import detect_kind, read_table
from crm.projects.models import Project

HEADER = ("项目名称", "投资方", "计划投资（万元）", "签约日期", "合同编号", "项目进展")


def projects_xls(amount_of_the_second: object = "3,000万") -> bytes:
    """A ledger as a county keeps it in Excel 97–2003: a merged title row, a number cell, a
    date cell, 亿/万 text, and a 合计 row."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("招商项目台账")
    day = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    sheet.write_merge(0, 0, 0, len(HEADER) - 1, "岐山县2026年招商项目台账")
    for column, text in enumerate(HEADER):
        sheet.write(1, column, text)
    sheet.write(2, 0, "钛材深加工项目")
    sheet.write(2, 1, "宝鸡钛谷新材料有限公司")
    sheet.write(2, 2, 12000)  # a number cell: 万元
    sheet.write(2, 3, date(2026, 3, 5), day)  # a date cell
    sheet.write(2, 4, "QS-2026-01")
    sheet.write(2, 5, "已签约")
    sheet.write(3, 0, "果品冷链物流园")
    sheet.write(3, 1, "陕西果业集团有限公司")
    sheet.write(3, 2, amount_of_the_second)
    sheet.write(3, 5, "在谈")
    sheet.write(4, 0, "合计")
    sheet.write(4, 2, 15000)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _dry_run(app, world, data: bytes):
    with app.test_request_context(), system_scope():
        importer = db.session.get(User, world.ids["a_staff"])
        table = read_table(data, known_headers=known_headers("projects"))
        report = services.run_import(
            table,
            "projects",
            guess_mapping("projects", table.headers),
            county_id=world.county_a,
            actor=importer,
        )
        db.session.rollback()
        written = db.session.execute(select(Project)).scalars().all()
        return table, report, written


def test_the_xls_is_read_and_its_dry_run_reports_rightly(app, world):
    data = projects_xls()
    assert detect_kind(data) == "xls"
    table, report, written = _dry_run(app, world, data)
    assert table.kind == "xls" and table.headers[:3] == ["项目名称", "投资方", "计划投资(万元)"]
    assert [row.number for row in table.rows] == [3, 4]  # the sheet's rows; 合计 left out
    assert (report.rows_total, report.created, report.problems) == (2, 2, [])
    assert report.companies_created == 2
    assert written == []  # a dry run writes nothing

    _table, report, _written = _dry_run(app, world, projects_xls(amount_of_the_second="五千万"))
    [problem] = report.problems
    assert (problem.row, problem.column, problem.value) == (4, "计划投资(万元)", "五千万")
    assert "无法识别的金额" in problem.message


def test_the_xls_commits_through_the_pages(app, world, client, auth):
    auth.login("a_staff")
    uploaded = client.post(
        "/imports/",
        data={"kind": "projects", "file": (io.BytesIO(projects_xls()), "台账.xls"), "mapping": ""},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302, uploaded.get_data(as_text=True)
    page = client.get(uploaded.headers["Location"]).get_data(as_text=True)
    assert "共 2 行：将新建 2" in page and "没有发现问题" in page
    form = {"kind": "projects", "sha": re.search(r'name="sha" value="(\w+)"', page)[1], "name": "台账.xls"}
    form.update(dict(re.findall(r'name="(col_\d+)">.*?value="(\w+)" selected', page, re.S)))
    done = client.post("/imports/review", data={**form, "action": "commit"})
    assert done.status_code == 302, done.get_data(as_text=True)
    with app.app_context(), system_scope():
        projects = {
            p.name: (p.stage, p.planned_investment_wan, p.signed_on, p.contract_no, p.county_id)
            for p in db.session.execute(select(Project)).scalars()
        }
    assert projects == {
        "钛材深加工项目": ("signed", Decimal("12000.00"), date(2026, 3, 5), "QS-2026-01", world.county_a),
        "果品冷链物流园": ("negotiating", Decimal("3000.00"), None, None, world.county_a),
    }
