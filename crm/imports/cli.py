"""``chaincrm import KIND FILE --county CODE [--mapping NAME] [--dry-run]``: a city loads its
counties' ledgers. Prints the same row report as the page; exits 1 when a row has a problem
(nothing is written then), 2 when the file cannot be read."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from crm.core.cli import county_by_code
from crm.core.db import db
from crm.core.session import TenantScope
from crm.core.tenancy import set_scope
from crm.imports import services
from crm.imports.headers import FIELDS, KINDS, guess_mapping, known_headers
from crm.imports.readers import ImportFileError, read_table

__all__ = ["import_cli"]

import_cli = click.Group("import", help="导入台账 / Import a bureau's ledger (xlsx, xls, csv).")


def _command(kind: str):
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--county", "county_code", required=True, help="County code, e.g. 610323")
    @click.option("--mapping", "mapping_name", default=None, help="A mapping saved for the county")
    @click.option("--dry-run", is_flag=True, help="Check every row and write nothing")
    @click.option("--on-duplicate", type=click.Choice(services.CHOICES), default="skip", show_default=True)
    @with_appcontext
    def command(file, county_code, mapping_name, dry_run, on_duplicate):
        county = county_by_code(county_code)
        set_scope(
            TenantScope(
                actor_name="cli import", read_county_ids=frozenset({county.id}), write_county_id=county.id
            )
        )
        data = file.read_bytes()
        try:
            table = read_table(
                data,
                known_headers=known_headers(kind),
                max_bytes=current_app.config["IMPORT_MAX_BYTES"],
                max_uncompressed=current_app.config["IMPORT_MAX_UNCOMPRESSED"],
            )
        except ImportFileError as exc:
            click.echo(f"错误：{exc}", err=True)
            raise SystemExit(2) from None
        saved = None
        if mapping_name:
            found = services.saved_mapping(county.id, kind, mapping_name)
            if found is None:
                raise click.ClickException(f"本县没有名为“{mapping_name}”的{KINDS[kind]}映射")
            saved = found.columns
        mapping = guess_mapping(kind, table.headers, saved)
        unmapped = [h for h in table.headers if h and h not in mapping]
        click.echo(
            f"{county.name}：{len(table.rows)} 行；识别的列："
            + "、".join(f"{h}→{FIELDS[kind][f][0]}" for h, f in mapping.items())
        )
        if unmapped:
            click.echo("未导入的列：" + "、".join(unmapped))
        # The dry run first: it finds the duplicates, which --on-duplicate then decides.
        report = services.run_import(table, kind, mapping, county_id=county.id, actor=None, commit=False)
        duplicates_choice = {d.row: on_duplicate for d in report.duplicates}
        db.session.rollback()
        if not dry_run and report.ok:
            report = services.run_import(
                table,
                kind,
                mapping,
                county_id=county.id,
                actor=None,
                commit=True,
                choices=duplicates_choice,
                file_name=file.name,
                file_sha256=services.sha256(data),
            )
        _print_report(report)
        if not report.ok:
            db.session.rollback()
            click.echo(f"有 {len(report.problems)} 处问题，未写入任何数据。", err=True)
            raise SystemExit(1)
        if dry_run or report.batch is None:
            db.session.rollback()
            click.echo("试导入完成（未写入）。")
            return
        db.session.commit()
        click.echo(f"已导入：批次 #{report.batch.id}")

    command.__doc__ = f"导入{KINDS[kind]}台账 FILE into the county's {kind}."
    return command


def _print_report(report) -> None:
    for problem in report.problems:
        column = f"“{problem.column}”" if problem.column else ""
        value = f"（{problem.value}）" if problem.value else ""
        click.echo(f"第 {problem.row} 行 {column}{value}：{problem.message}")
    for duplicate in report.duplicates:
        click.echo(
            f"第 {duplicate.row} 行 与已有记录“{duplicate.existing}”重复（{duplicate.reason}）：{duplicate.choice}"
        )
    click.echo(
        f"共 {report.rows_total} 行：新建 {report.created}，更新 {report.updated}，跳过 {report.skipped}，"
        f"新建投资方企业 {report.companies_created}，问题 {len(report.problems)}"
    )


for _kind in KINDS:
    import_cli.command(_kind)(_command(_kind))
