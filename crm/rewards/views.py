from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload

from crm.core import clock
from crm.core.access import (
    READ_ROLES,
    WRITE_ROLES,
    load_or_404,
    require_write,
    roles_required,
)
from crm.core.db import db
from crm.core.errors import ConflictError, ServiceError
from crm.core.forms import apply_service_errors
from crm.core.pagination import page_args
from crm.projects.confidential import name_column
from crm.projects.models import STAGE_LABELS, Project
from crm.regions.models import Region
from crm.rewards import exports, services
from crm.rewards.forms import DisputeForm, ListForm, ReferralForm, RuleForm, VersionForm
from crm.rewards.models import (
    BASES,
    INELIGIBLE_REASONS,
    LIST_STATUSES,
    MODE_LABELS,
    REFERRAL_STATUSES,
    REFERRER_KINDS,
    Referral,
    RewardList,
    RewardRule,
)
from crm.rewards.util import describe_tiers, parse_tiers_text, tiers_to_text
from crm.util.exports import content_disposition

bp = Blueprint("rewards", __name__, url_prefix="/rewards")

LABELS = {
    "bases": BASES,
    "modes": MODE_LABELS,
    "stages": STAGE_LABELS,
    "kinds": REFERRER_KINDS,
    "referral_statuses": REFERRAL_STATUSES,
    "list_statuses": LIST_STATUSES,
    "reasons": INELIGIBLE_REASONS,
}


@bp.context_processor
def _labels():
    return {"labels": LABELS, "describe_tiers": describe_tiers, "dispute_count": _dispute_count}


def _dispute_count() -> int:
    if not current_user.is_authenticated or not current_user.has_role("manager"):
        return 0
    return db.session.execute(
        select(func.count()).select_from(Referral).where(Referral.status == "disputed")
    ).scalar_one()


def _county_names() -> dict[int, str]:
    return dict(db.session.execute(select(Region.id, Region.name)).all())


def _page(statement, count_statement) -> dict:
    """One page of an ORM select (PER_PAGE rows, ``?page=``) as template arguments for ``pager``.

    ``count_statement`` counts the same rows without the ordering and eager loads."""
    page, per_page = page_args()
    total = db.session.execute(count_statement).scalar_one()
    rows = (
        db.session.execute(statement.limit(per_page).offset((page - 1) * per_page)).unique().scalars().all()
    )
    return {"rows": rows, "page": page, "per_page": per_page, "total": total}


# ---- referrals -------------------------------------------------------------------------------


