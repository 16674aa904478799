"""Backups: ``chaincrm backup`` (one archive of the database and the evidence files),
``chaincrm backup --verify`` and ``chaincrm restore`` into an empty database."""

from __future__ import annotations

__all__ = ["init_app"]


def init_app(app) -> None:
    from crm.backup.commands import backup_command, restore_command

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
