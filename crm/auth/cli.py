from __future__ import annotations

import os

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from crm.auth import services
from crm.auth.models import Role, User
from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.tenancy import system_scope
from crm.regions.services import region_by_code

users_cli = click.Group("users", help="管理用户 / Manage users.")


@users_cli.command("create")
@click.argument("username")
@click.option("--region", "region_code", required=True, help="GB/T 2260 region code")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", "display_name", default="", help="Display name")
@with_appcontext
def create_user_command(username, region_code, role, display_name):
    """Create a user; the password comes from CHAINCRM_PASSWORD or a hidden prompt."""
    password = os.environ.get("CHAINCRM_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    with system_scope():
        region = region_by_code(region_code)
        if region is None:
            raise click.ClickException(f"region {region_code} does not exist")
        try:
            user = services.create_user(username, password, role, region, display_name)
        except ServiceError as exc:
            db.session.rollback()
            raise click.ClickException(exc.describe())
        db.session.commit()
    click.echo(f"created user {user.username} ({role}) in {region.code} {region.name}")


@users_cli.command("token")
@click.argument("username")
@with_appcontext
def token_command(username):
    """Print a new API token for USERNAME (only its hash is stored)."""
    with system_scope():
        user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if user is None:
            raise click.ClickException(f"user {username} does not exist")
        token = services.issue_api_token(user)
        db.session.commit()
    click.echo(token)
