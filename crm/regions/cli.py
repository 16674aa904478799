from __future__ import annotations

import click
from flask.cli import with_appcontext

from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.tenancy import system_scope
from crm.regions.models import RegionLevel
from crm.regions.services import create_region, region_by_code, rename_region

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


@regions_cli.command("rename")
@click.argument("code")
@click.argument("name")
@with_appcontext
def rename_region_command(code, name):
    """Rename the region with CODE (撤县设区); its code, level and parent stay."""
    with system_scope():
        region = region_by_code(code)
        if region is None:
            raise click.ClickException(f"no region with code {code}")
        old_name = region.name
        try:
            rename_region(region, name, None)
        except ServiceError as exc:
            db.session.rollback()
            raise click.ClickException(exc.describe()) from None
        db.session.commit()
    click.echo(f"renamed {code} {old_name} → {region.name}")