@bp.route("/referrals")
@roles_required(*READ_ROLES)
def referrals():
    status = request.args.get("status") or None
    where = [Referral.status == status] if status in REFERRAL_STATUSES else []
    page, per_page = page_args()
    # project_id is NOT NULL with a cascading FK: counting referrals alone counts the same rows.
    total = db.session.execute(select(func.count()).select_from(Referral).where(*where)).scalar_one()
    # Sort and cut the page on narrow rows (ids), then load just those rows with the project each
    # row shows (name, signing date) through the same join: a deep page of a province stays cheap.
    order = (Project.name, Referral.id)
    ids = (
        db.session.execute(
            select(Referral.id)
            .join(Referral.project)
            .where(*where)
            .order_by(*order)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        .scalars()
        .all()
    )
    rows = (
        db.session.execute(
            select(Referral)
            .join(Referral.project)
            .options(contains_eager(Referral.project))
            .where(Referral.id.in_(ids))
            .order_by(*order)
        )
        .scalars()
        .all()
        if ids
        else []
    )
    return render_template(
        "rewards/referrals.html",
        referrals=rows,
        status=status,
        counties=_county_names(),
        page=page,
        per_page=per_page,
        total=total,
    )


def _project_choices(form: ReferralForm) -> None:
    # Named and ordered as the user may read them: a confidential project is listed by its
    # code name, in the code name's place (its real name's place would hint at the name).
    shown = name_column(current_user)
    projects = db.session.execute(select(Project.id, shown).order_by(shown, Project.id)).all()
    form.project_id.choices = [(0, _("请选择项目"))] + [(pid, name) for pid, name in projects]


def _referral_values(form: ReferralForm) -> dict:
    return {key: getattr(form, key).data for key in services.REFERRAL_FIELDS}


@bp.route("/referrals/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def new_referral():
    require_write()
    form = ReferralForm()
    _project_choices(form)
    if request.method == "GET" and request.args.get("project_id", "").isdigit():
        form.project_id.data = int(request.args["project_id"])
    if form.validate_on_submit():
        project = load_or_404(Project, form.project_id.data)
        try:
            referral, refused = services.register_referral(project, **_referral_values(form))
        except ServiceError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
        else:
            late = referral.registered_late()
            db.session.commit()
            if refused:
                flash(
                    _("该项目已有有效的引荐备案，本次登记未被采纳，已列入“引荐争议”由局长处理。"), "warning"
                )
            else:
                flash(_("引荐备案已登记"), "success")
            if late:
                flash(_("备案登记日期晚于项目签约日期：已登记，但该项目不能获得引荐奖励。"), "warning")
            return redirect(url_for("rewards.referrals"))
    return render_template("rewards/referral_form.html", form=form, referral=None)


@bp.route("/referrals/<int:referral_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit_referral(referral_id: int):
    referral = load_or_404(Referral, referral_id)
    require_write(referral)
    form = ReferralForm(obj=referral if request.method == "GET" else None)
    form.project_id.choices = [(referral.project_id, referral.project.name_for(current_user))]
    form.project_id.data = referral.project_id
    if request.method == "GET":
        form.version.data = str(referral.version)
    if form.validate_on_submit():
        try:
            services.update_referral(referral, version=form.version.data or None, **_referral_values(form))
        except ConflictError as exc:
            db.session.rollback()
            flash(_("该引荐备案已被他人修改，当前值已显示，请确认后重新保存。"), "warning")
            return render_template(
                "rewards/referral_form.html", form=form, referral=referral, conflict=exc.current
            ), 409
        except ServiceError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
        else:
            late = referral.registered_late()
            db.session.commit()
            flash(_("引荐备案已保存"), "success")
            if late:
                flash(_("备案登记日期晚于项目签约日期：该项目不能获得引荐奖励。"), "warning")
            return redirect(url_for("rewards.referrals"))
    return render_template("rewards/referral_form.html", form=form, referral=referral)


@bp.route("/referrals/<int:referral_id>/delete", methods=["POST"])
@roles_required("manager")
def delete_referral(referral_id: int):
    referral = load_or_404(Referral, referral_id)
    require_write(referral)
    try:
        services.delete_referral(referral)
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
    else:
        db.session.commit()
        flash(_("引荐备案已删除"), "success")
    return redirect(url_for("rewards.referrals"))


@bp.route("/disputes")
@roles_required("manager")
def disputes():
    page = _page(
        select(Referral)
        .where(Referral.status == "disputed")
        .options(joinedload(Referral.project))
        .order_by(Referral.created_at, Referral.id),
        select(func.count()).select_from(Referral).where(Referral.status == "disputed"),
    )
    claims = page.pop("rows")
    current = services.active_referrals({c.project_id for c in claims})
    return render_template(
        "rewards/disputes.html", claims=claims, current=current, form=DisputeForm(), **page
    )


@bp.route("/disputes/<int:referral_id>/resolve", methods=["POST"])
@roles_required("manager")
def resolve_dispute(referral_id: int):
    claim = load_or_404(Referral, referral_id)
    require_write(claim)
    form = DisputeForm()
    if form.validate_on_submit():
        try:
            services.resolve_dispute(claim, form.action.data, form.note.data)
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "danger")
        else:
            db.session.commit()
            flash(_("引荐争议已处理"), "success")
    else:
        flash(_("请选择处理方式"), "danger")
    return redirect(url_for("rewards.disputes"))


# ---- rules -----------------------------------------------------------------------------------


@bp.route("/rules")
@roles_required(*READ_ROLES)
def rules():
    page = _page(
        select(RewardRule).order_by(
            RewardRule.year.desc(), RewardRule.lineage_id, RewardRule.rule_version.desc(), RewardRule.id
        ),
        select(func.count()).select_from(RewardRule),
    )
    return render_template("rewards/rules.html", rules=page.pop("rows"), counties=_county_names(), **page)


def _rule_values(form: RuleForm) -> dict:
    values = {key: getattr(form, key).data for key in services.RULE_FIELDS}
    values["tiers"] = parse_tiers_text(form.tiers.data)
    return values


def _save_rule(form: RuleForm, rule: RewardRule | None):
    """Run the service; return the saved rule, or None with the errors put on the form."""
    try:
        values = _rule_values(form)
    except ValueError as exc:
        form.tiers.errors = list(form.tiers.errors) + [str(exc)]
        return None
    try:
        if rule is None:
            return services.create_rule(**values)
        return services.update_rule(rule, version=form.version.data or None, **values)
    except ConflictError:
        raise
    except ServiceError as exc:
        db.session.rollback()
        apply_service_errors(form, exc)
        return None


@bp.route("/rules/new", methods=["GET", "POST"])
@roles_required("manager")
def new_rule():
    require_write()
    form = RuleForm()
    if request.method == "GET":
        form.year.data = clock.today().year
        form.tiers.data = "1000, 5\n5000, 3\n不限, 2"
    if form.validate_on_submit():
        rule = _save_rule(form, None)
        if rule is not None:
            db.session.commit()
            flash(_("奖励办法已保存"), "success")
            return redirect(url_for("rewards.rule", rule_id=rule.id))
    return render_template("rewards/rule_form.html", form=form, rule=None)


@bp.route("/rules/<int:rule_id>/edit", methods=["GET", "POST"])
@roles_required("manager")
def edit_rule(rule_id: int):
    rule = load_or_404(RewardRule, rule_id)
    require_write(rule)
    if not rule.is_current:
        flash(_("此版本已被新版本取代，请修改最新版本。"), "warning")
        return redirect(url_for("rewards.rule", rule_id=rule.superseded_by_id))
    form = RuleForm(obj=rule if request.method == "GET" else None)
    in_use = services.rule_in_finalized_list(rule)
    if request.method == "GET":
        form.tiers.data = tiers_to_text(rule.tiers)
        form.version.data = str(rule.version)
    if form.validate_on_submit():
        try:
            saved = _save_rule(form, rule)
        except ConflictError as exc:
            db.session.rollback()
            flash(_("该奖励办法已被他人修改，请刷新后再改。"), "warning")
            return render_template(
                "rewards/rule_form.html", form=form, rule=rule, in_use=in_use, conflict=exc.current
            ), 409
        if saved is not None:
            db.session.commit()
            if saved.id != rule.id:
                flash(
                    _("该办法已用于定稿名单，修改已保存为第%(n)d版，原版本保持不变。", n=saved.rule_version),
                    "info",
                )
            else:
                flash(_("奖励办法已保存"), "success")
            return redirect(url_for("rewards.rule", rule_id=saved.id))
    return render_template("rewards/rule_form.html", form=form, rule=rule, in_use=in_use)


@bp.route("/rules/<int:rule_id>")
@roles_required(*READ_ROLES)
def rule(rule_id: int):
    rule = load_or_404(RewardRule, rule_id)
    period = (request.args.get("period") or "").strip()
    result, error, status, frozen = None, None, 200, None
    if period:
        try:
            result = services.eligibility(rule, period)
        except ServiceError as exc:
            error, status = exc.message, 422
        else:
            frozen = services.finalized_list_for(rule, result.period_start, result.period_end)
    lists = (
        db.session.execute(
            select(RewardList)
            .where(RewardList.rule_lineage_id == (rule.lineage_id or rule.id))
            .order_by(RewardList.id.desc())
        )
        .scalars()
        .all()
    )
    versions = (
        db.session.execute(
            select(RewardRule)
            .where(RewardRule.lineage_id == (rule.lineage_id or rule.id))
            .order_by(RewardRule.rule_version)
        )
        .scalars()
        .all()
    )
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
        lists=lists,
        versions=versions,
        list_form=list_form,
        frozen=frozen,
    ), status


@bp.route("/rules/<int:rule_id>/export.<any(xlsx, csv):fmt>")
@roles_required(*READ_ROLES)
def export_eligibility(rule_id: int, fmt: str):
    """The computed eligibility of a period (or its finalized list, if there is one) as a file."""
    rule = load_or_404(RewardRule, rule_id)
    try:
        result = services.eligibility(rule, request.args.get("period", ""))
    except ServiceError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("rewards.rule", rule_id=rule.id))
    source = services.finalized_list_for(rule, result.period_start, result.period_end) or result
    return _file_response(source, fmt, request.args.get("encoding", ""))


