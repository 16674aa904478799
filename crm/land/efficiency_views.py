"""亩均效益 pages: the year's table with classes and ranks, entry and import of the data,
the low-efficiency firms with their history, the export and the county's rules."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.core import clock
from crm.core.access import (
    READ_ROLES,
    WRITE_ROLES,
    readable_county_or_404,
    require_write,
    roles_required,
    writable,
)
from crm.core.db import db
from crm.core.handlers import action_post, edit_form, form_page, form_post, go_to, sheet_post
from crm.core.i18n import N_
from crm.core.parsing import int_or_none
from crm.core.tenancy import current_scope, readable_county_ids
from crm.land import importer, queries, services
from crm.land.evaluation import INDICATORS, LOW_CLASSES
from crm.land.forms import EfficiencyForm, ImportForm, RulesForm
from crm.land.models import EfficiencyRecord
from crm.land.views import bp
from crm.regions.models import Region
from crm.util.exports import Sheet, download

INDICATOR_LABELS = {
    "tax": N_("亩均税收（万元/亩）"),
    "va": N_("亩均增加值（万元/亩）"),
    "labour": N_("全员劳动生产率（万元/人）"),
    "energy": N_("单位能耗增加值（万元/吨标煤）"),
}


def _county_id() -> int:
    """The county whose evaluation is shown: ``county`` if given (another county than those
    the user reads is a 404), else the user's own, else the first the user reads."""
    readable = readable_county_ids()
    chosen = request.args.get("county")
    if chosen:
        return readable_county_or_404(chosen)
    if current_user.county_id in readable:
        return current_user.county_id
    if not readable:
        abort(404)
    return readable[0]


def _year(county_id: int) -> int:
    year = int_or_none(request.args.get("year"))
    if year is None or not 2000 <= year <= 2100:
        years = queries.years_with_data(county_id)
        year = years[0] if years else clock.today().year - 1
    return year


def _county_choices():
    scope = current_scope()
    ids = sorted(scope.read_county_ids) if scope else []
    if len(ids) < 2:
        return []
    return list(db.session.execute(Region.__table__.select().where(Region.id.in_(ids)).order_by(Region.id)))


@bp.route("/land/efficiency")
@roles_required(*READ_ROLES)
def efficiency():
    """The year's firms scored and classed A–D by the county's rules, ranked in the county
    and in their park; firms under the minimum land size listed apart."""
    county_id = _county_id()
    year = _year(county_id)
    rules, _row = services.rules_for(county_id)
    firms = queries.efficiency_table(county_id, year)
    counts = {grade: sum(1 for f in firms if f.result.grade == grade) for grade in "ABCD"}
    return render_template(
        "land/efficiency.html",
        firms=firms,
        year=year,
        years=queries.years_with_data(county_id),
        rules=rules,
        counts=counts,
        county_id=county_id,
        counties=_county_choices(),
        indicators=INDICATORS,
        indicator_labels=INDICATOR_LABELS,
        can_write=current_user.has_role(*WRITE_ROLES),
        can_set_rules=current_user.has_role("manager"),
    )


@bp.route("/land/efficiency/low")
@roles_required(*READ_ROLES)
def low_efficiency():
    """Firms classed C or D in the year, with their class in every year on record."""
    county_id = _county_id()
    year = _year(county_id)
    return render_template(
        "land/low.html",
        year=year,
        county_id=county_id,
        history=queries.low_efficiency_history(county_id, year),
        low=LOW_CLASSES,
    )


def _parks(county_id: int) -> dict:
    return {p.id: p for p in queries.parks() if p.county_id == county_id}


def _form_page(form, title: str):
    """An efficiency form's page (``land/form.html``, back to the table), for ``form_post``:
    after a conflict it shows the values now stored, as the park, parcel and carrier forms do."""
    return form_page("land/form.html", form=form, title=title, back=url_for("land.efficiency"))


