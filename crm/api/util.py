"""Small helpers every API module uses: JSON bodies, pagination, serialisation."""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask_babel import gettext as _

from crm.api.refusals import BadQuery, BadRequestBody
from crm.core.errors import ServiceError
from crm.core.pagination import MAX_PAGE, MAX_PER_PAGE, entity_page
from crm.core.serialize import api_value, columns_dict, jsonable  # noqa: F401 - the modules' toolkit

__all__ = [
    "api_value",
    "columns_dict",
    "delete_version",
    "json_body",
    "jsonable",
    "page_args",
    "page_json",
    "page_of_list",
    "paginate",
    "paginate_list",
    "version_from",
]


def json_body() -> dict:
    """The request's JSON object (400 otherwise), held to the operation's documented schema
    (``crm.api.contract``)."""
    from crm.api.contract import hold_body_to_contract

    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequestBody()
    hold_body_to_contract(data)
    return data


def _whole_number(name: str, default: int, highest: int, errors: dict) -> int:
    text = request.args.get(name)
    if text is None:
        return default
    try:
        number = int(text) if text.strip().isdecimal() else None
    except ValueError:  # more digits than int() reads
        number = None
    if number is None or not 1 <= number <= highest:
        errors[name] = [_("应为 1 到 %(highest)s 之间的整数", highest=highest)]
        return default
    return number


def page_args() -> tuple[int, int]:
    """``(page, per_page)`` of an API list. The OpenAPI document promises ``page`` from 1 to
    ``MAX_PAGE`` and ``per_page`` from 1 to ``MAX_PER_PAGE``; anything else answers 400
    naming the parameter (a page past the end of the list is an empty page)."""
    errors: dict[str, list[str]] = {}
    page = _whole_number("page", 1, MAX_PAGE, errors)
    per_page = _whole_number("per_page", current_app.config["PER_PAGE"], MAX_PER_PAGE, errors)
    if errors:
        raise BadQuery(_("分页参数有误"), errors)
    return page, per_page


def page_json(items: list, total: int, page: int, per_page: int, **extra):
    """The list answer every API list gives: ``{"items", "total", "page", "per_page", ...}``."""
    return jsonify({"items": items, "total": total, "page": page, "per_page": per_page, **extra})


def page_of_list(rows: list, page: int, per_page: int, serialize=None, **extra):
    """The list answer for a short list worked out whole (a province's hundred or so
    counties, a manager's 存量清理 list, a year's rates): page ``page`` of it, its total;
    only that page's rows go through ``serialize`` (if given)."""
    start = (page - 1) * per_page
    shown = rows[start : start + per_page]
    return page_json(
        [serialize(r) for r in shown] if serialize else shown, len(rows), page, per_page, **extra
    )


def paginate_list(rows: list, serialize=None, **extra):
    """``page_of_list`` at the page the request asks for (``page_args``)."""
    page, per_page = page_args()
    return page_of_list(rows, page, per_page, serialize, **extra)


def paginate(statement, serialize):
    """Answer ``{"items", "total", "page", "per_page"}`` for an ORM select."""
    page, per_page = page_args()
    rows, total = entity_page(statement, page, per_page)
    return page_json([serialize(r) for r in rows], total, page, per_page)


def version_from(data: dict | None, required: bool) -> int | None:
    """The ``version`` an update or delete carries (body, else ``?version=``): a stale one
    is refused by the service with 409; ``required`` for PATCH."""
    raw = (data or {}).get("version", request.args.get("version"))
    if raw is None:
        if required:
            raise ServiceError(_("修改时必须提供 version"), {"version": [_("必填")]})
        return None
    if isinstance(raw, bool) or not str(raw).isdigit():
        raise ServiceError(_("version 必须是整数"), {"version": [_("必须是整数")]})
    return int(raw)


def delete_version() -> int | None:
    """The optional ``version`` a DELETE carries, in a JSON body or as ``?version=``."""
    data = request.get_json(silent=True) if request.data else None
    return version_from(data if isinstance(data, dict) else None, required=False)
