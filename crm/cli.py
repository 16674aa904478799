"""The ``chaincrm`` command: Flask's CLI group with the app's own commands."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from config import ConfigurationError
from crm.app import create_app


def _create_app():
    try:
        return create_app()
    except ConfigurationError as exc:  # one line, as every other refusal of the command line
        raise click.ClickException(str(exc)) from None


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main():
    """chaincrm — 产业链招商图谱 + 招商项目管理."""
