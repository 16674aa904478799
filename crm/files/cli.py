"""``chaincrm files check`` (every stored file of an attachment present and matching its
hash) and ``chaincrm files purge --county CODE`` (a county's detached files)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.files import queries, services
from crm.files.models import Attachment
from crm.files.storage import files_dir, store
from crm.regions.models import Region

__all__ = ["files_cli"]

files_cli = click.Group("files", help="附件 / Evidence files.")


@files_cli.command("check")
@with_appcontext
def check_command():
    """Verify that every stored file an attachment refers to is present and matches its
    SHA-256; print each problem and exit 1 if there is any."""
    blobs = store()
    with system_scope():
        rows = db.session.execute(
            select(Attachment.sha256, Attachment.id, Attachment.county_id)
            .where(Attachment.purged_at.is_(None))
            .order_by(Attachment.sha256, Attachment.id)
        ).all()
    by_digest: dict[str, list[int]] = {}
    for sha256, attachment_id, _county in rows:
        by_digest.setdefault(sha256, []).append(attachment_id)
    problems = 0
    for sha256, ids in by_digest.items():
        refs = ", ".join(f"#{i}" for i in ids)
        if not blobs.exists(sha256):
            click.echo(f"缺失 missing: {blobs.path_for(sha256)} (附件 attachments {refs})")
            problems += 1
        elif not blobs.matches(sha256):
            click.echo(f"损坏 corrupted: {blobs.path_for(sha256)} (附件 attachments {refs})")
            problems += 1
    click.echo(
        f"{len(by_digest)} 个文件 files, {len(rows)} 个附件 attachments, {problems} 个问题 problems ({files_dir()})"
    )
    if problems:
        raise SystemExit(1)


@files_cli.command("purge")
@click.option("--county", "county_code", required=True, help="County code, e.g. 610323")
@click.option("--yes", is_flag=True, help="Purge without asking")
@with_appcontext
def purge_command(county_code, yes):
    """Purge a county's detached files and the files of its deleted records."""
    with system_scope():
        county = db.session.execute(select(Region).where(Region.code == county_code)).scalar_one_or_none()
        if county is None or not county.is_county:
            raise click.ClickException(f"县（区）代码 {county_code} 不存在 (no such county)")
        candidates = [attachment for attachment, _gone in queries.purgeable(county.id)]
        for attachment in candidates:
            click.echo(
                f"#{attachment.id} {attachment.owner_kind}:{attachment.owner_id} {attachment.original_name}"
            )
        if not candidates:
            click.echo("没有待清除的附件 (nothing to purge)")
            return
        if not yes:
            click.confirm(f"清除 {len(candidates)} 个附件? (purge)", abort=True)
        removed = services.purge(candidates, None)
        db.session.commit()
    click.echo(f"已清除 {len(candidates)} 个附件，删除 {len(removed)} 个文件 (purged, files deleted)")
