"""境外 money in 万美元 at the province's rate of the month, shown converted; large totals in
亿元 on pages and dashboards, exact 万元 in exports (issue 14 item 15)."""

from datetime import date
from decimal import Decimal

import pytest
from record_support import user_named

from crm.core.db import db
from crm.core.errors import ConflictError, ServiceError
from crm.core.tenancy import system_scope
from crm.funds import rates, services
from crm.funds.models import FundsRecord
from crm.projects.models import Project
from crm.util.money import format_wan_total

TODAY = date(2026, 11, 23)
MARCH = date(2026, 3, 1)


def _dollars(**kw):
    return {"month": MARCH, "origin": "foreign", "amount_usd_wan": Decimal("120.5"), **kw}


def test_overseas_money_needs_the_months_rate_and_is_converted(app, signed_project_ids):
    with app.test_request_context(), system_scope():
        project = db.session.get(Project, signed_project_ids["a"])
        with pytest.raises(ServiceError) as refused:
            services.create_funds(project, _dollars(), today=TODAY)
        assert "2026年3月 的美元汇率尚未录入" in refused.value.errors["amount_usd_wan"][0]
        with pytest.raises(ServiceError) as refused:  # 万元 alone is not how 境外 money is recorded
            services.create_funds(
                project, _dollars(amount_usd_wan=None, amount_wan=Decimal("800")), today=TODAY
            )
        assert "amount_usd_wan" in refused.value.errors
        rates.set_rate(user_named("prov"), MARCH, "7.1268", "外汇局")
        record = services.create_funds(project, _dollars(amount_wan=Decimal("1")), today=TODAY)
        assert (record.amount_usd_wan, record.usd_rate, record.amount_wan) == (
            Decimal("120.50"),
            Decimal("7.1268"),
            Decimal("858.78"),  # 120.5 × 7.1268 = 858.7794, to the cent of 万元
        )


def test_only_a_province_coordinator_keeps_rates_within_bounds(app, world):
    with app.test_request_context(), system_scope():
        for name in ("city", "a_manager", "a_staff"):
            with pytest.raises(ServiceError):
                rates.set_rate(user_named(name), MARCH, "7.1")
        for bad in ("0.71", "71.268", "7.12681", "七", ""):
            with pytest.raises(ServiceError) as refused:
                rates.set_rate(user_named("prov"), MARCH, bad)
            assert "cny_per_usd" in refused.value.errors, bad
        rate = rates.set_rate(user_named("prov"), MARCH, "7.1")
        db.session.commit()
        assert rates.rate_for(world.county_b, MARCH).cny_per_usd == Decimal("7.1000")
        with pytest.raises(ConflictError):
            rates.set_rate(user_named("prov"), MARCH, "7.2", version=rate.version + 1)


def test_correcting_a_rate_converts_the_month_again_and_keeps_the_confirmation(app, signed_project_ids):
    with app.test_request_context(), system_scope():
        project = db.session.get(Project, signed_project_ids["a"])
        rate = rates.set_rate(user_named("prov"), MARCH, "7.0")
        record = services.create_funds(project, _dollars(amount_usd_wan=Decimal("100")), today=TODAY)
        db.session.flush()
        services.confirm_funds(record, user_named("a_manager"), version=record.version)
        db.session.commit()
        assert record.amount_wan == Decimal("700.00")
        rates.set_rate(user_named("prov"), MARCH, "7.25", version=rate.version)
        db.session.commit()
        record = db.session.get(FundsRecord, record.id)
        assert (record.amount_wan, record.usd_rate, record.standing) == (
            Decimal("725.00"),
            Decimal("7.2500"),
            "counted",
        )


