"""What the domains' command groups share: a county named by its code, the user whose eyes
an export reads with, and the ``export`` command every county ledger has.

``chaincrm projects export --county 610323 -o 项目.xlsx`` writes the same sheet as the page's
download. The names follow the confidential rule (``crm.projects.confidential``): without
``--as-user`` every confidential project shows its code name; with it, the names that user
may read."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.session import TenantScope
from crm.core.tenancy import set_scope
from crm.util.exports import write_sheet

__all__ = ["county_by_code", "county_file_options", "export_command", "file_kind", "user_named"]


def county_by_code(code: str):
    """The county with GB/T 2260 ``code``; a click error naming the code when there is none."""
    from crm.regions.models import Region

    county = db.session.execute(select(Region).where(Region.code == code)).scalar_one_or_none()
    if county is None or not county.is_county:
        raise click.ClickException(f"县（区）代码 {code} 不存在 (no such county)")
    return county


def user_named(username: str | None):
    """The user called ``username`` (None for None); a click error when there is none."""
    if not username:
        return None
    from crm.auth.models import User

    user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"用户 {username} 不存在 (no such user)")
    return user


AS_USER_HELP = (
    "Name projects as this user may see them (confidential projects show their code name "
    "unless the user owns them or manages the county); without it, every confidential "
    "project shows its code name"
)


def county_file_options(command):
    """The options of every county export: ``--county CODE``, ``-o FILE.xlsx|FILE.csv``,
    ``--encoding`` (of a CSV) and ``--as-user NAME``."""
    for option in reversed(
        (
            click.option("--county", "county_code", required=True, help="County code, e.g. 610323"),
            click.option(
                "-o", "--output", required=True, type=click.Path(dir_okay=False), help="FILE.xlsx or FILE.csv"
            ),
            click.option(
                "--encoding",
                type=click.Choice(["utf-8-sig", "gb18030"]),
                default="utf-8-sig",
                show_default=True,
                help="CSV encoding",
            ),
            click.option("--as-user", "username", default=None, help=AS_USER_HELP),
        )
    ):
        command = option(command)
    return command


def file_kind(output: str) -> str:
    """``xlsx`` or ``csv`` from the file name ``output``; a usage error for any other."""
    kind = os.path.splitext(output)[1].lower().lstrip(".")
    if kind not in ("xlsx", "csv"):
        raise click.UsageError("-o 文件名须以 .xlsx 或 .csv 结尾 (output must end in .xlsx or .csv)")
    return kind


def export_command(group: click.Group, build: Callable, *options, help: str) -> click.Command:
    """Add ``export`` to ``group``: ``--county CODE -o FILE.xlsx|FILE.csv [--encoding]
    [--as-user NAME]`` and the domain's own ``options``. ``build(viewer, **options)`` answers
    the sheet, read in the county's scope alone; the command writes it and prints the count."""

    @group.command("export", help=help)
    @county_file_options
    @with_appcontext
    def command(county_code, output, encoding, username, **domain_options):
        kind = file_kind(output)
        county, viewer = county_by_code(county_code), user_named(username)
        set_scope(TenantScope(actor_name="cli export", read_county_ids=frozenset({county.id})))
        written = 0

        def counted(rows):
            nonlocal written
            for row in rows:
                written += 1
                yield row

        partial = output + ".part"  # a failed export leaves no half-written file under its name
        try:
            sheet = build(viewer, **domain_options)
            with open(partial, "wb") as target:
                write_sheet(kind, replace(sheet, rows=counted(sheet.rows)), target, encoding)
            os.replace(partial, output)
        except ServiceError as exc:
            raise click.ClickException(exc.describe()) from None
        finally:
            if os.path.exists(partial):
                os.remove(partial)
            set_scope(None)
            db.session.rollback()
        click.echo(f"{output}: {county.name} {sheet.title} {written} 行 (rows)")

    for option in options:
        option(command)
    return command
