"""数据导入 pages: upload → mapping and dry-run report → confirm → batch; the batch list, undo,
templates and the problem workbook.

The uploaded file is kept between the steps under the instance folder, named by its
SHA-256 within the importer's county (``imports/<county id>/<sha256>``); a step names it
by the hash only, so another county's upload is never reachable.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from crm.core.access import WRITE_ROLES, load_or_404, require_write, roles_required, writable
from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.forms import Form
from crm.core.handlers import action_post, form_post
from crm.core.tenancy import current_scope
from crm.imports import services
from crm.imports.headers import FIELDS, KINDS, guess_mapping, header_key, known_headers
from crm.imports.models import ImportBatch, ImportMapping
from crm.imports.readers import ImportFileError, read_table
from crm.imports.workbooks import problems_workbook, template_workbook
from crm.util.exports import content_disposition

__all__ = ["bp", "upload_limit"]

bp = Blueprint("imports", __name__, url_prefix="/imports")
SHA = re.compile(r"^[0-9a-f]{64}$")


def upload_limit() -> int:
    """What a web upload may weigh: the import's limit, but never above MAX_CONTENT_LENGTH,
    which Flask enforces on the whole request first (the CLI has the import's limit alone)."""
    app_limit = current_app.config.get("MAX_CONTENT_LENGTH") or current_app.config["IMPORT_MAX_BYTES"]
    return min(current_app.config["IMPORT_MAX_BYTES"], app_limit - 64 * 1024)


def _county_id() -> int:
    require_write()
    return current_scope().write_county_id


def _upload_path(county_id: int, sha: str) -> Path:
    if not SHA.match(sha or ""):
        abort(404)
    return Path(current_app.instance_path) / "imports" / str(county_id) / sha


def _kind(kind: str) -> str:
    if kind not in KINDS:
        abort(404)
    return kind


def _read(kind: str, data: bytes):
    return read_table(
        data,
        known_headers=known_headers(kind),
        max_bytes=current_app.config["IMPORT_MAX_BYTES"],
        max_uncompressed=current_app.config["IMPORT_MAX_UNCOMPRESSED"],
    )


class UploadForm(Form):
    """CSRF only: the fields are read from the request (a file, a kind, dynamic columns)."""


@bp.route("/", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def upload():
    """Choose a kind and a ledger file; the file is read at once, its problems shown here."""
    county_id = _county_id()
    form = UploadForm()
    mappings = db.session.execute(
        select(ImportMapping).where(ImportMapping.county_id == county_id).order_by(ImportMapping.name)
    ).scalars()

    def page(**extra):
        return render_template(
            "imports/upload.html",
            form=form,
            kinds=KINDS,
            mappings=list(mappings),
            limit=upload_limit(),
            **extra,
        )

    def save():
        kind = request.form.get("kind", "")
        if kind not in KINDS:
            raise ServiceError(_("请选择导入内容"))
        upload = request.files.get("file")
        data = upload.read(upload_limit() + 1) if upload else b""
        if len(data) > upload_limit():
            raise ServiceError(
                _(
                    "文件太大，网页上传不能超过 %(mb)s MB；更大的台账请拆分，或由管理员用命令行导入",
                    mb=upload_limit() // 1024 // 1024,
                )
            )
        try:
            _read(kind, data)
        except ImportFileError as exc:
            raise ServiceError(str(exc)) from None
        sha = services.sha256(data)
        path = _upload_path(county_id, sha)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return kind, sha, (upload.filename or "")[:200], request.form.get("mapping", "")

    return form_post(
        form,
        save=save,
        page=page,
        done=lambda r: redirect(url_for("imports.review", kind=r[0], sha=r[1], name=r[2], mapping=r[3])),
    )


def _posted_mapping(kind: str, table, values) -> dict[str, str]:
    """Header → field from the mapping page's selects ``col_<column index>``."""
    return {
        header_key(h): values.get(f"col_{i}")
        for i, h in enumerate(table.headers)
        if values.get(f"col_{i}") in FIELDS[kind]
    }


@bp.route("/review", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def review():
    """The column mapping and the dry-run report; confirming commits the import."""
    county_id = _county_id()
    kind = _kind(request.values.get("kind", ""))
    sha = request.values.get("sha", "")
    path = _upload_path(county_id, sha)
    if not path.exists():
        abort(404)
    data = path.read_bytes()
    table = _read(kind, data)
    saved = services.saved_mapping(county_id, kind, request.values.get("mapping", ""))
    if request.method == "POST":
        mapping = _posted_mapping(kind, table, request.form)
    else:
        mapping = guess_mapping(kind, table.headers, saved.columns if saved else None)
    choices = {
        int(key[7:]): value
        for key, value in request.form.items()
        if key.startswith("choice_") and key[7:].isdigit() and value in services.CHOICES
    }
    form = UploadForm()
    if request.method == "POST" and not form.validate_on_submit():
        abort(400)  # a post without its CSRF token runs nothing, not even the dry run
    commit = request.form.get("action") == "commit"
    # The report the page shows: a refused commit's, else the dry run's. Confirming runs the
    # import once: its checks are the dry run's, and a clean ledger needs no page.
    refused: list[services.Report] = []

    def dry_run() -> services.Report:
        report = services.run_import(
            table, kind, mapping, county_id=county_id, actor=current_user, commit=False, choices=choices
        )
        db.session.rollback()
        return report

    def page(**extra):
        report = refused[-1] if refused else dry_run()
        return render_template(
            "imports/review.html",
            form=form,
            kind=kind,
            kinds=KINDS,
            fields=FIELDS[kind],
            table=table,
            mapping=mapping,
            report=report,
            sha=sha,
            name=request.values.get("name", ""),
            choices=services.CHOICES,
            report_url=url_for(
                "imports.report_workbook",
                kind=kind,
                sha=sha,
                **{f"col_{i}": mapping[h] for i, h in enumerate(table.headers) if h in mapping},
            ),
            **extra,
        )

    if request.method == "POST" and request.form.get("mapping_name"):
        services.save_mapping(county_id, kind, request.form["mapping_name"], mapping)
        db.session.commit()
        flash(_("列映射已保存"), "success")
    if not commit:
        return page()

    def save():
        done = services.run_import(
            table,
            kind,
            mapping,
            county_id=county_id,
            actor=current_user,
            commit=True,
            choices=choices,
            file_name=request.values.get("name", ""),
            file_sha256=sha,
        )
        if done.batch is None:
            refused.append(done)
            raise ServiceError(
                _("有 %(n)s 处问题，未导入任何数据；请修改台账后重新上传", n=len(done.problems))
            )
        return done.batch

    return form_post(
        form,
        save=save,
        page=page,
        done=lambda batch: redirect(url_for("imports.batch", batch_id=batch.id)),
        saved=_("导入完成"),
    )


@bp.route("/report.xlsx")
@roles_required(*WRITE_ROLES)
def report_workbook():
    """The dry run's problems marked on the ledger's rows, as a workbook."""
    county_id = _county_id()
    kind = _kind(request.args.get("kind", ""))
    path = _upload_path(county_id, request.args.get("sha", ""))
    if not path.exists():
        abort(404)
    table = _read(kind, path.read_bytes())
    mapping = _posted_mapping(kind, table, request.args) or guess_mapping(kind, table.headers)
    report = services.run_import(table, kind, mapping, county_id=county_id, actor=current_user)
    db.session.rollback()
    return _xlsx(problems_workbook(table, report), "试导入结果.xlsx")


@bp.route("/template/<any(projects, companies, contacts, funds, activities):kind>.xlsx")
@roles_required(*WRITE_ROLES)
def template(kind: str):
    """A blank ledger with the usual headers of one kind."""
    return _xlsx(template_workbook(_kind(kind)), f"{KINDS[kind]}导入模板.xlsx")


def _xlsx(data: bytes, filename: str):
    return current_app.response_class(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": content_disposition(filename)},
    )


@bp.route("/batches")
@roles_required(*WRITE_ROLES)
def batches():
    """The county's import batches, newest first."""
    rows = db.session.execute(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(200)).scalars()
    return render_template("imports/batches.html", batches=list(rows), kinds=KINDS)


@bp.route("/batches/<int:batch_id>")
@roles_required(*WRITE_ROLES)
def batch(batch_id: int):
    """One batch: its file, counts and whether a manager may undo it."""
    record = load_or_404(ImportBatch, batch_id)
    refusal = services.undo_refusal(record)
    return render_template(
        "imports/batch.html",
        batch=record,
        kinds=KINDS,
        refusal=refusal,
        can_undo=current_user.has_role("manager") and refusal is None,
    )


@bp.route("/batches/<int:batch_id>/undo", methods=["POST"])
@roles_required("manager")
def undo(batch_id: int):
    """Undo a batch (a manager, while no later edit touched its records)."""
    record = writable(ImportBatch, batch_id)
    back = url_for("imports.batch", batch_id=record.id)
    return action_post(
        lambda: services.undo_batch(record, current_user), back=back, saved=_("导入批次已撤销")
    )