def test_rates_page_and_dollar_form_show_the_conversion(app, client, auth, signed_project_ids):
    app.config["TODAY"] = TODAY
    pid = signed_project_ids["a"]
    auth.login("a_staff")
    assert client.get("/funds/rates").status_code == 200
    assert client.post("/funds/rates", data={"month": "2026-03", "cny_per_usd": "7.1"}).status_code == 403
    no_rate = client.post(
        f"/projects/{pid}/funds/new",
        data={"month": "2026-03", "origin": "foreign", "amount_usd_wan": "120.5"},
    )
    assert no_rate.status_code == 422 and "美元汇率尚未录入" in no_rate.get_data(as_text=True)
    auth.logout()
    auth.login("prov")
    bad = client.post("/funds/rates", data={"month": "2026-03", "cny_per_usd": "712.68"})
    assert bad.status_code == 422 and 'value="712.68"' in bad.get_data(as_text=True)
    saved = client.post(
        "/funds/rates", data={"month": "2026-03", "cny_per_usd": "7.1268", "source": "外汇局"}
    )
    assert saved.status_code == 302
    assert "7.1268" in client.get("/funds/rates").get_data(as_text=True)
    auth.logout()
    auth.login("a_staff")
    done = client.post(
        f"/projects/{pid}/funds/new",
        data={"month": "2026-03", "origin": "foreign", "amount_usd_wan": "120.5"},
    )
    assert done.status_code == 302
    page = client.get(f"/projects/{pid}/funds").get_data(as_text=True)
    assert "858.78" in page and "120.50 万美元 × 7.1268" in page


def test_api_takes_dollars_and_reports_the_rate(api, signed_project_ids):
    pid = signed_project_ids["a"]
    body = {"month": "2026-03", "origin": "foreign", "amount_usd_wan": "100"}
    refused = api.post(f"/api/v1/projects/{pid}/funds", as_user="a_staff", json=body)
    assert refused.status_code == 422 and "amount_usd_wan" in refused.get_json()["errors"]
    with api._app.test_request_context(), system_scope():
        rates.set_rate(user_named("prov"), MARCH, "7.1")
        db.session.commit()
    created = api.post(f"/api/v1/projects/{pid}/funds", as_user="a_staff", json=body)
    assert created.status_code == 201, created.get_json()
    item = created.get_json()
    assert (item["amount_usd_wan"], item["usd_rate"], item["amount_wan"]) == ("100.00", "7.1000", "710.00")
    wrong = api.post(
        f"/api/v1/projects/{pid}/funds",
        as_user="a_staff",
        json={"month": "2026-04", "origin": "in_city", "amount_wan": "5", "amount_usd_wan": "1"},
    )
    assert wrong.status_code == 422 and "amount_usd_wan" in wrong.get_json()["errors"]


@pytest.mark.parametrize(
    "amount, shown",
    [
        ("1338000", "133.8 亿元"),
        ("12345.67", "1.23 亿元"),
        ("10000", "1 亿元"),
        ("9999.99", "9,999.99 万元"),
        ("0", "0.00 万元"),
    ],
)
def test_large_totals_read_in_yi(app, amount, shown):
    with app.test_request_context():
        assert format_wan_total(Decimal(amount)) == shown


def test_pages_show_yi_and_the_export_keeps_the_exact_figure(app, client, auth, signed_project_ids):
    with app.test_request_context(), system_scope():
        project = db.session.get(Project, signed_project_ids["a"])
        for month in (1, 2):
            record = services.create_funds(
                project,
                {"month": date(2026, month, 1), "origin": "out_of_province", "amount_wan": Decimal("669000")},
                today=TODAY,
            )
            db.session.flush()
            services.confirm_funds(record, user_named("a_manager"), version=record.version)
        db.session.commit()
    app.config["TODAY"] = TODAY
    auth.login("a_manager")
    county = client.get("/funds?year=2026").get_data(as_text=True)
    assert 'data-testid="funds-year-total">133.8 亿元<' in county
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert 'data-testid="funds-ytd">133.8 亿元<' in dashboard
    assert "1,338,000.00" not in dashboard
    export = client.get("/funds/export?year=2026&format=csv").get_data().decode("utf-8-sig")
    assert export.count(",669000.00,") == 2


