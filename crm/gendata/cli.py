from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.security import generate_password_hash

from crm.core import clock
from crm.core.db import db
from crm.gendata.generate import DatabaseNotEmpty, generate
from crm.gendata.province import NoFreePrefix


@click.command("gen-data")
@click.option("--counties", default=100, show_default=True, type=int, help="Counties in the province.")
@click.option(
    "--scale",
    default=1.0,
    show_default=True,
    type=float,
    help="Rows per county: 1 = 1,000 companies, 500 projects, 5,000 activities.",
)
@click.option(
    "--password",
    default=None,
    help="Password of every generated user (default: $CHAINCRM_GEN_PASSWORD or 'chaincrm-gen').",
)
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--force", is_flag=True, help="Add the synthetic province beside data already in the database.")
@with_appcontext
def gen_data_command(counties, scale, password, seed, force):
    """生成模拟省数据 / Generate a synthetic province for benchmarks (never touches existing rows)."""
    from crm.core import migrate

    migrate.upgrade("head")
    password = password or os.environ.get("CHAINCRM_GEN_PASSWORD") or "chaincrm-gen"
    # Every user shares one password, so one (salted) hash serves them all.
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    password_hash = generate_password_hash(password, method=method)

    def progress(done, total):
        if done % 10 == 0 or done == total:
            click.echo(f"  {done}/{total} 县", err=True)

    try:
        result = generate(
            db.engine,
            counties=counties,
            scale=scale,
            password_hash=password_hash,
            seed=seed,
            force=force,
            today=clock.today(),
            progress=progress,
        )
    except (DatabaseNotEmpty, NoFreePrefix, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    migrate.analyze()
    province = result.province
    click.echo(f"模拟省 {province.code}：{len(province.counties)} 个县，用时 {result.seconds:.1f} 秒")
    for table, count in sorted(result.counts.items()):
        click.echo(f"  {table:<22} {count:>10,}")
    click.echo(
        f"用户名形如 u{province.code}_coordinator、u{province.counties[0].code}_manager，密码 {password!r}"
    )
