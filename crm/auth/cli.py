from __future__ import annotations

import os

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from crm.auth import services, tokens
from crm.auth.models import Role, User
from crm.core import clock
from crm.core.db import db, utcnow
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
            raise click.ClickException(exc.describe()) from None
        db.session.commit()
    click.echo(f"created user {user.username} ({role}) in {region.code} {region.name}")


def _user_named(username: str) -> User:
    user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"用户 {username} 不存在 (no such user)")
    return user


def _minute(moment) -> str:
    return clock.local_minute(moment, "-")


@users_cli.command("token")
@click.argument("username")
@click.option("--name", default="", help="What the token is for (shown in the token list)")
@click.option(
    "--expires",
    default="",
    metavar="90d|YYYY-MM-DD",
    help="Days from now or the last valid day (default: API_TOKEN_DAYS, 365 days)",
)
@with_appcontext
def token_command(username, name, expires):
    """Print a new API token for USERNAME (only its hash is stored)."""
    with system_scope():
        user = _user_named(username)
        try:
            token = tokens.issue_api_token(user, name, tokens.expiry_from_text(expires))
        except ServiceError as exc:
            db.session.rollback()
            raise click.ClickException(exc.describe()) from None
        db.session.commit()
    click.echo(token)


@users_cli.command("tokens")
@click.argument("username")
@with_appcontext
def tokens_command(username):
    """List USERNAME's API tokens (times in the bureau's time zone, TIME_ZONE)."""
    with system_scope():
        user = _user_named(username)
        now = utcnow()
        click.echo("id\tname\tcreated\tlast used\texpires\tstatus")
        for token in tokens.tokens_of(user):
            click.echo(
                "\t".join(
                    [
                        str(token.id),
                        token.name,
                        _minute(token.created_at),
                        _minute(token.last_used_at),
                        _minute(token.expires_at),
                        token.status(now),
                    ]
                )
            )


@users_cli.command("revoke-token")
@click.argument("token_id", type=int)
@with_appcontext
def revoke_token_command(token_id):
    """Revoke the API token with id TOKEN_ID (see `users tokens`)."""
    with system_scope():
        token = tokens.token_by_id(token_id)
        if token is None:
            raise click.ClickException(f"token {token_id} does not exist")
        tokens.revoke_token(token)
        db.session.commit()
    click.echo(f"revoked token {token_id}")


@users_cli.command("set-password")
@click.argument("username")
@with_appcontext
def set_password_command(username):
    """Set USERNAME's password (from CHAINCRM_PASSWORD, else a hidden prompt typed twice)
    under the same rules as the web's reset; every session of the user ends. For a lost
    demo password too: no need to delete the database."""
    with system_scope():
        user = _user_named(username)
        password = os.environ.get("CHAINCRM_PASSWORD") or click.prompt(
            "Password", hide_input=True, confirmation_prompt=True
        )
        try:
            services.reset_password(user, password)
        except ServiceError as exc:
            db.session.rollback()
            raise click.ClickException(exc.describe()) from None
        db.session.commit()
    click.echo(f"已设置 {username} 的密码，其登录已全部失效 (password set; their sessions have ended)")


# The command's earlier name, kept for scripts that use it; not listed in --help.
users_cli.add_command(
    click.Command(
        "password",
        callback=set_password_command.callback,
        params=set_password_command.params,
        help=set_password_command.help,
        hidden=True,
    )
)
