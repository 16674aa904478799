"""The workbooks the import hands out: a blank template per kind, and the dry run's problems
marked on the user's own rows (fill colour + a comment on each problem cell)."""

from __future__ import annotations

import io

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from crm.imports.headers import FIELDS, REQUIRED
from crm.imports.readers import Table
from crm.imports.services import Report

__all__ = ["problems_workbook", "template_workbook"]

PROBLEM_FILL = PatternFill("solid", fgColor="FFC7CE")


def template_workbook(kind: str) -> bytes:
    """One header row with the usual headers of ``kind`` (required ones in bold)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "导入模板"
    for column, (field_name, (label, _more)) in enumerate(FIELDS[kind].items(), start=1):
        cell = sheet.cell(row=1, column=column, value=label)
        cell.font = Font(bold=field_name in REQUIRED[kind])
        sheet.column_dimensions[cell.column_letter].width = max(12, 2 * len(label) + 2)
    return _save(book)


def problems_workbook(table: Table, report: Report) -> bytes:
    """The rows read, under their headers, each problem cell filled and commented."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "试导入结果"
    sheet.append(["原表行号", *table.headers, "问题"])
    columns = {header: index + 2 for index, header in enumerate(table.headers)}
    by_row: dict[int, list] = {}
    for problem in report.problems:
        by_row.setdefault(problem.row, []).append(problem)
    for line, row in enumerate(table.rows, start=2):
        problems = by_row.get(row.number, [])
        sheet.append([row.number, *[_shown(v) for v in row.values], "；".join(p.message for p in problems)])
        for problem in problems:
            cell = sheet.cell(row=line, column=columns.get(problem.column, len(table.headers) + 2))
            cell.fill = PROBLEM_FILL
            cell.comment = Comment(problem.message, "chaincrm")
    return _save(book)


def _shown(value):
    return value if value is None or isinstance(value, (int, float)) else str(value)


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
