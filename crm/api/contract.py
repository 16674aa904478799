"""Requests are held to what the OpenAPI document declares.

The document is the API's contract. A query parameter outside its schema (a ``page`` below
1, a ``status`` outside its enum, an ``as_of`` that is not a date, a parameter given twice)
answers 400 before the view runs; a JSON body outside the request schema (a wrong type, a
missing required field, an unknown field where the schema allows none, a value outside its
enum or range) is never accepted: 422 naming each field (see ``hold_body_to_contract``). A
module declares and gets the check, so it cannot promise one thing and accept another.
What a schema cannot say (pipeline evidence, review states, amounts within a policy's cap)
stays with the module's services, which answer 422 or 409 as before.

The validator knows the part of JSON Schema the document uses: ``$ref``, ``allOf``,
``type`` (one or a list, ``null`` included), ``enum``, ``properties``, ``required``,
``additionalProperties``, ``items``, ``minLength``/``maxLength``, ``pattern``,
``minimum``/``maximum`` and the ``date``/``date-time`` formats. ``readOnly`` properties
sent in a request are ignored, as OpenAPI says.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from flask import current_app, g, has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import event

from crm.api.openapi import document
from crm.api.refusals import BadQuery
from crm.core.errors import ServiceError, problem, status_title
from crm.core.input_guard import refuse_bad_input
from crm.core.session import TenantSession

_CONVERTER = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")
_INTEGER = re.compile(r"-?[0-9]{1,4000}")  # int() reads up to 4300 digits
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def openapi_template(rule: str, prefix: str = "/api/v1") -> str:
    """The path a werkzeug rule has in the document, its parameters unnamed (a module may
    call ``{id}`` what its route calls ``<int:referral_id>``).

    >>> openapi_template("/api/v1/projects/<int:project_id>/funds")
    '/projects/{}/funds'
    """
    return _CONVERTER.sub("{}", rule.removeprefix(prefix))


def unnamed(template: str) -> str:
    """A document path with its parameters unnamed.

    >>> unnamed("/referrals/{id}/resolve")
    '/referrals/{}/resolve'
    """
    return re.sub(r"\{[^}]*\}", "{}", template)


# ---- the validator ----------------------------------------------------------------------


def _type_of(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


_TYPE_MESSAGES = {
    "string": "应为文本",
    "integer": "应为整数",
    "number": "应为数字",
    "boolean": "应为 true 或 false",
    "array": "应为数组",
    "object": "应为对象",
    "null": "应为 null",
}


def _type_matches(value, kinds: list[str]) -> bool:
    actual = _type_of(value)
    return actual in kinds or (actual == "integer" and "number" in kinds)


def _format_problem(value: str, fmt: str | None) -> str | None:
    try:
        if fmt == "date":
            if not _ISO_DATE.fullmatch(value):
                raise ValueError(value)
            date.fromisoformat(value)
        elif fmt == "date-time":
            if not _RFC3339.fullmatch(value):
                raise ValueError(value)
            datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return (
            _("应为日期，如 2025-03-05")
            if fmt == "date"
            else _("应为 RFC 3339 时间，如 2025-03-05T08:00:00Z")
        )
    return None


def schema_errors(doc: dict, value, schema: dict, path: str = "") -> dict[str, list[str]]:
    """``{path: [message]}`` for each place ``value`` breaks ``schema`` (empty when it holds).

    >>> doc = {"components": {"schemas": {}}}
    >>> schema = {"type": "object", "required": ["name"], "additionalProperties": False,
    ...           "properties": {"name": {"type": "string", "minLength": 1},
    ...                          "tags": {"type": "array", "items": {"enum": ["a", "b"]}}}}
    >>> schema_errors(doc, {"name": "x", "tags": ["a"]}, schema)
    {}
    >>> sorted(schema_errors(doc, {"tags": ["c"], "extra": 1}, schema))
    ['extra', 'name', 'tags.0']
    """
    errors: dict[str, list[str]] = {}

    def fail(where: str, message: str) -> None:
        errors.setdefault(where or "body", []).append(message)

    def walk(value, schema: dict, path: str) -> None:
        while "$ref" in schema:
            schema = _resolve(doc, schema)
        for part in schema.get("allOf", ()):
            walk(value, part, path)
        kind = schema.get("type")
        if kind is not None:
            kinds = kind if isinstance(kind, list) else [kind]
            if not _type_matches(value, kinds):
                fail(path, _(_TYPE_MESSAGES[kinds[0]]) if kinds[0] in _TYPE_MESSAGES else _("类型不对"))
                return
        if "enum" in schema and value not in schema["enum"]:
            shown = "、".join("null" if v is None else str(v) for v in schema["enum"])
            fail(path, _("应为以下之一：%(values)s", values=shown))
            return
        if isinstance(value, str):
            if "minLength" in schema and len(value) < schema["minLength"]:
                fail(
                    path,
                    _("不能为空")
                    if schema["minLength"] == 1
                    else _("长度不能少于 %(n)s", n=schema["minLength"]),
                )
            if "maxLength" in schema and len(value) > schema["maxLength"]:
                fail(path, _("长度不能超过 %(n)s", n=schema["maxLength"]))
            if "pattern" in schema and not re.search(schema["pattern"], value):
                fail(path, _("格式不对（应符合 %(pattern)s）", pattern=schema["pattern"]))
            problem = _format_problem(value, schema.get("format"))
            if problem:
                fail(path, problem)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                fail(path, _("应不小于 %(n)s", n=schema["minimum"]))
            if "maximum" in schema and value > schema["maximum"]:
                fail(path, _("应不大于 %(n)s", n=schema["maximum"]))
        elif isinstance(value, list) and "items" in schema:
            for i, item in enumerate(value):
                walk(item, schema["items"], f"{path}.{i}" if path else str(i))
        elif isinstance(value, dict):
            properties = schema.get("properties", {})
            for name in schema.get("required", ()):
                if name not in value:
                    fail(f"{path}.{name}" if path else name, _("必填"))
            extra = schema.get("additionalProperties", True)
            for name, item in value.items():
                where = f"{path}.{name}" if path else name
                if name in properties:
                    if not properties[name].get("readOnly"):
                        walk(item, properties[name], where)
                elif extra is False and not _declared_elsewhere(doc, schema, name):
                    fail(where, _("不能有此字段"))
                elif isinstance(extra, dict):
                    walk(item, extra, where)

    walk(value, schema, path)
    return errors


def _declared_elsewhere(doc: dict, schema: dict, name: str) -> bool:
    """A property declared by one of ``schema``'s allOf parts is not ``additional``."""
    for part in schema.get("allOf", ()):
        part = _resolve(doc, part)
        if name in part.get("properties", {}) or _declared_elsewhere(doc, part, name):
            return True
    return False


