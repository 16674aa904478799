"""公示 pages: publishing a list for its 公示期, recording and resolving objections."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.core import clock
from crm.core.access import WRITE_ROLES, roles_required, writable
from crm.core.handlers import at_version, form_page, form_post, go_to
from crm.projects.confidential import name_for
from crm.rewards import publicity
from crm.rewards.forms import ObjectionDecisionForm, ObjectionForm, PublishForm
from crm.rewards.models import RewardList, RewardObjection
from crm.rewards.views.common import bp


def _to_list(reward_list: RewardList):
    return go_to(url_for("rewards.show_list", list_id=reward_list.id))


@bp.route("/lists/<int:list_id>/publish", methods=["GET", "POST"])
@roles_required("manager")
def publish_list(list_id: int):
    """Publish a draft for its 公示期 (a manager's act): its lines are frozen from then on."""
    reward_list = writable(RewardList, list_id)
    form = at_version(PublishForm(), reward_list)
    return form_post(
        form,
        save=lambda: publicity.publish_list(
            reward_list, form.notice_start.data, form.notice_end.data, form.version.data or None
        ),
        page=form_page("rewards/publish_form.html", form=form, reward_list=reward_list),
        done=_to_list(reward_list),
        saved=_("名单已进入公示期"),
    )


@bp.route("/lists/<int:list_id>/objections/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def new_objection(list_id: int):
    """Record an objection received during the 公示期 against one line of the notice."""
    reward_list = writable(RewardList, list_id)
    form = ObjectionForm()
    form.line_id.choices = [
        (line.id, name_for(line.project_ref, current_user)) for line in reward_list.eligible_lines
    ]
    if not form.is_submitted():
        form.received_on.data = clock.today()
    return form_post(
        form,
        save=lambda: publicity.record_objection(reward_list, **form.values()),
        page=form_page("rewards/objection_form.html", form=form, reward_list=reward_list),
        done=_to_list(reward_list),
        saved=_("异议已登记"),
    )


@bp.route("/objections/<int:objection_id>/resolve", methods=["GET", "POST"])
@roles_required("manager")
def resolve_objection(objection_id: int):
    """A manager's finding on an objection; upheld withdraws the line's reward."""
    objection = writable(RewardObjection, objection_id)
    form = at_version(ObjectionDecisionForm(), objection)
    return form_post(
        form,
        save=lambda: publicity.resolve_objection(
            objection, form.decision.data, form.outcome.data, form.version.data or None
        ),
        page=form_page("rewards/objection_resolve.html", form=form, objection=objection),
        done=_to_list(objection.reward_list),
        saved=_("异议已处理"),
    )
