"""``chaincrm review freeze --quarter 2026Q3 --region CODE``: freeze an ended quarter for a
county, or for every county below a city or province (those already frozen are left as
they are)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from crm.core.access import descendant_county_ids
from crm.core.db import db
from crm.core.errors import ConflictError, ServiceError
from crm.core.tenancy import system_scope
from crm.regions.models import Region
from crm.review import services
from crm.review.indicators import parse_quarter

__all__ = ["review_cli"]

review_cli = click.Group("review", help="季度推进点评 / The quarterly review.")


@review_cli.command("freeze")
@click.option("--quarter", "quarter_text", required=True, help="e.g. 2026Q3")
@click.option("--region", "region_code", required=True, help="a county, city or province code, e.g. 610300")
@with_appcontext
def freeze_command(quarter_text, region_code):
    """Freeze QUARTER's figures for the county REGION, or every county below it."""
    try:
        year, quarter = parse_quarter(quarter_text)
    except ValueError:
        raise click.UsageError("--quarter 须如 2026Q3 (a quarter such as 2026Q3)") from None
    with system_scope():
        region = db.session.execute(select(Region).where(Region.code == region_code)).scalar_one_or_none()
        if region is None:
            raise click.ClickException(f"行政区划代码 {region_code} 不存在 (no such region)")
        county_ids = [region.id] if region.is_county else sorted(descendant_county_ids(region.id))
        names = dict(
            db.session.execute(select(Region.id, Region.name).where(Region.id.in_(county_ids))).all()
        )
        frozen = 0
        for county_id in county_ids:
            try:
                services.freeze_quarter(county_id, year, quarter)
            except ConflictError:
                click.echo(f"{names[county_id]}: 已冻结 (already frozen)")
                continue
            except ServiceError as exc:
                db.session.rollback()
                raise click.ClickException(exc.describe()) from None
            frozen += 1
            click.echo(f"{names[county_id]}: 已冻结 {year}Q{quarter}")
        db.session.commit()
    click.echo(f"{frozen} 个县（区）已冻结 (counties frozen)")