def test_rates_api_is_read_by_all_and_written_by_the_province(api, world):
    body = {"month": "2026-03", "cny_per_usd": "7.1268", "source": "外汇局"}
    refused = api.post("/api/v1/funds/rates", as_user="city", json=body)
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    bad = api.post("/api/v1/funds/rates", as_user="prov", json=dict(body, cny_per_usd=712.68))
    assert bad.status_code == 422 and "cny_per_usd" in bad.get_json()["errors"]
    saved = api.post("/api/v1/funds/rates", as_user="prov", json=body)
    assert saved.status_code == 200 and saved.get_json()["cny_per_usd"] == "7.1268"
    stale = api.post("/api/v1/funds/rates", as_user="prov", json=dict(body, cny_per_usd="7.2", version=9))
    assert stale.status_code == 409
    # The month has a rate: entering one anew without its version is refused with it.
    unread = api.post("/api/v1/funds/rates", as_user="prov", json=dict(body, cny_per_usd="7.2"))
    assert unread.status_code == 409
    assert unread.get_json()["current"] == {
        "month": "2026-03",
        "cny_per_usd": "7.1268",
        "source": "外汇局",
        "version": saved.get_json()["version"],
    }
    items = api.get("/api/v1/funds/rates", as_user="a_staff").get_json()["items"]
    assert [(r["month"], r["cny_per_usd"]) for r in items] == [("2026-03-01", "7.1268")]


def test_a_month_entered_again_on_the_page_is_saved_once_its_rate_was_read(app, client, auth, world):
    """Entering a month that has a rate shows the stored rate first (a correction converts
    the month's records again); saving again, having read it, corrects it."""
    import re

    app.config["TODAY"] = TODAY
    auth.login("prov")
    first = {"month": "2026-03", "cny_per_usd": "7.1268", "source": "外汇局"}
    assert client.post("/funds/rates", data=first).status_code == 302
    again = client.post("/funds/rates", data=dict(first, cny_per_usd="7.2"))
    page = again.get_data(as_text=True)
    assert again.status_code == 409
    assert "7.1268" in page and 'value="7.2"' in page  # the stored rate, and what was typed
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    read = client.post("/funds/rates", data=dict(first, cny_per_usd="7.2", version=version))
    assert read.status_code == 302
    rows = client.get("/funds/rates").get_data(as_text=True)
    assert "7.2000" in rows and "7.1268" not in rows


def test_dollars_are_converted_as_stored_so_a_rate_correction_moves_only_by_the_rate(app, signed_project_ids):
    """12.345 万美元 is stored as 12.35: its 万元 is 12.35 × rate, now and after a correction
    (converting the unrounded 12.345 stored 万元 that the stored dollars did not give)."""
    with app.test_request_context(), system_scope():
        project = db.session.get(Project, signed_project_ids["a"])
        rate = rates.set_rate(user_named("prov"), MARCH, "7.2969")
        record = services.create_funds(project, _dollars(amount_usd_wan=Decimal("12.345")), today=TODAY)
        db.session.commit()
        assert (record.amount_usd_wan, record.amount_wan) == (Decimal("12.35"), Decimal("90.12"))
        rates.set_rate(user_named("prov"), MARCH, "7.2970", version=rate.version)
        db.session.commit()
        assert db.session.get(FundsRecord, record.id).amount_wan == Decimal("90.12")


def test_the_xlsx_export_shows_the_rate_to_its_four_places(app, client, auth, signed_project_ids):
    """Dollars × rate must multiply out in the sheet: a rate cell shown as 7.14 did not."""
    import io

    import openpyxl

    with app.test_request_context(), system_scope():
        project = db.session.get(Project, signed_project_ids["a"])
        rates.set_rate(user_named("prov"), MARCH, "7.1392")
        services.create_funds(project, _dollars(amount_usd_wan=Decimal("75.64")), today=TODAY)
        db.session.commit()
    app.config["TODAY"] = TODAY
    auth.login("a_manager")
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/funds/export?year=2026&format=xlsx").data)).active
    cells = {
        cell.value: cell
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if isinstance(cell.value, float)
    }
    assert cells[7.1392].number_format == "0.0000"
    assert cells[540.01].number_format == "0.00" and cells[75.64].number_format == "0.00"
