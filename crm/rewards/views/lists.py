"""奖励名单 pages: the lists, making a draft, recomputing, finalizing, the files and the 公示 notice."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm.core import clock
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, require_write, roles_required
from crm.core.db import db
from crm.core.handlers import act_on_record, form_page, form_post, posted_version
from crm.core.pagination import page_args
from crm.core.parsing import record_id_or_none
from crm.regions.models import Region
from crm.regions.services import region_names
from crm.rewards import queries, services
from crm.rewards.discrepancies import discrepancies
from crm.rewards.forms import ListForm, VersionForm
from crm.rewards.models import RewardList, RewardRule
from crm.rewards.periods import cn_date, period_label
from crm.rewards.views.common import bp, file_response


@bp.route("/")
@roles_required(*READ_ROLES)
def index():
    """Every reward list, newest first; ``?status=unfinalized``: those awaiting finalization."""
    unfinalized = request.args.get("status") == "unfinalized"
    page = queries.lists_page(*page_args(), unfinalized=unfinalized)
    return render_template(
        "rewards/lists.html",
        lists=page.pop("rows"),
        counties=region_names(),
        unfinalized=unfinalized,
        **page,
    )


@bp.route("/lists/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def new_list():
    """Compute a draft list for a rule and a period."""
    require_write()
    form = ListForm()
    form.rule_id.choices = [
        (r.id, _("%(year)d %(name)s（第%(n)d版）", year=r.year, name=r.name, n=r.rule_version))
        for r in queries.current_rules()
    ]
    if request.method == "GET":
        form.rule_id.data = record_id_or_none(request.args.get("rule_id"))
    return form_post(
        form,
        save=lambda: services.create_list(
            load_or_404(RewardRule, form.rule_id.data), form.period.data, form.title.data
        ),
        page=form_page("rewards/list_form.html", form=form),
        done=lambda reward_list: redirect(url_for("rewards.show_list", list_id=reward_list.id)),
        saved=_("名单草稿已生成，请核对后由局长定稿"),
    )


@bp.route("/lists/<int:list_id>")
@roles_required(*READ_ROLES)
def show_list(list_id: int):
    """A list with its eligible and ineligible lines and the rule as it was applied."""
    reward_list = load_or_404(RewardList, list_id)
    form = VersionForm()
    form.version.data = str(reward_list.version)
    return render_template(
        "rewards/list.html",
        reward_list=reward_list,
        form=form,
        counties=region_names(),
        discrepancies=discrepancies(reward_list),
    )


def _list_act(list_id: int, act, saved: str, done: str | None = None):
    """A button on a list's page: ``act(reward_list)`` under ``action_post``, back to the page."""
    back = url_for("rewards.show_list", list_id=list_id)
    return act_on_record(RewardList, list_id, act, back=lambda _list: back, saved=saved, done=done)


@bp.route("/lists/<int:list_id>/refresh", methods=["POST"])
@roles_required(*WRITE_ROLES)
def refresh_list(list_id: int):
    """Recompute a draft from today's projects, funds and referrals."""
    return _list_act(list_id, services.refresh_list, _("名单已按当前数据重新计算"))


@bp.route("/lists/<int:list_id>/finalize", methods=["POST"])
@roles_required("manager")
def finalize_list(list_id: int):
    """Freeze a list (a manager's act): it never changes afterwards."""
    return _list_act(
        list_id,
        lambda reward_list: services.finalize_list(reward_list, posted_version()),
        _("名单已定稿，此后不再改变"),
    )


@bp.route("/lists/<int:list_id>/delete", methods=["POST"])
@roles_required(*WRITE_ROLES)
def delete_list(list_id: int):
    """Delete a draft."""
    return _list_act(list_id, services.delete_list, _("名单草稿已删除"), done=url_for("rewards.index"))


@bp.route("/lists/<int:list_id>/export.xlsx")
@roles_required(*READ_ROLES)
def export_xlsx(list_id: int):
    """The list as an XLSX workbook (eligible, ineligible, the rule)."""
    return file_response(load_or_404(RewardList, list_id), "xlsx", "")


@bp.route("/lists/<int:list_id>/export.csv")
@roles_required(*READ_ROLES)
def export_csv(list_id: int):
    """The list as CSV (UTF-8 with BOM, or ?encoding=gb18030)."""
    return file_response(load_or_404(RewardList, list_id), "csv", request.args.get("encoding", ""))


@bp.route("/lists/<int:list_id>/notice")
@roles_required(*READ_ROLES)
def notice(list_id: int):
    """The 公示 notice of a list, to print."""
    reward_list = load_or_404(RewardList, list_id)
    county = db.session.get(Region, reward_list.county_id)
    issued_at = reward_list.published_at or reward_list.finalized_at
    # Stored in UTC; the notice carries the date in the bureau's zone.
    dated = clock.local(issued_at).date() if issued_at else None
    return render_template(
        "rewards/notice.html",
        reward_list=reward_list,
        county=county,
        dated=dated,
        period=period_label(reward_list.period_start, reward_list.period_end),
        cn_date=cn_date,
    )
