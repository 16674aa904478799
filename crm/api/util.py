"""Small helpers every API module uses: JSON bodies, pagination, serialisation."""
from __future__ import annotations

from flask import abort, current_app, jsonify, request
from sqlalchemy import func, select

from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.serialize import jsonable


def json_body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequestBody()
    return data


class BadRequestBody(ServiceError):
    status = 400

    def __init__(self):
        super().__init__("请求体必须是 JSON 对象（Content-Type: application/json）")


def page_args() -> tuple[int, int]:
    try:
        page = max(1, int(request.args.get("page", 1)))
        per_page = min(200, max(1, int(request.args.get("per_page", current_app.config["PER_PAGE"]))))
    except ValueError:
        abort(400, "page 和 per_page 必须是正整数")
    return page, per_page


def page_json(items: list, total: int, page: int, per_page: int, **extra):
    """The list answer every API list gives: ``{"items", "total", "page", "per_page", ...}``."""
    return jsonify({"items": items, "total": total, "page": page, "per_page": per_page, **extra})


def paginate(statement, serialize):
    """Answer ``{"items", "total", "page", "per_page"}`` for an ORM select."""
    page, per_page = page_args()
    total = db.session.execute(select(func.count()).select_from(statement.order_by(None).subquery())).scalar_one()
    rows = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page)).scalars()
    return page_json([serialize(r) for r in rows], total, page, per_page)


def columns_dict(obj, exclude: tuple[str, ...] = ()) -> dict:
    """The record as JSON with the model's column names (Decimal as strings)."""
    return {c.key: jsonable(getattr(obj, c.key)) for c in obj.__mapper__.column_attrs if c.key not in exclude}
