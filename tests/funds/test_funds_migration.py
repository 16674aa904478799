"""Migration 0014: funds recorded before it survive with their origin and amount, and keep
counting (they were reported and counted before 认定 existed)."""

from datetime import datetime
from decimal import Decimal

from migration_support import NOW, QISHAN_COUNTY_ROW, fetch_all, project_row, run_sql, upgrade_with_rows

from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.funds.models import FundsRecord


def test_upgrade_keeps_records_counted_with_their_origins(empty_app):
    with empty_app.app_context():
        records = [
            "INSERT INTO funds_records (id, project_id, county_id, month, origin, amount_wan, version, "
            f"created_at, updated_at) VALUES ({record_id}, 1, 1, '2026-03-01', '{origin}', {amount}, 1, {NOW}, {NOW})"
            for record_id, origin, amount in (
                (1, "out_of_province", "1200.50"),
                (2, "in_province", "300.00"),
                (3, "in_city", "40.00"),
                (4, "foreign", "710.00"),
            )
        ]
        upgrade_with_rows("0013", QISHAN_COUNTY_ROW, project_row(capital_origin="'foreign'"), *records)
        rows = fetch_all(
            "SELECT origin, amount_wan, exclusion, amount_usd_wan, confirmed_at IS NOT NULL, "
            "confirmed_by_id FROM funds_records ORDER BY id"
        )
        [(origin,)] = fetch_all("SELECT capital_origin FROM projects")
        # Excluded money of the same project, month and origin is another record.
        run_sql(
            "INSERT INTO funds_records (id, project_id, county_id, month, origin, exclusion, "
            "amount_wan, version, created_at, updated_at) VALUES (5, 1, 1, '2026-03-01', 'out_of_province', "
            f"'bank_loan', 5000, 1, {NOW}, {NOW})"
        )
    assert [(o, Decimal(str(a)), e, d, bool(c), by) for o, a, e, d, c, by in rows] == [
        ("out_of_province", Decimal("1200.5"), "none", None, True, None),
        ("in_province", Decimal("300"), "none", None, True, None),
        ("in_city", Decimal("40"), "none", None, True, None),
        ("foreign", Decimal("710"), "none", None, True, None),
    ]
    assert origin == "foreign"


def test_upgraded_records_read_with_the_statistics_names(app, client, auth, world, signed_project_ids):
    """The codes stay; the pages name them 省外, 市外省内, 市内县外 and 境外."""
    with app.app_context(), system_scope():
        for origin in ("in_city", "foreign"):
            db.session.add(
                FundsRecord(
                    project_id=signed_project_ids["a"],
                    county_id=world.county_a,
                    month=datetime(2026, 3, 1).date(),
                    origin=origin,
                    amount_wan=100,
                    confirmed_at=datetime(2026, 12, 1),
                )
            )
        db.session.commit()
    auth.login("a_staff")
    page = client.get(f"/projects/{signed_project_ids['a']}/funds").get_data(as_text=True)
    assert "市内县外" in page and "境外" in page and "升级前登记" in page
    assert "县际" not in page and "外资" not in page
