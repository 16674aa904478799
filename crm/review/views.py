"""Pages of the review: targets from above, the quarter's ranking, a county's frozen
quarter with 同比/环比, freezing, the indicators' import and the review document (通报)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from crm.core import clock
from crm.core.access import READ_ROLES, readable_county_or_404, roles_required
from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.handlers import action_post, edit_form, form_page, form_post, go_to, sheet_post
from crm.core.parsing import int_or_none, year_or_none
from crm.core.tenancy import readable_county_ids
from crm.funds.models import FUND_ORIGINS
from crm.regions.models import Region
from crm.review import importer, queries, services
from crm.review.forms import TARGET_FIELDS, TargetForm, class_field_name, weight_field_name, weights_form
from crm.review.indicators import COUNTY_CLASSES, INDICATORS, RATES, parse_quarter, previous_quarter
from crm.review.report import report_sheet
from crm.util.exports import download

bp = Blueprint("review", __name__)


def county_names(ids) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(Region.id, Region.name).where(Region.id.in_(ids))).all())


def last_ended_quarter() -> tuple[int, int]:
    today = clock.today()
    return previous_quarter(today.year, (today.month - 1) // 3 + 1)


def _quarter_arg(raw: str | None = None) -> tuple[int, int]:
    raw = raw if raw is not None else request.args.get("quarter")
    if not raw:
        return last_ended_quarter()
    try:
        return parse_quarter(raw)
    except ValueError:
        abort(404)


def _year_arg() -> int:
    return year_or_none(request.args.get("year")) or clock.today().year


@bp.route("/targets")
@roles_required(*READ_ROLES)
def targets():
    """The year's targets: a coordinator's counties (to set), a county's own (as given)."""
    year = _year_arg()
    county_ids = readable_county_ids()
    found = queries.targets(county_ids, year)
    return render_template(
        "review/targets.html",
        year=year,
        county_ids=county_ids,
        names=county_names(county_ids),
        targets=found,
        origins=FUND_ORIGINS,
        setter_regions=county_names({t.set_by_region_id for t in found.values()}),
        can_set=current_user.has_role("coordinator"),
    )


@bp.route("/targets/<int:county_id>/<int:year>", methods=["GET", "POST"])
@roles_required(*READ_ROLES)
def edit_target(county_id: int, year: int):
    """A coordinator sets a county's targets for the year."""
    readable_county_or_404(county_id)
    if not current_user.has_role("coordinator"):
        abort(403)
    if not 2000 <= year <= 2100:
        abort(404)
    existing = services.target_of(county_id, year)
    form = edit_form(TargetForm, existing)
    return form_post(
        form,
        save=lambda: services.set_target(
            county_id, year, form.values(), current_user, int_or_none(form.version.data)
        ),
        page=lambda conflict=None: render_template(
            "review/target_form.html",
            form=form,
            year=year,
            county_name=county_names([county_id]).get(county_id, ""),
            conflict=conflict,
            fields=TARGET_FIELDS,
        ),
        done=go_to(url_for("review.targets", year=year)),
        saved=_("年度目标已下达"),
    )


@bp.route("/reviews/weights", methods=["GET", "POST"])
@roles_required("coordinator")
def weights():
    """The coordinator's weights for the year, per county class, and each county's class."""
    year = _year_arg()
    county_ids = readable_county_ids()
    names = county_names(county_ids)
    form = weights_form({cid: names.get(cid, "") for cid in county_ids})
    if request.method == "GET":
        for county_class in COUNTY_CLASSES:
            for code, value in queries.weights_for(current_user.region_id, year, county_class).items():
                getattr(form, weight_field_name(county_class, code)).data = value
        for county_id, county_class in queries.classes_of(county_ids, year).items():
            getattr(form, class_field_name(county_id)).data = county_class

    def save():
        for county_class in COUNTY_CLASSES:
            services.set_weights(year, county_class, form.weights(county_class), current_user)
        for county_id in county_ids:
            services.set_county_class(county_id, year, form.county_class(county_id), current_user)

    return form_post(
        form,
        save=save,
        page=form_page(
            "review/weights.html",
            form=form,
            year=year,
            county_ids=county_ids,
            classes=COUNTY_CLASSES,
            indicators=INDICATORS,
            weight_field=weight_field_name,
            class_field=class_field_name,
        ),
        done=go_to(url_for("review.weights", year=year)),
        saved=_("%(year)s年的权重和县域类型已保存", year=year),
    )