@bp.route("/land/efficiency/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def new_efficiency_record():
    """Enter one firm's figures for a year."""
    require_write()
    county_id = current_user.county_id
    parks = _parks(county_id)
    form = EfficiencyForm()
    form.park_id.choices = [(p.id, p.name) for p in parks.values()]
    if request.method == "GET":
        form.year.data = clock.today().year - 1
    return form_post(
        form,
        page=_form_page(form, _("亩均数据")),
        done=lambda record: redirect(url_for("land.efficiency", year=record.year)),
        saved=_("亩均数据已保存"),
        save=lambda: services.save_efficiency_record(county_id, form.values(parks)),
    )


@bp.route("/land/efficiency/<int:efficiency_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit_efficiency_record(efficiency_id: int):
    """Correct one firm's figures."""
    record = writable(EfficiencyRecord, efficiency_id)
    parks = _parks(record.county_id)
    form = edit_form(EfficiencyForm, record)
    form.park_id.choices = [(p.id, p.name) for p in parks.values()]
    return form_post(
        form,
        page=_form_page(form, _("亩均数据")),
        done=lambda saved: redirect(url_for("land.efficiency", year=saved.year)),
        saved=_("亩均数据已保存"),
        save=lambda: services.save_efficiency_record(
            record.county_id, form.values(parks), record, int_or_none(form.version.data)
        ),
    )


@bp.route("/land/efficiency/<int:efficiency_id>/delete", methods=["POST"])
@roles_required(*WRITE_ROLES)
def delete_efficiency_record(efficiency_id: int):
    """Delete one firm-year."""
    record = writable(EfficiencyRecord, efficiency_id)
    return action_post(
        lambda: services.delete_efficiency_record(record),
        back=url_for("land.efficiency", year=record.year),
        saved=_("已删除"),
    )


@bp.route("/land/efficiency/import", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def import_efficiency():
    """Import a year's figures from an .xlsx or .csv sheet with the fixed headers."""
    require_write()
    county_id = current_user.county_id
    form = ImportForm()
    if request.method == "GET":
        form.year.data = int_or_none(request.args.get("year")) or clock.today().year - 1

    def page(problems=()):
        return render_template("land/import.html", form=form, headers=importer.HEADERS, problems=problems)

    if not form.validate_on_submit():
        return page(), 422 if request.method == "POST" else 200
    return sheet_post(
        lambda name, data: importer.import_sheet(county_id, form.year.data, importer.read_rows(name, data)),
        limit=importer.MAX_ROWS * 1000,
        refused=lambda problems: (page(problems), 422),
        done=lambda _count: redirect(url_for("land.efficiency", year=form.year.data)),
        saved=lambda count: _("已导入 %(n)s 家企业的亩均数据", n=count),
    )


@bp.route("/land/efficiency/export")
@roles_required(*READ_ROLES)
def export_efficiency():
    """The year's evaluation as XLSX (or CSV): figures, scores, total, class and ranks."""
    county_id = _county_id()
    year = _year(county_id)
    firms = queries.efficiency_table(county_id, year)
    headers = [_(h) for h in importer.HEADERS] + [_(INDICATOR_LABELS[i]) for i in INDICATORS]
    headers += [_("%(indicator)s得分", indicator=_(INDICATOR_LABELS[i]).split("（")[0]) for i in INDICATORS]
    headers += [_("综合得分"), _("分类"), _("县内排名"), _("园区内排名")]

    def rows():
        for f in firms:
            r, res = f.record, f.result
            yield [
                r.park.name,
                r.firm_name,
                r.uscc or "",
                r.land_mu,
                r.value_added_wan,
                r.tax_wan,
                r.energy_tce,
                r.employees,
                *[round(res.values[i], 2) if res.values[i] is not None else None for i in INDICATORS],
                *[res.scores[i] for i in INDICATORS],
                res.total,
                res.grade or _("不参评"),
                f.county_rank,
                f.park_rank,
            ]

    kind = "csv" if request.args.get("format") == "csv" else "xlsx"
    sheet = Sheet(_("亩均效益评价"), headers, rows(), text_columns={2})
    return download(kind, sheet, _("亩均效益评价") + f"_{year}")


@bp.route("/land/efficiency/rules", methods=["GET", "POST"])
@roles_required("manager")
def efficiency_rules():
    """The county's published rules: benchmarks, weights, class thresholds, cap, minimum land."""
    require_write()
    county_id = current_user.county_id
    rules, row = services.rules_for(county_id)
    form = RulesForm()
    if request.method == "GET":
        for indicator, column in (
            ("tax", "benchmark_tax_per_mu"),
            ("va", "benchmark_va_per_mu"),
            ("labour", "benchmark_labour"),
            ("energy", "benchmark_energy"),
        ):
            getattr(form, column).data = rules.benchmarks[indicator]
            getattr(form, f"weight_{indicator}").data = rules.weights[indicator]
        form.threshold_a.data, form.threshold_b.data = rules.threshold_a, rules.threshold_b
        form.threshold_c.data, form.score_cap.data = rules.threshold_c, rules.score_cap
        form.min_land_mu.data = rules.min_land_mu
        form.version.data = str(row.version) if row else ""
    return form_post(
        form,
        page=_form_page(form, _("亩均效益评价规则")),
        done=go_to(url_for("land.efficiency")),
        saved=_("评价规则已保存"),
        save=lambda: services.save_rules(county_id, form.values(), int_or_none(form.version.data)),
    )
