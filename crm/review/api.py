"""/api/v1: targets from above (read; a coordinator sets them), the quarter's reviews (a
coordinator's ranking or a county's own rank), a county's frozen quarter, freezing,
county classes and weights. Same rules as the pages (crm.review.services); a county the
reader does not read answers 404."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from crm.api.util import api_value, json_body, page_args, page_of_list, version_from
from crm.core import clock
from crm.core.access import READ_ROLES, readable_county_or_404, roles_required
from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.parsing import year_or_none
from crm.core.tenancy import readable_county_ids
from crm.review import queries, services
from crm.review.indicators import parse_quarter
from crm.review.views import last_ended_quarter

bp = Blueprint("review_api", __name__, url_prefix="/api/v1")

TARGET_FIELDS = (
    "id",
    "county_id", "year", "funds_out_of_province_wan", "funds_in_province_wan", "funds_in_city_wan",
    "funds_foreign_wan", "big_projects", "signings", "starts", "set_by_id", "set_by_region_id",
    "set_at", "version",
)  # fmt: skip


def target_json(target) -> dict:
    body = {name: api_value(getattr(target, name)) for name in TARGET_FIELDS}
    total = target.funds_total()
    return body | {"funds_wan": None if total is None else str(total)}


def _year() -> int:
    raw = request.args.get("year")
    if not raw:
        return clock.today().year
    year = year_or_none(raw)
    if year is None:
        raise ServiceError(_("年份无效"), {"year": [_("应为 2000 到 2100 之间的年份")]})
    return year


def _quarter_query() -> tuple[int, int]:
    """``quarter`` of the query (default: the last ended one); one not like 2026Q3 is 422."""
    raw = request.args.get("quarter")
    if not raw:
        return last_ended_quarter()
    try:
        return parse_quarter(raw)
    except ValueError:
        raise ServiceError(
            _("季度无效"), {"quarter": [_("应为 2026Q3 这样的季度（2000–2100 年）")]}
        ) from None


@bp.get("/targets")
@roles_required(*READ_ROLES)
def list_targets():
    """The year's targets of the counties the reader reads."""
    page, per_page = page_args()
    found = queries.targets(readable_county_ids(), _year())
    items = [target_json(t) for _cid, t in sorted(found.items())]
    return page_of_list(items, page, per_page)


@bp.put("/targets/<int:county_id>/<int:year>")
@roles_required(*READ_ROLES)
def put_target(county_id: int, year: int):
    """A coordinator over the county sets its targets for the year."""
    readable_county_or_404(county_id)
    data = json_body()
    target = services.set_target(county_id, year, data, current_user, version_from(data, required=False))
    db.session.commit()
    return jsonify(target_json(target))


def _ranked_json(row) -> dict:
    return {
        "id": row.snapshot_id,
        "county_id": row.county_id,
        "rank": row.rank,
        "score": str(row.score),
        "county_class": row.county_class,
        "funds_ytd_wan": str(row.funds_ytd),
        "scores": {code: str(value) for code, value in row.scores.items()},
        "bonus": str(row.bonus),
        "penalty": str(row.penalty),
    }


@bp.get("/reviews")
@roles_required(*READ_ROLES)
def reviews():
    """A coordinator: the quarter's ranking of its counties; a county: its own rank only."""
    page, per_page = page_args()
    year, quarter = _quarter_query()
    if current_user.has_role("coordinator"):
        rows = queries.ranking(current_user.region_id, year, quarter)
        items = [_ranked_json(r) for r in rows]
    else:
        mine, ranked, _region = queries.own_rank(current_user.county_id, year, quarter)
        items = [_ranked_json(mine) | {"ranked": ranked}] if mine else []
    return page_of_list(items, page, per_page, quarter=f"{year}Q{quarter}")


def _county_quarter(county_id: int, quarter: str) -> tuple[int, int]:
    """Load → check: the county readable (404); the quarter in the path (404)."""
    readable_county_or_404(county_id)
    try:
        return parse_quarter(quarter)
    except ValueError:
        abort(404)


@bp.get("/reviews/<int:county_id>/<quarter>")
@roles_required(*READ_ROLES)
def county_review(county_id: int, quarter: str):
    """A county's frozen quarter: its figures as frozen and 同比/环比."""
    year, quarter = _county_quarter(county_id, quarter)
    snapshot = queries.snapshots([county_id], year, quarter).get(county_id)
    if snapshot is None:
        abort(404)
    changes = {
        name: {key: ({k: api_value(v) for k, v in d.items()} if isinstance(d, dict) else api_value(d))
               for key, d in c.items()}
        for name, c in queries.changes(county_id, year, quarter).items()
    }  # fmt: skip
    return jsonify(
        {
            "county_id": county_id,
            "quarter": f"{year}Q{quarter}",
            "frozen_at": api_value(snapshot.frozen_at),
            "frozen_by_id": snapshot.frozen_by_id,
            "figures": snapshot.figures,
            "changes": changes,
            "imported": queries.imported([county_id], year, quarter).get(county_id),
        }
    )


@bp.post("/reviews/<int:county_id>/<quarter>/freeze")
@roles_required(*READ_ROLES)
def freeze(county_id: int, quarter: str):
    """A coordinator over the county freezes its quarter (once)."""
    year, quarter = _county_quarter(county_id, quarter)
    snapshot = services.freeze_quarter(county_id, year, quarter, current_user)
    db.session.commit()
    return jsonify({"county_id": county_id, "quarter": f"{year}Q{quarter}", "figures": snapshot.figures}), 201


@bp.put("/review-classes/<int:county_id>/<int:year>")
@roles_required(*READ_ROLES)
def put_class(county_id: int, year: int):
    """A coordinator over the county sets its class for the year."""
    readable_county_or_404(county_id)
    data = json_body()
    record = services.set_county_class(county_id, year, data.get("county_class"), current_user)
    db.session.commit()
    return jsonify({"county_id": county_id, "year": year, "county_class": record.county_class})


@bp.put("/review-weights/<int:year>/<county_class>")
@roles_required(*READ_ROLES)
def put_weights(year: int, county_class: str):
    """A coordinator sets its region's weights for the year and class."""
    data = json_body()
    weights = data.get("weights")
    if not isinstance(weights, dict):
        raise ServiceError(_("请求中的字段有误"), {"weights": [_("权重须为不小于 0 的整数，合计 100")]})
    record = services.set_weights(year, county_class, weights, current_user)
    db.session.commit()
    return jsonify({"region_id": record.region_id, "year": year, "county_class": county_class,
                    "weights": record.weights})  # fmt: skip


__all__ = ["bp", "last_ended_quarter"]
