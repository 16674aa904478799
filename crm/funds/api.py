"""/api/v1: a project's funds in place, one record by id (PATCH/DELETE carry ``version``), a
manager's 认定 (confirm/withdraw, with the version confirmed), and a year's figures: what
counts, what awaits 认定 and what is left out (``crm.funds.queries``)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from crm.api.handlers import committed, deleted, page_under, saved_at_version, versioned_body
from crm.api.util import (
    columns_dict,
    delete_version,
    json_body,
    page_args,
    page_json,
    page_of_list,
    version_from,
)
from crm.core import clock
from crm.core.access import load_or_404, writable
from crm.core.errors import ServiceError
from crm.core.parsing import int_or_none, year_or_none
from crm.core.tenancy import readable_county_ids
from crm.funds import queries, rates, services
from crm.funds.models import EXCLUSIONS, FUND_ORIGINS, FundsRecord
from crm.projects.models import Project
from crm.util.dates import parse_month
from crm.util.money import parse_wan

bp = Blueprint("funds_api", __name__, url_prefix="/api/v1")


def parse_payload(data: dict) -> dict:
    """JSON values → service values; anything unreadable answers 422 naming the field."""
    values, errors = {}, {}
    if "month" in data:
        raw = data["month"]
        if not isinstance(raw, str):
            errors["month"] = [_("月份须写成 YYYY-MM")]
        else:
            try:
                values["month"] = parse_month(raw)
            except ValueError as exc:
                errors["month"] = [str(exc)]
    if "origin" in data:
        values["origin"] = data["origin"]
        if not isinstance(data["origin"], str) or data["origin"] not in FUND_ORIGINS:
            errors["origin"] = [_("资金来源须为 %(codes)s 之一", codes=", ".join(FUND_ORIGINS))]
    if "exclusion" in data:
        values["exclusion"] = data["exclusion"]
        if not isinstance(data["exclusion"], str) or data["exclusion"] not in EXCLUSIONS:
            errors["exclusion"] = [_("资金类别须为 %(codes)s 之一", codes=", ".join(EXCLUSIONS))]
    for key in ("amount_wan", "amount_usd_wan"):
        if key in data:
            raw = data[key]
            if raw is None and key == "amount_usd_wan":
                values[key] = None
            elif isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
                errors[key] = [_("金额须为数字或数字文本（万元）")]
            else:
                try:
                    values[key] = parse_wan(raw, allow_negative=True)
                except ValueError as exc:
                    errors[key] = [str(exc)]
    for key in ("evidence_ref", "note"):
        if key in data:
            if data[key] is not None and not isinstance(data[key], str):
                errors[key] = [_("必须是文本")]
            else:
                values[key] = data[key]
    if errors:
        raise ServiceError(_("请求中的字段有误"), errors)
    return values


def record_json(record: FundsRecord) -> dict:
    """The record's columns and its ``standing`` (counted, pending or excluded)."""
    return {**columns_dict(record), "standing": record.standing}


@bp.get("/funds")
def list_funds():
    """One page of the readable counties' funds records, latest month first, filtered by
    ``year``, ``month`` (YYYY-MM), ``standing`` and ``project_id``."""
    month = None
    if request.args.get("month"):
        try:
            month = parse_month(request.args["month"])
        except ValueError as exc:
            raise ServiceError(_("查询参数有误"), {"month": [str(exc)]}) from exc
    page, per_page = page_args()
    rows, total = queries.records_page(
        current_user,
        page,
        per_page,
        year=int_or_none(request.args.get("year")),
        month=month,
        standing_is=request.args.get("standing") or None,
        project_id=int_or_none(request.args.get("project_id")),
    )
    items = [{**record_json(record), "project_name": name} for record, name in rows]
    return page_json(items, total, page, per_page)


@bp.get("/projects/<int:project_id>/funds")
def list_for_project(project_id: int):
    """One page of a project's funds records, newest month first."""
    return page_under(
        Project,
        project_id,
        FundsRecord.project_id,
        record_json,
        order_by=(FundsRecord.month.desc(), FundsRecord.origin),
    )


@bp.post("/projects/<int:project_id>/funds")
def create_for_project(project_id: int):
    """Report funds in place of a project (awaiting 认定)."""
    project = writable(Project, project_id)
    record = services.create_funds(
        project, parse_payload(json_body()), created_by=current_user, today=clock.today()
    )
    return committed(record_json, record, status=201)


@bp.get("/funds/<int:record_id>")
def get_funds(record_id: int):
    """One funds record."""
    return jsonify(record_json(load_or_404(FundsRecord, record_id)))


@bp.patch("/funds/<int:record_id>")
def patch_funds(record_id: int):
    """Change a funds record at the version it was read."""
    record = writable(FundsRecord, record_id)
    data, version = versioned_body()
    values = parse_payload(data)
    return saved_at_version(
        lambda: services.update_funds(record, values, version=version, today=clock.today()), record_json
    )


@bp.delete("/funds/<int:record_id>")
def delete_funds(record_id: int):
    """Delete a funds record (a stale optional version answers 409)."""
    record = writable(FundsRecord, record_id)
    return deleted(lambda: services.delete_funds(record, version=delete_version(), by=current_user))


def _confirmation(record_id: int, act):
    record = writable(FundsRecord, record_id)
    _data, version = versioned_body()
    act(record, current_user, version=version)
    return committed(record_json, record)


@bp.post("/funds/<int:record_id>/confirm")
def confirm_funds(record_id: int):
    """A manager's 认定 of a record."""
    return _confirmation(record_id, services.confirm_funds)


@bp.post("/funds/<int:record_id>/withdraw")
def withdraw_confirmation(record_id: int):
    """A manager takes the 认定 back."""
    return _confirmation(record_id, services.withdraw_confirmation)


@bp.get("/funds/summary")
def summary():
    """The readable counties' figures of ``year`` (default this year)."""
    raw = request.args.get("year")
    year = year_or_none(raw) if raw else clock.today().year
    if year is None:
        raise ServiceError(_("年份无效"), {"year": [_("年份无效")]})
    figures = queries.year_figures(readable_county_ids(), year)
    return jsonify({"year": year, **figures.as_json()})


def _rate_json(rate) -> dict:
    return columns_dict(rate)


@bp.get("/funds/rates")
def list_rates():
    """The USD rates of the user's province, latest month first."""
    page, per_page = page_args()
    province_id = rates.province_id_of(current_user.region_id)
    return page_of_list(rates.rates_of(province_id), page, per_page, _rate_json)


@bp.post("/funds/rates")
def set_rate():
    """Enter or correct a month's rate (a province coordinator; ``version`` for a correction)."""
    if not rates.may_enter_rates(current_user):
        abort(403)
    data = json_body()
    month = None
    if isinstance(data.get("month"), str):
        try:
            month = parse_month(data["month"])
        except ValueError as exc:
            raise ServiceError(str(exc), {"month": [str(exc)]}) from exc
    raw_rate = data.get("cny_per_usd")
    if isinstance(raw_rate, bool) or not isinstance(raw_rate, (str, int, float, type(None))):
        raise ServiceError(_("请求中的字段有误"), {"cny_per_usd": [_("必须是数字或数字文本")]})
    source = data.get("source")
    if source is not None and not isinstance(source, str):
        raise ServiceError(_("请求中的字段有误"), {"source": [_("必须是文本")]})
    rate = rates.set_rate(current_user, month, raw_rate, source, version=version_from(data, required=False))
    return committed(_rate_json, rate)
