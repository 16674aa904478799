"""Pages of the investor's obligations (企业履约): register, change, assess, lift a withhold."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.commitments import queries, services
from crm.commitments.alerts import DUE_SOON_DAYS
from crm.commitments.blueprints import bp
from crm.commitments.forms import LiftForm, ObligationForm, OutcomeForm
from crm.commitments.models import Obligation
from crm.core import clock
from crm.core.access import READ_ROLES, WRITE_ROLES, roles_required, writable
from crm.core.handlers import at_version, edit_form, form_page, form_post, go_to
from crm.core.pagination import paged
from crm.core.parsing import int_or_none
from crm.core.redirects import next_or
from crm.projects.models import Project


@bp.route("/obligations/due")
@roles_required(*READ_ROLES)
def obligations_due():
    """The investors' obligations awaiting their check that are overdue or fall due within
    30 days, earliest first (the manager's inbox links here)."""
    today = clock.today()
    obligations, pager = paged(
        lambda page, per_page: queries.obligations_due_page(today, DUE_SOON_DAYS, page, per_page)
    )
    return render_template(
        "commitments/obligations_due.html", obligations=obligations, today=today, days=DUE_SOON_DAYS, **pager
    )


def _to_project_register(project_id: int):
    return go_to(url_for("commitments.project_register", project_id=project_id))


@bp.route("/projects/<int:project_id>/obligations/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def create_obligation(project_id: int):
    """Register what the investor promised back on a project."""
    project = writable(Project, project_id)
    form = ObligationForm()
    return form_post(
        form,
        save=lambda: services.create_obligation(project, current_user, **form.values()),
        page=form_page("commitments/obligation_form.html", form=form, project=project, obligation=None),
        done=go_to(next_or(url_for("commitments.project_register", project_id=project.id))),
        saved=_("企业履约事项已登记"),
    )


def _obligation_post(obligation_id: int, make_form, template: str, save, saved: str):
    """The page of ``make_form(obligation)`` on one obligation, saved by
    ``save(obligation, user, version=, **form.values())``, then back to its project's register."""
    obligation = writable(Obligation, obligation_id)
    form = make_form(obligation)
    return form_post(
        form,
        save=lambda: save(obligation, current_user, version=int_or_none(form.version.data), **form.values()),
        page=form_page(template, form=form, project=obligation.project, obligation=obligation),
        done=_to_project_register(obligation.project_id),
        saved=saved,
    )


@bp.route("/obligations/<int:obligation_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit_obligation(obligation_id: int):
    """Change a pending obligation (refused if someone saved it first)."""
    return _obligation_post(
        obligation_id,
        lambda obligation: edit_form(ObligationForm, obligation),
        "commitments/obligation_form.html",
        services.update_obligation,
        _("企业履约事项已保存"),
    )


@bp.route("/obligations/<int:obligation_id>/outcome", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def obligation_outcome(obligation_id: int):
    """Assess a pending obligation from what actually happened."""
    return _obligation_post(
        obligation_id,
        lambda obligation: at_version(OutcomeForm(), obligation),
        "commitments/outcome_form.html",
        services.record_obligation_outcome,
        _("履约核验已记录"),
    )


@bp.route("/obligations/<int:obligation_id>/lift", methods=["GET", "POST"])
@roles_required("manager")
def lift_withhold(obligation_id: int):
    """A manager ends the suspension a missed obligation caused."""
    return _obligation_post(
        obligation_id,
        lambda obligation: at_version(LiftForm(), obligation),
        "commitments/lift_form.html",
        services.lift_withhold,
        _("已解除暂缓，相关承诺恢复原状态"),
    )
