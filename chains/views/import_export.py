"""A chain in and out: import from a chain document, export it as one, and the two lists
(两清单) as XLSX: the gap list and the target-firm list."""

from __future__ import annotations

from flask import Response, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user

from chains import exports, services
from chains.documents import dump_chain_document
from chains.forms import ImportForm
from chains.models import Chain
from chains.views.common import bp, detail_url
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, require_write, roles_required
from crm.core.errors import ServiceError
from crm.core.handlers import form_post
from crm.util.exports import content_disposition

__all__ = ["export_json", "gaps_xlsx", "import_chain", "targets_xlsx"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _uploaded_bytes(form: ImportForm) -> bytes:
    """The uploaded file, read up to one byte past the limit (so an oversized file is
    refused by its size, not read whole)."""
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        message = _("请选择要导入的 JSON 文件")
        raise ServiceError(message, {"file": [message]})
    return upload.read(services.MAX_IMPORT_BYTES + 1)


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def import_chain():
    """A new chain of the user's county from a chain document (JSON); nothing is written
    when the file is refused, and every problem in it is named."""
    require_write()
    form = ImportForm()
    return form_post(
        form,
        save=lambda: services.import_chain(
            _uploaded_bytes(form),
            name=form.name.data or "",
            leader_official=form.leader_official.data or "",
        ),
        page=lambda **_extra: render_template("chains/import.html", form=form),
        done=lambda chain: redirect(detail_url(chain)),
        saved=_("产业链已导入"),
    )


@bp.route("/<int:chain_id>/export.json")
@roles_required(*READ_ROLES)
def export_json(chain_id: int):
    """The chain as a chain document, to import in another county or keep."""
    chain = load_or_404(Chain, chain_id)
    body = dump_chain_document(services.export_chain_document(chain))
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": content_disposition(f"{chain.name}.json")},
    )


def _xlsx(data: bytes, filename: str) -> Response:
    return Response(data, mimetype=XLSX, headers={"Content-Disposition": content_disposition(filename)})


@bp.route("/<int:chain_id>/gaps.xlsx")
@roles_required(*READ_ROLES)
def gaps_xlsx(chain_id: int):
    """缺链清单: gap and targeted segments, most critical first, with their targets and projects."""
    chain = load_or_404(Chain, chain_id)
    analysis = services.analyse(chain, with_suggestions=False, with_rates=False)
    projects = services.open_projects_by_segment([n for n, _s in analysis.gaps])
    data = exports.gap_list_xlsx(chain.name, analysis, projects, current_user)
    return _xlsx(data, f"{chain.name}缺链清单.xlsx")


@bp.route("/<int:chain_id>/targets.xlsx")
@roles_required(*READ_ROLES)
def targets_xlsx(chain_id: int):
    """招商目标企业清单: every target firm on the chain, upstream to downstream."""
    chain = load_or_404(Chain, chain_id)
    analysis = services.analyse(chain, with_suggestions=False, with_rates=False)
    return _xlsx(exports.target_list_xlsx(chain.name, analysis), f"{chain.name}招商目标企业清单.xlsx")
