"""亩均效益 through the pages: entry, import, the table with classes, the rules a manager
sets, low-efficiency history, the export; roles and another county's ids."""

import io
import re
import zipfile

from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.land.importer import HEADERS
from crm.land.models import EfficiencyRecord

RULES = {
    "benchmark_tax_per_mu": "10",
    "benchmark_va_per_mu": "50",
    "benchmark_labour": "25",
    "benchmark_energy": "5",
    "weight_tax": "40",
    "weight_va": "30",
    "weight_labour": "20",
    "weight_energy": "10",
    "threshold_a": "100",
    "threshold_b": "80",
    "threshold_c": "60",
    "score_cap": "150",
    "min_land_mu": "5",
}


def _rows(app):
    with app.app_context(), system_scope():
        return {
            (r.county_id, r.year, r.firm_name): r
            for r in db.session.execute(select(EfficiencyRecord)).scalars()
        }


def _csv(lines):
    return io.BytesIO(("\n".join([",".join(HEADERS), *lines]) + "\n").encode("utf-8-sig"))


def test_manager_sets_rules_and_the_table_classes_by_them(app, client, auth, land_ids):
    auth.login("a_staff")
    assert client.get("/land/efficiency/rules").status_code == 403
    auth.logout()
    auth.login("a_manager")
    wrong = client.post("/land/efficiency/rules", data=dict(RULES, weight_energy="20"))
    assert wrong.status_code == 422 and "四项权重之和应为 100（现为 110）" in wrong.get_data(as_text=True)
    assert client.post("/land/efficiency/rules", data=RULES).status_code == 302
    page = client.get("/land/efficiency?year=2025").get_data(as_text=True)
    # a县宏达机械: 10 亩, VA 500, tax 100, energy 100, 20 people → 100, 100, 100, 100 → A (100.00)
    assert 'data-firm="a县宏达机械" data-grade="A"' in page and "100.00" in page
    assert "b县宏达机械" not in page


def test_staff_imports_a_csv_sheet_all_or_nothing(app, client, auth, land_ids, world):
    auth.login("a_staff")
    bad = client.post(
        "/land/efficiency/import",
        data={
            "year": "2025",
            "sheet": (_csv(["a开发区,甲企业,,12,600,120,100,30", "b开发区,乙企业,,8,1,1,1,x"]), "亩均.csv"),
        },
        content_type="multipart/form-data",
    )
    body = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "第 3 行（乙企业）" in body and "本县没有名为“b开发区”的园区" in body
    assert (world.county_a, 2025, "甲企业") not in _rows(app)
    good = client.post(
        "/land/efficiency/import",
        data={
            "year": "2025",
            "sheet": (
                _csv(["a开发区,甲企业,,12,600,120,100,30", "a开发区,a县宏达机械,,11,500,100,0,0"]),
                "亩均.csv",
            ),
        },
        content_type="multipart/form-data",
    )
    assert good.status_code == 302
    rows = _rows(app)
    assert rows[world.county_a, 2025, "甲企业"].employees == 30
    assert rows[world.county_a, 2025, "a县宏达机械"].land_mu == 11  # updated, not doubled


def test_import_xlsx_and_export_xlsx(app, client, auth, land_ids):
    book = Workbook()
    book.active.append(list(HEADERS))
    book.active.append(["a开发区", "丙企业", "91610323MA6X000001", 3, 200, 50, 10, 5])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    auth.login("a_staff")
    response = client.post(
        "/land/efficiency/import",
        data={"year": "2025", "sheet": (data, "d.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    auth.logout()
    auth.login("a_leader")
    export = client.get("/land/efficiency/export?year=2025")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.data)).active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"a县宏达机械", "丙企业"}
    assert rows["丙企业"][-4:] == (None, "不参评", None, None)  # 3 亩 < 5 亩
    assert zipfile.is_zipfile(io.BytesIO(export.data))
    assert client.get("/land/efficiency/import").status_code == 403
    assert client.get("/land/efficiency/new").status_code == 403


def test_low_efficiency_history_across_years(app, client, auth, land_ids):
    auth.login("a_staff")
    for year, va, tax in (("2024", "900", "300"), ("2025", "100", "10")):
        response = client.post(
            "/land/efficiency/new",
            data={
                "park_id": str(land_ids["a"]["park"]),
                "year": year,
                "firm_name": "丁企业",
                "land_mu": "10",
                "value_added_wan": va,
                "tax_wan": tax,
                "energy_tce": "100",
                "employees": "20",
            },
        )
        assert response.status_code == 302
    page = client.get("/land/efficiency/low?year=2025").get_data(as_text=True)
    assert 'data-firm="丁企业"' in page and '<span class="me-3" data-year="2024">2024：A' in page
    assert "a县宏达机械" not in page


def test_efficiency_isolation(app, client, auth, land_ids):
    auth.login("b_manager")
    record = land_ids["a"]["record"]
    assert client.get(f"/land/efficiency/{record}/edit").status_code == 404
    assert client.post(f"/land/efficiency/{record}/delete").status_code == 404
    assert "a县宏达机械" not in client.get("/land/efficiency?year=2025").get_data(as_text=True)
    export = client.get("/land/efficiency/export?year=2025&format=csv").get_data(as_text=True)
    assert "b县宏达机械" in export and "a县宏达机械" not in export
    # Naming county A outright is a 404 for county B's users, on the page, the list and the export.
    with app.app_context(), system_scope():
        county_a = db.session.execute(
            select(EfficiencyRecord.county_id).where(EfficiencyRecord.id == record)
        ).scalar()
    for path in ("/land/efficiency", "/land/efficiency/low", "/land/efficiency/export"):
        assert client.get(f"{path}?county={county_a}&year=2025").status_code == 404, path
        assert client.get(f"{path}?county=x").status_code == 404, path


def test_coordinator_reads_each_county(app, client, auth, land_ids, world):
    auth.login("city")
    page = client.get(f"/land/efficiency?county={world.county_b}&year=2025").get_data(as_text=True)
    assert "b县宏达机械" in page and "a县宏达机械" not in page
    assert client.get(f"/land/efficiency?county={world.ids['610122']}").status_code == 404
    assert client.get("/land/efficiency/new").status_code == 403


def test_figures_saved_by_someone_else_first_show_their_values_and_save_again(app, client, auth, land_ids):
    from page_content import conflict_box

    auth.login("a_staff")
    record = land_ids["a"]["record"]
    form = client.get(f"/land/efficiency/{record}/edit").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', form).group(1)
    with app.app_context(), system_scope():
        stored = db.session.get(EfficiencyRecord, record)
        fields = {
            "park_id": str(stored.park_id),
            "year": str(stored.year),
            "firm_name": stored.firm_name,
            "land_mu": str(stored.land_mu),
            "value_added_wan": str(stored.value_added_wan),
            "energy_tce": str(stored.energy_tce),
            "employees": str(stored.employees),
        }
    first = client.post(f"/land/efficiency/{record}/edit", data=dict(fields, tax_wan="321", version=version))
    assert first.status_code == 302
    stale = client.post(f"/land/efficiency/{record}/edit", data=dict(fields, tax_wan="654", version=version))
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert conflict_box(page)["税收（万元）"] == "321.00"  # what the other saved
    assert 'value="654"' in page  # what this user typed
    again_version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    assert (
        client.post(
            f"/land/efficiency/{record}/edit", data=dict(fields, tax_wan="654", version=again_version)
        ).status_code
        == 302
    )
    with app.app_context(), system_scope():
        assert str(db.session.get(EfficiencyRecord, record).tax_wan) == "654.00"