def _file_response(source, fmt: str, encoding: str) -> Response:
    """The list as a file, each project named as the user may read it."""
    name = exports.file_stem(source) + "." + fmt
    if fmt == "xlsx":
        return Response(
            exports.to_xlsx(source, current_user),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": content_disposition(name)},
        )
    encoding = "gb18030" if encoding.lower() == "gb18030" else "utf-8-sig"
    charset = "gb18030" if encoding == "gb18030" else "utf-8"
    return Response(
        exports.to_csv(source, encoding, current_user),
        headers={
            "Content-Disposition": content_disposition(name),
            "Content-Type": f"text/csv; charset={charset}",
        },
    )


# ---- lists -----------------------------------------------------------------------------------


@bp.route("/")
@roles_required(*READ_ROLES)
def index():
    page = _page(
        select(RewardList).order_by(RewardList.id.desc()), select(func.count()).select_from(RewardList)
    )
    return render_template("rewards/lists.html", lists=page.pop("rows"), counties=_county_names(), **page)


@bp.route("/lists/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def new_list():
    require_write()
    form = ListForm()
    rules = (
        db.session.execute(
            select(RewardRule)
            .where(RewardRule.superseded_by_id.is_(None))
            .order_by(RewardRule.year.desc(), RewardRule.id)
        )
        .scalars()
        .all()
    )
    form.rule_id.choices = [(r.id, f"{r.year} {r.name}（第{r.rule_version}版）") for r in rules]
    if request.method == "GET" and request.args.get("rule_id", "").isdigit():
        form.rule_id.data = int(request.args["rule_id"])
    if form.validate_on_submit():
        rule = load_or_404(RewardRule, form.rule_id.data)
        try:
            reward_list = services.create_list(rule, form.period.data, form.title.data)
        except ServiceError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
        else:
            db.session.commit()
            flash(_("名单草稿已生成，请核对后由局长定稿"), "success")
            return redirect(url_for("rewards.show_list", list_id=reward_list.id))
    return render_template("rewards/list_form.html", form=form), 422 if request.method == "POST" else 200


@bp.route("/lists/<int:list_id>")
@roles_required(*READ_ROLES)
def show_list(list_id: int):
    reward_list = load_or_404(RewardList, list_id)
    form = VersionForm()
    form.version.data = str(reward_list.version)
    return render_template("rewards/list.html", reward_list=reward_list, form=form, counties=_county_names())


def _list_action(list_id: int, action, done_message: str):
    reward_list = load_or_404(RewardList, list_id)
    require_write(reward_list)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        action(reward_list, form.version.data or None)
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return redirect(url_for("rewards.show_list", list_id=list_id))
    db.session.commit()
    flash(done_message, "success")
    return None


@bp.route("/lists/<int:list_id>/refresh", methods=["POST"])
@roles_required(*WRITE_ROLES)
def refresh_list(list_id: int):
    return _list_action(
        list_id, lambda lst, _version: services.refresh_list(lst), _("名单已按当前数据重新计算")
    ) or redirect(url_for("rewards.show_list", list_id=list_id))


@bp.route("/lists/<int:list_id>/finalize", methods=["POST"])
@roles_required("manager")
def finalize_list(list_id: int):
    return _list_action(list_id, services.finalize_list, _("名单已定稿，此后不再改变")) or redirect(
        url_for("rewards.show_list", list_id=list_id)
    )


@bp.route("/lists/<int:list_id>/delete", methods=["POST"])
@roles_required(*WRITE_ROLES)
def delete_list(list_id: int):
    return _list_action(
        list_id, lambda lst, _version: services.delete_list(lst), _("名单草稿已删除")
    ) or redirect(url_for("rewards.index"))


@bp.route("/lists/<int:list_id>/export.xlsx")
@roles_required(*READ_ROLES)
def export_xlsx(list_id: int):
    return _file_response(load_or_404(RewardList, list_id), "xlsx", "")


@bp.route("/lists/<int:list_id>/export.csv")
@roles_required(*READ_ROLES)
def export_csv(list_id: int):
    return _file_response(load_or_404(RewardList, list_id), "csv", request.args.get("encoding", ""))


@bp.route("/lists/<int:list_id>/notice")
@roles_required(*READ_ROLES)
def notice(list_id: int):
    reward_list = load_or_404(RewardList, list_id)
    county = db.session.get(Region, reward_list.county_id)
    # Stored in UTC; the notice carries the date in China.
    dated = (reward_list.finalized_at + timedelta(hours=8)).date() if reward_list.finalized_at else None
    return render_template("rewards/notice.html", reward_list=reward_list, county=county, dated=dated)
