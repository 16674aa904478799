from __future__ import annotations

import click
from flask.cli import with_appcontext

from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.tenancy import system_scope
from crm.regions.models import RegionLevel
from crm.regions.services import create_region

regions_cli = click.Group("regions", help="管理行政区划 / Manage regions.")


@regions_cli.command("create")
@click.argument("code")
@click.argument("name")
@click.option("--level", type=click.Choice([lvl.value for lvl in RegionLevel]), required=True)
@click.option("--parent", "parent_code", default=None, help="Parent region code")
@with_appcontext
def create_region_command(code, name, level, parent_code):
    """Create a region with its 6-digit GB/T 2260 CODE."""
    with system_scope():
        try:
            region = create_region(code, name, level, parent_code)
        except ServiceError as exc:
            db.session.rollback()
            raise click.ClickException(exc.describe()) from None
        db.session.commit()
    click.echo(f"created {region.level.value} {region.code} {region.name}")
