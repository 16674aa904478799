"""``chaincrm backup`` and ``chaincrm restore``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from crm.backup.archive import BackupError, Manifest

__all__ = ["backup_command", "describe", "restore_command"]


def describe(manifest: Manifest) -> str:
    """One line about an archive: what it holds and from when."""
    rows = sum(manifest.row_counts.values())
    files = sum(1 for name in manifest.members if name.startswith("files/"))
    return (
        f"{manifest.dialect} database at revision {manifest.alembic_revision or '(none)'}, "
        f"{len(manifest.row_counts)} tables, {rows} rows, {files} evidence files; "
        f"chaincrm {manifest.app_version}, taken {manifest.created_at}"
    )


@click.command("backup")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Archive to write (.tar, or .tar.gz compressed). Default: <instance>/backups/chaincrm-backup-<UTC time>.tar",
)
@click.option(
    "--verify",
    "verify_path",
    type=click.Path(dir_okay=False),
    help="Check an existing archive instead of writing one.",
)
@with_appcontext
def backup_command(output, verify_path):
    """Back up the database and the evidence files into one archive (safe while serving)."""
    from crm.backup import service

    if output and verify_path:
        raise click.UsageError("give either -o FILE or --verify FILE, not both")
    try:
        if verify_path:
            manifest = service.verify_backup(verify_path)
            click.echo(f"{verify_path}: OK — {describe(manifest)}")
            return
        path = output or service.default_backup_path("backup")
        manifest = service.make_backup(path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backup written to {path} — {describe(manifest)}")


@click.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False))
@with_appcontext
def restore_command(archive):
    """Restore ARCHIVE into the configured database, which must be empty."""
    from crm.backup import service

    try:
        manifest, missing_roles = service.restore_backup(archive)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"restored {archive} — {describe(manifest)}")
    for role in missing_roles:
        click.echo(
            f"note: the backup's server role {role!r} does not exist here; create it, then run "
            f"`chaincrm db grant-app-role {role}`"
        )
