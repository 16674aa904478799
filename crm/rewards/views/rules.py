"""奖励办法 pages: the rules, writing and revising one, and what a rule pays in a period."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm.core import clock
from crm.core.access import READ_ROLES, load_or_404, require_write, roles_required, writable
from crm.core.forms import parsed_or_refused
from crm.core.handlers import edit_form, form_page, form_post
from crm.core.pagination import page_args
from crm.core.parsing import int_or_none
from crm.regions.services import region_names
from crm.rewards import queries, services
from crm.rewards.forms import ListForm, RuleForm
from crm.rewards.models import RewardRule
from crm.rewards.periods import period_error
from crm.rewards.util import parse_tiers_text
from crm.rewards.views.common import bp, file_response


def _values(form: RuleForm) -> dict:
    """The form's values for the service; tiers that are not one per line are refused there."""
    tiers = parsed_or_refused(form.tiers, parse_tiers_text, _("奖励办法有误，请检查标出的字段"))
    return {**form.values(), "tiers": tiers}


def _to_rule(edited: RewardRule | None = None):
    """The saved rule's page; an edit of a rule a finalized list used became a new version."""

    def done(saved: RewardRule):
        if edited is not None and saved.id != edited.id:
            flash(
                _("该办法已用于定稿名单，修改已保存为第%(n)d版，原版本保持不变。", n=saved.rule_version),
                "info",
            )
        else:
            flash(_("奖励办法已保存"), "success")
        return redirect(url_for("rewards.rule", rule_id=saved.id))

    return done


@bp.route("/rules")
@roles_required(*READ_ROLES)
def rules():
    """Every rule and version, newest year first."""
    page = queries.rules_page(*page_args())
    return render_template("rewards/rules.html", rules=page.pop("rows"), counties=region_names(), **page)


@bp.route("/rules/new", methods=["GET", "POST"])
@roles_required("manager")
def new_rule():
    """Write a county's reward rule (a manager's act)."""
    require_write()
    form = RuleForm()
    if request.method == "GET":
        form.year.data = clock.today().year
        form.tiers.data = "1000, 5\n5000, 3\n不限, 2"
    return form_post(
        form,
        save=lambda: services.create_rule(**_values(form)),
        page=form_page("rewards/rule_form.html", form=form, rule=None, in_use=False),
        done=_to_rule(),
    )


@bp.route("/rules/<int:rule_id>/edit", methods=["GET", "POST"])
@roles_required("manager")
def edit_rule(rule_id: int):
    """Revise a rule; once a finalized list used it, the revision is a new version."""
    rule = writable(RewardRule, rule_id)
    if not rule.is_current:
        flash(_("此版本已被新版本取代，请修改最新版本。"), "warning")
        return redirect(url_for("rewards.rule", rule_id=rule.superseded_by_id))
    form = edit_form(RuleForm, rule)
    if request.method == "GET":
        stored = services.rule_values(rule)
        form.tiers.data, form.industries.data = stored["tiers"], stored["industries"]
    return form_post(
        form,
        save=lambda: services.update_rule(rule, version=int_or_none(form.version.data), **_values(form)),
        page=form_page(
            "rewards/rule_form.html", form=form, rule=rule, in_use=services.rule_in_finalized_list(rule)
        ),
        done=_to_rule(rule),
        conflict=_("该奖励办法已被他人修改，请刷新后再改。"),
    )


@bp.route("/rules/<int:rule_id>")
@roles_required(*READ_ROLES)
def rule(rule_id: int):
    """A rule, its versions and lists, and who it rewards in the period asked for."""
    rule = load_or_404(RewardRule, rule_id)
    period = (request.args.get("period") or "").strip()
    error = period_error(period) if period else None
    result = services.eligibility(rule, period) if period and not error else None
    frozen = services.finalized_list_for(rule, result.period_start, result.period_end) if result else None
    list_form = ListForm()
    list_form.rule_id.choices = [(rule.id, rule.name)]
    list_form.rule_id.data = rule.id
    list_form.period.data = period
    return render_template(
        "rewards/rule.html",
        rule=rule,
        period=period,
        result=result,
        error=error,
        lists=queries.rule_lists(rule),
        versions=queries.rule_versions(rule),
        list_form=list_form,
        frozen=frozen,
    ), 422 if error else 200


@bp.route("/rules/<int:rule_id>/export.<any(xlsx, csv):fmt>")
@roles_required(*READ_ROLES)
def export_eligibility(rule_id: int, fmt: str):
    """The computed eligibility of a period (or its finalized list, if there is one) as a file."""
    rule = load_or_404(RewardRule, rule_id)
    period = request.args.get("period", "")
    error = period_error(period)
    if error:
        flash(error, "danger")
        return redirect(url_for("rewards.rule", rule_id=rule.id))
    result = services.eligibility(rule, period)
    source = services.finalized_list_for(rule, result.period_start, result.period_end) or result
    return file_response(source, fmt, request.args.get("encoding", ""))
