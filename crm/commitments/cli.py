"""``chaincrm commitments export``: a county's 承诺兑现台账, as the register's download writes it."""

from __future__ import annotations

import click

from crm.commitments.exports import register_sheet
from crm.commitments.models import COMMITMENT_STATUSES
from crm.commitments.register import export_rows, parse_filters
from crm.core import clock
from crm.core.cli import export_command

__all__ = ["commitments_cli"]

commitments_cli = click.Group("commitments", help="承诺兑现 / Incentive commitments.")


def _sheet(viewer, status):
    filters, _errors = parse_filters({"status": status} if status else {})
    today = clock.today()
    return register_sheet(export_rows(filters, today, viewer), today)


export_command(
    commitments_cli,
    _sheet,
    click.option(
        "--status", type=click.Choice(list(COMMITMENT_STATUSES)), default=None, help="Only this status"
    ),
    help="Export the county's commitment register (every status, or --status) as XLSX or CSV.",
)