def _resolve(doc: dict, item: dict) -> dict:
    while "$ref" in item:
        *_, section, name = item["$ref"].split("/")
        item = doc["components"][section][name]
    return item


def query_value(text: str, schema: dict):
    """The query-string ``text`` read as the schema's type, or ``text`` itself when it does
    not read as one (the validator then names the problem).

    >>> query_value("3", {"type": "integer"}), query_value("true", {"type": "boolean"})
    (3, True)
    >>> query_value("x", {"type": "integer"})
    'x'
    """
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "integer" in kinds and _INTEGER.fullmatch(text):
        return int(text)
    if "boolean" in kinds and text in ("true", "false"):
        return text == "true"
    return text


# ---- the request ------------------------------------------------------------------------


def _document() -> dict:
    # Complete once every module has registered its paths, i.e. before the first request.
    cached = current_app.extensions.get("chaincrm_openapi_document")
    if cached is None:
        cached = document(current_app)
        cached["x-paths-unnamed"] = {unnamed(path): item for path, item in cached["paths"].items()}
        current_app.extensions["chaincrm_openapi_document"] = cached
    return cached


def _operation(doc: dict) -> tuple[dict, dict]:
    path_item = doc["x-paths-unnamed"].get(openapi_template(request.url_rule.rule)) or {}
    return path_item, path_item.get(request.method.lower()) or {}


def _query_errors(doc: dict, path_item: dict, operation: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for parameter in (*path_item.get("parameters", ()), *operation.get("parameters", ())):
        parameter = _resolve(doc, parameter)
        if parameter.get("in") != "query":
            continue
        name, schema = parameter["name"], _resolve(doc, parameter.get("schema", {}))
        values = request.args.getlist(name)
        if not values:
            if parameter.get("required"):
                errors[name] = [_("必填")]
        elif len(values) > 1:
            errors[name] = [_("只能给一个值")]
        else:
            errors.update(schema_errors(doc, query_value(values[0], schema), schema, name))
    return errors


def check_query() -> None:
    """``before_request`` for /api/: 400 when a declared query parameter is missing,
    repeated or outside its schema."""
    if not request.path.startswith("/api/") or request.url_rule is None:
        return
    refuse_bad_input()  # characters no database stores, bodies too deep: 422/400 before the schema
    doc = _document()
    errors = _query_errors(doc, *_operation(doc))
    if errors:
        raise BadQuery(_("查询参数有误"), errors)


# A body is checked when the view reads it (``crm.api.util.json_body``), i.e. after the view
# has answered 404 for a record the caller cannot see and 403 for a role that may not act.
# The module then validates it as it always has, and its own refusal (422 naming every field
# it checks) answers first. A body the module would accept although it breaks the schema
# (a date written 2025/3/5, an empty string for a date, a number for a text) is refused
# anyway: at commit, so nothing is written, or, when nothing was written, instead of the 2xx.


def hold_body_to_contract(body: dict) -> None:
    """Note where ``body`` breaks the request schema of the operation being served."""
    doc = _document()
    _path_item, operation = _operation(doc)
    schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    errors = schema_errors(doc, body, schema) if schema is not None else {}
    if errors:
        g.contract_breaches = errors


def _breaches() -> ServiceError:
    return ServiceError(_("请求中的字段不符合接口文档"), g.pop("contract_breaches"))


@event.listens_for(TenantSession, "before_commit")
def _refuse_breaches_at_commit(session) -> None:
    if has_request_context() and g.get("contract_breaches"):
        raise _breaches()


def _refuse_breaches_instead_of_success(response):
    if g.get("contract_breaches") and 200 <= response.status_code < 300:
        exc = _breaches()
        return problem(exc.status, status_title(exc.status), exc.message, exc.errors)
    return response


def _breaches_behind_a_crash(exc: Exception):
    """A body the contract refused that the view then tripped over (a dict where text was
    due) is the caller's mistake: 422 naming the fields, never a 500. Any other error goes
    on to the application's own handling."""
    if has_request_context() and g.get("contract_breaches"):
        from crm.core.db import db

        db.session.rollback()
        breach = _breaches()
        return problem(breach.status, status_title(breach.status), breach.message, breach.errors)
    raise exc


def init_app(app) -> None:
    app.register_error_handler(Exception, _breaches_behind_a_crash)
    app.before_request(check_query)  # registered after the token check: anonymous callers learn 401
    app.after_request(_refuse_breaches_instead_of_success)
