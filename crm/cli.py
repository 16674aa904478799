"""The ``chaincrm`` command: Flask's CLI group with the app's own commands."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from crm.app import create_app


@click.group(cls=FlaskGroup, create_app=lambda: create_app(), add_version_option=False)
def main():
    """chaincrm — 产业链招商图谱 + 招商项目管理."""
