"""Pages of the 存量清理 list: the live commitments whose policy was withdrawn or failed its
review, and a manager's decision on each (issue 14 item 12)."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.commitments import queries, services
from crm.commitments.blueprints import bp
from crm.commitments.forms import CleanupForm
from crm.commitments.models import Commitment
from crm.core.access import READ_ROLES, roles_required, writable
from crm.core.handlers import form_post
from crm.core.parsing import int_or_none


def _cleanup_page(posted: Commitment | None = None, posted_form: CleanupForm | None = None):
    def page(conflict=None):
        rows = queries.cleanup_list()
        forms = {
            row.id: posted_form
            if posted is not None and row.id == posted.id
            else CleanupForm(formdata=None, version=str(row.version))
            for row in rows
        }
        return render_template("commitments/cleanup.html", rows=rows, forms=forms, conflict=conflict)

    return page


@bp.route("/commitments/cleanup")
@roles_required(*READ_ROLES)
def cleanup():
    """The 存量清理 list of the readable counties, oldest cause first."""
    return _cleanup_page()()


@bp.route("/commitments/<int:commitment_id>/cleanup", methods=["POST"])
@roles_required("manager")
def resolve_cleanup(commitment_id: int):
    """A manager continues (on a collective decision) or revokes a listed commitment."""
    commitment = writable(Commitment, commitment_id)
    form = CleanupForm()
    return form_post(
        form,
        save=lambda: services.resolve_cleanup(
            commitment, current_user, version=int_or_none(form.version.data), **form.values()
        ),
        page=_cleanup_page(commitment, form),
        done=lambda _result: redirect(url_for("commitments.cleanup")),
        saved=_("存量清理处理已记录"),
    )
