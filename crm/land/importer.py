"""Import a year's 亩均 data from a sheet (.xlsx or .csv) with fixed headers.

All or nothing: every row is checked; if any is wrong nothing is saved and each wrong row
is named. A firm already on record for the year is updated (the sheet is the newer word).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from crm.core.db import db
from crm.core.errors import ServiceError
from crm.land import services
from crm.land.models import EfficiencyRecord, Park

__all__ = ["HEADERS", "MAX_ROWS", "import_sheet", "read_rows"]

#: The sheet's first row, exactly (the template and the export's first columns).
HEADERS = (
    "园区",
    "企业名称",
    "统一社会信用代码",
    "用地面积（亩）",
    "增加值（万元）",
    "税收（万元）",
    "综合能耗（吨标煤）",
    "从业人数",
)
MAX_ROWS = 5000


def read_rows(filename: str, data: bytes) -> list[list]:
    """The sheet's rows (header first) as lists of cell values."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - any unreadable file is the same refusal
            raise ServiceError(_("无法读取该 Excel 文件")) from None
        sheet = book.worksheets[0]
        return [list(row) for _i, row in zip(range(MAX_ROWS + 2), sheet.iter_rows(values_only=True))]
    if filename.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ServiceError(_("无法识别 CSV 文件的编码（请用 UTF-8 或 GB18030）"))
        return list(csv.reader(io.StringIO(text)))[: MAX_ROWS + 2]
    raise ServiceError(_("请上传 .xlsx 或 .csv 文件"))


def _decimal(value):
    if value is None or str(value).strip() == "":
        return None
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return "bad"


def _int(value):
    number = _decimal(value)
    if isinstance(number, Decimal) and number == number.to_integral_value():
        return int(number)
    return "bad"


def import_sheet(county_id: int, year: int, rows: list[list]) -> int:
    """Save every data row for ``year``; answer how many. Raises ServiceError listing the
    wrong rows (by their row number in the sheet) and saves nothing then."""
    if not rows or tuple(str(c or "").strip() for c in rows[0][: len(HEADERS)]) != HEADERS:
        raise ServiceError(_("表头应为：%(headers)s", headers="、".join(HEADERS)))
    if len(rows) > MAX_ROWS + 1:
        raise ServiceError(_("一次最多导入 %(n)s 行", n=MAX_ROWS))
    parks = {p.name: p for p in db.session.execute(select(Park).where(Park.county_id == county_id)).scalars()}
    problems, saved, seen = [], 0, {}
    for number, row in enumerate(rows[1:], start=2):
        cells = (list(row) + [None] * len(HEADERS))[: len(HEADERS)]
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        park_name, firm = str(cells[0] or "").strip(), str(cells[1] or "").strip()
        values = {
            "park": parks.get(park_name),
            "year": year,
            "firm_name": firm,
            "uscc": str(cells[2] or "").strip(),
            "land_mu": _decimal(cells[3]),
            "value_added_wan": _decimal(cells[4]),
            "tax_wan": _decimal(cells[5]),
            "energy_tce": _decimal(cells[6]),
            "employees": _int(cells[7]),
        }
        existing = db.session.execute(
            select(EfficiencyRecord).where(
                EfficiencyRecord.county_id == county_id,
                EfficiencyRecord.year == year,
                EfficiencyRecord.firm_name == firm,
            )
        ).scalar_one_or_none()
        if firm and firm in seen:
            problems.append(
                _(
                    "第 %(n)s 行（%(firm)s）：与第 %(first)s 行是同一企业",
                    n=number,
                    firm=firm,
                    first=seen[firm],
                )
            )
            continue
        seen[firm] = number
        try:
            # Refused before anything is added (no savepoint: SQLite's driver would commit it).
            services.save_efficiency_record(county_id, values, existing)
            saved += 1
        except ServiceError as exc:
            if values["park"] is None:
                exc.errors["park_id"] = [_("本县没有名为“%(name)s”的园区", name=park_name)]
            details = "；".join(m for messages in exc.errors.values() for m in messages)
            problems.append(
                _("第 %(n)s 行（%(firm)s）：%(details)s", n=number, firm=firm or "—", details=details)
            )
    if problems:
        raise ServiceError(_("导入未完成，请修正以下行后重新上传"), {"sheet": problems})
    return saved