@bp.route("/reviews")
@roles_required(*READ_ROLES)
def index():
    """The quarter: a coordinator's ranking of its counties, a county's own rank."""
    year, quarter = _quarter_arg()
    county_ids = readable_county_ids()
    if current_user.has_role("coordinator"):
        rows = queries.ranking(current_user.region_id, year, quarter)
        frozen = {r.county_id for r in rows}
        return render_template(
            "review/index.html",
            year=year,
            quarter=quarter,
            rows=rows,
            unfrozen=[cid for cid in county_ids if cid not in frozen],
            names=county_names(county_ids),
            indicators=INDICATORS,
            classes=COUNTY_CLASSES,
        )
    county_id = current_user.county_id
    mine, ranked, _region = queries.own_rank(county_id, year, quarter)
    return render_template(
        "review/own.html",
        year=year,
        quarter=quarter,
        mine=mine,
        ranked=ranked,
        county_id=county_id,
        snapshot=queries.snapshots([county_id], year, quarter).get(county_id),
    )


@bp.route("/reviews/<int:county_id>/<quarter_text>")
@roles_required(*READ_ROLES)
def county_quarter(county_id: int, quarter_text: str):
    """One county's frozen quarter: figures, the five rates, 同比/环比, land counts."""
    readable_county_or_404(county_id)
    year, quarter = _quarter_arg(quarter_text)
    snapshot = queries.snapshots([county_id], year, quarter).get(county_id)
    if snapshot is None:
        abort(404)
    return render_template(
        "review/county.html",
        snapshot=snapshot,
        f=snapshot.figures,
        county_name=county_names([county_id]).get(county_id, ""),
        changes=queries.changes(county_id, year, quarter),
        rates=RATES,
        origins=FUND_ORIGINS,
        imported=queries.imported([county_id], year, quarter).get(county_id, {}),
    )


@bp.route("/reviews/freeze", methods=["POST"])
@roles_required("coordinator")
def freeze():
    """Freeze the quarter for every county of the coordinator not frozen yet."""
    year, quarter = _quarter_arg(request.form.get("quarter", ""))
    back = url_for("review.index", quarter=f"{year}Q{quarter}")

    def act():
        county_ids = readable_county_ids()
        frozen = queries.snapshots(county_ids, year, quarter)
        todo = [cid for cid in county_ids if cid not in frozen]
        if not todo:
            raise ServiceError(_("本季度各县均已冻结"))
        for county_id in todo:
            services.freeze_quarter(county_id, year, quarter, current_user)

    return action_post(act, back=back, saved=_("季度数据已冻结"))


@bp.route("/reviews/import", methods=["GET", "POST"])
@roles_required("coordinator")
def import_indicators():
    """Import the quarter's core indicators, bonus and penalty points from a sheet."""
    year, quarter = _quarter_arg(request.values.get("quarter"))

    def page(problems=()):
        return render_template(
            "review/import.html", year=year, quarter=quarter, headers=importer.HEADERS, problems=problems
        ), (422 if problems else 200)

    if request.method != "POST":
        return page()
    return sheet_post(
        lambda name, data: importer.import_indicators(
            importer.read_rows(name, data), year, quarter, current_user
        ),
        limit=2_000_000,
        refused=page,
        done=lambda _count: redirect(url_for("review.index", quarter=f"{year}Q{quarter}")),
        saved=lambda count: _("已导入 %(n)s 个县（区）的指标", n=count),
    )


@bp.route("/reviews/report")
@roles_required("coordinator")
def report():
    """The review document (通报): printable page, or the workbook with ``format=xlsx``."""
    year, quarter = _quarter_arg()
    rows = queries.ranking(current_user.region_id, year, quarter)
    names = county_names(r.county_id for r in rows)
    if request.args.get("format") == "xlsx":
        return download(
            "xlsx", report_sheet(rows, names, year, quarter), _("季度推进点评") + f"_{year}Q{quarter}"
        )
    return render_template(
        "review/report.html",
        year=year,
        quarter=quarter,
        rows=rows,
        names=names,
        indicators=INDICATORS,
        classes=COUNTY_CLASSES,
        region=db.session.get(Region, current_user.region_id),
    )
