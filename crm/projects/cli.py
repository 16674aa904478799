"""``chaincrm projects export``: a county's projects, as the page's download writes them."""

from __future__ import annotations

import click

from crm.core.cli import export_command
from crm.projects import exports
from crm.projects.models import ALL_STAGES
from crm.projects.queries import ProjectFilters

__all__ = ["projects_cli"]

projects_cli = click.Group("projects", help="招商项目 / Investment projects.")


def _sheet(viewer, stage):
    return exports.sheet(ProjectFilters.from_args({"stage": stage} if stage else {}), viewer)


export_command(
    projects_cli,
    _sheet,
    click.option("--stage", type=click.Choice(ALL_STAGES), default=None, help="Only projects at this stage"),
    help="Export the county's projects (every stage, or --stage) as XLSX or CSV.",
)
