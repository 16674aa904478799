"""Commands every installation has: demo, serve and db (registered by the app factory)."""

from __future__ import annotations

import faulthandler

import click
from flask import current_app
from flask.cli import with_appcontext

__all__ = [
    "db_analyze",
    "db_downgrade",
    "db_grant_app_role",
    "db_group",
    "db_upgrade",
    "demo_command",
    "init_app",
    "serve_command",
]


@click.group("db")
def db_group():
    """Database schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@click.option(
    "--no-backup", is_flag=True, help="Skip the backup into <instance>/backups/ taken before migrating."
)
@with_appcontext
def db_upgrade(revision, no_backup):
    """Upgrade the database schema to REVISION (default: head), keeping its data; backs up first."""
    from crm.backup.service import BackupError, backup_before_upgrade
    from crm.core import migrate

    try:
        migrate.check_known_revision()
        if not no_backup:
            path = backup_before_upgrade(revision)
            if path:
                click.echo(f"backup before upgrading: {path} (chaincrm restore rolls back to it)")
    except migrate.DatabaseNewerThanCode as exc:
        raise click.ClickException(str(exc)) from None
    except BackupError as exc:
        raise click.ClickException(
            f"backup before upgrading failed, nothing migrated: {exc} (--no-backup skips it)"
        ) from None
    migrate.upgrade(revision)
    click.echo(f"database at revision {migrate.current_revision()}")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision):
    """Downgrade the schema to REVISION."""
    from crm.core import migrate

    migrate.downgrade(revision)
    click.echo(f"database at revision {migrate.current_revision()}")


@db_group.command("analyze")
@with_appcontext
def db_analyze():
    """Refresh the query planner's statistics (run after large imports, or nightly)."""
    from crm.core import migrate

    migrate.analyze()
    click.echo("statistics refreshed")


@db_group.command("grant-app-role")
@click.argument("role")
@with_appcontext
def db_grant_app_role(role):
    """PostgreSQL: let ROLE run the server without owning the tables (audit log append-only)."""
    from crm.core import migrate

    try:
        migrate.grant_app_role(role)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"role {role} may read and write every table; the audit log only grows")


def _serve(host: str, port: int, workers: int = 1, threads: int = 8, warm: bool = True) -> None:
    from crm.core import migrate, server, warmup

    if workers < 1 or threads < 1:
        raise click.ClickException("--workers and --threads must be at least 1")
    # A crash of the interpreter itself (a segmentation fault) then leaves the crashing
    # thread's Python stack in the server's log instead of a silent exit. That thread
    # alone: the other threads keep running while the stacks are written, and writing one
    # of theirs crashed the writer before it reached the crashing thread (bench/RESULTS.md).
    faulthandler.enable(all_threads=False)
    # A coordinator's lists over a hundred counties need the planner to know the row
    # counts: a SQLite database that never had them gets them once, here.
    if migrate.analyze_if_never_done():
        click.echo("planner statistics gathered (chaincrm db analyze refreshes them)")
    if warm:
        # Before listening (and before gunicorn forks): the first visitor finds the figures.
        app = current_app._get_current_object()
        done = warmup.warm_caches(app, report=lambda text: click.echo(text, err=True))
        if done:
            click.echo(
                "caches filled: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in done.items())
            )
    server.serve(current_app._get_current_object(), host, port, workers=workers, threads=threads)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=int,
    help="Server processes: 1 is waitress; more are gunicorn's pre-fork workers (Linux, macOS).",
)
@click.option("--threads", default=8, show_default=True, type=int, help="Threads per process.")
@click.option(
    "--warm/--no-warm",
    default=True,
    show_default=True,
    help="Fill the county caches (dashboard, chain overview, referrals order) before listening.",
)
@with_appcontext
def serve_command(host, port, workers, threads, warm):
    """Serve the application: waitress, or gunicorn with --workers N > 1."""
    _serve(host, port, workers, threads, warm)


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Prepare the database and print the accounts only.")
@with_appcontext
def demo_command(host, port, no_serve):
    """Create or upgrade the database, load the demo data if empty, print accounts, serve."""
    from crm.core import migrate
    from crm.core.db import db
    from crm.core.errors import ServiceError
    from crm.demo import demo_password_problem, load_demo

    # Refused before anything is written: no schema, no half-loaded demo.
    problem = demo_password_problem()
    if problem:
        raise click.ClickException(problem)
    # No backup first: the demo's database is a local sample, new on the first run.
    try:
        migrate.upgrade("head")
    except migrate.DatabaseNewerThanCode as exc:
        raise click.ClickException(str(exc)) from None
    try:
        accounts = load_demo()
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(exc.describe()) from None
    if accounts is None:
        click.echo("数据库已有数据，保留现有数据（demo data already present; kept as is）。")
        click.echo("演示账号密码仅在首次运行时打印 (demo passwords were printed on the first run).")
    else:
        # click.echo flushes each line: the accounts show at once even when stdout is a pipe
        # (`| tee`, a service manager), not when the server stops (tests/foundation/test_serve.py).
        click.echo("演示账号 / demo accounts (shown once):")
        for username, password, role, region in accounts:
            click.echo(f"  {username:<16} {password:<20} {role:<12} {region}")
    if not no_serve:
        _serve(host, port)


def init_app(app) -> None:
    for command in (db_group, serve_command, demo_command):
        app.cli.add_command(command)
