"""``chaincrm activities export``: a county's 跟进记录, as the list's download writes them."""

from __future__ import annotations

import click

from crm.activities import exports
from crm.activities.queries import ActivityFilters
from crm.core.cli import export_command

__all__ = ["activities_cli"]

activities_cli = click.Group("activities", help="跟进记录 / Activities.")


def _sheet(viewer, date_from, date_to):
    filters = ActivityFilters.from_args({"date_from": date_from or "", "date_to": date_to or ""})
    if filters.errors:
        raise click.BadParameter("; ".join(filters.errors), param_hint="--from/--to")
    return exports.sheet(filters, viewer)


export_command(
    activities_cli,
    _sheet,
    click.option(
        "--from", "date_from", default=None, help="Occurred on or after (2026-03-05, 2026年3月5日 ...)"
    ),
    click.option("--to", "date_to", default=None, help="Occurred on or before"),
    help="Export the county's activities on projects, oldest first, as XLSX or CSV.",
)
