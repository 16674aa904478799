"""``chaincrm funds export``: a county's funds in place of one year, every standing, exact."""

from __future__ import annotations

import click

from crm.core import clock
from crm.core.cli import export_command
from crm.funds import exports

__all__ = ["funds_cli"]

funds_cli = click.Group("funds", help="到位资金 / Funds in place.")


def _sheet(viewer, year):
    return exports.sheet(year or clock.today().year, viewer)


export_command(
    funds_cli,
    _sheet,
    click.option(
        "--year", type=click.IntRange(2000, 2100), default=None, help="The year (default: this year)"
    ),
    help="Export the county's funds records of a year (counted, pending and excluded) as XLSX or CSV.",
)
