"""The OpenAPI 3.1 document, assembled from what each module registers.

Every domain declares its part the same way: ``<domain>/openapi.py`` holds ``PATHS`` and
``SCHEMAS``, built from the value types and the builders below (``operation`` for each method,
``page_of`` for a list's answer, ``path_id`` for an id in the path, ``json_body`` for a request,
``obj`` for an object schema), and the package's ``init_app`` calls
``register_paths("<domain>", openapi.PATHS, openapi.SCHEMAS)``.

A path is declared in a line or a few with the shapes every domain repeats: ``at`` (the path's
id parameter and its methods), ``get_page`` (a list: its filters and the page parameters),
``get_one`` (one item), ``create`` (a POST answering the new item, 201), ``change`` (a PATCH,
PUT or action POST answering the item; a stale version answers 409), ``delete`` (204, an
optional ``version``), ``record_path`` (a record's GET, PATCH and DELETE), ``query`` (a query
parameter) and ``versioned`` (a change's body: the fields it may send and the version it was
made on). A path with parameters is always declared with ``at``, so that they stand once on the
path item; a path without any is the dict of its methods.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from crm.core.db import MAX_INTEGER
from crm.core.pagination import MAX_PAGE, MAX_PER_PAGE

__all__ = [
    "BOOLEAN",
    "DATE",
    "DATE_OR_NULL",
    "ID_OR_NULL",
    "ID_QUERY",
    "INTEGER",
    "MONEY",
    "MONEY_OR_NULL",
    "NON_EMPTY",
    "PAGE_PARAMETERS",
    "PROBLEM",
    "PROJECT_NAME",
    "READ_ONLY_STAMPS",
    "STAMPS",
    "STRING",
    "TEXT_OR_NULL",
    "TIMESTAMP",
    "TIMESTAMP_OR_NULL",
    "VERSION_QUERY",
    "answer",
    "at",
    "change",
    "create",
    "delete",
    "document",
    "get_one",
    "get_page",
    "json_body",
    "json_content",
    "list_of",
    "obj",
    "operation",
    "page_of",
    "path_id",
    "path_parameter",
    "problems",
    "query",
    "query_id",
    "record_path",
    "ref",
    "register_paths",
    "versioned",
]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _problem(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


# Answers any operation can give, whatever its module declares: the request or its JSON
# body cannot be read (400), no valid token (401), a method the path does not have (405),
# a parameter or field refused before the module sees it (422: page numbers, characters
# no database stores). An operation on a path with an id can always answer 404 (no such
# record, or another county's). ``document()`` adds them to every operation.
SHARED_RESPONSES = {
    "400": "BadRequest",
    "401": "Unauthorized",
    "405": "MethodNotAllowed",
    "422": "UnprocessableEntity",
}
ID_PATH_RESPONSES = {"404": "NotFound"}

# The answer of every refusal (application/problem+json), declared once in the document.
PROBLEM = {"$ref": "#/components/responses/Problem"}
# Every paginated list takes these two (``crm.api.util.page_args``).
PAGE_PARAMETERS = [{"$ref": "#/components/parameters/page"}, {"$ref": "#/components/parameters/per_page"}]

# The value types every domain's schemas are made of (``<domain>/openapi.py``).
MONEY = {"type": "string", "description": "万元, decimal as text"}
MONEY_OR_NULL = {"type": ["string", "null"], "description": "万元, decimal as text"}
DATE = {"type": "string", "format": "date"}
DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
TIMESTAMP = {"type": "string", "format": "date-time"}
TIMESTAMP_OR_NULL = {"type": ["string", "null"], "format": "date-time"}
INTEGER = {"type": "integer"}
STRING = {"type": "string"}
NON_EMPTY = {"type": "string", "minLength": 1}
BOOLEAN = {"type": "boolean"}
TEXT_OR_NULL = {"type": ["string", "null"]}
ID_OR_NULL = {"type": ["integer", "null"]}
# A record id in the query string (a filter).
ID_QUERY = {"type": "integer", "minimum": 1, "maximum": MAX_INTEGER}
# A project's name as the caller may read it (``crm.projects.confidential``).
PROJECT_NAME = {
    "type": "string",
    "readOnly": True,
    "description": "the project's name as the caller may read it: a confidential project's code name "
    "for all but its owner and the county's managers",
}
# What every versioned record answers beside its own fields.
STAMPS = {"version": INTEGER, "created_at": TIMESTAMP, "updated_at": TIMESTAMP}
# The same where a request may send the record whole: the timestamps are read-only.
READ_ONLY_STAMPS = {
    **STAMPS,
    **{key: {**TIMESTAMP, "readOnly": True} for key in ("created_at", "updated_at")},
}

# A delete's optional ``version`` (a stale one answers 409).
VERSION_QUERY = {
    "name": "version",
    "in": "query",
    "schema": {"type": "integer", "minimum": 0, "maximum": MAX_INTEGER},
    "description": "the version deleted (or in the body); a stale one answers 409",
}


def ref(name: str) -> dict:
    """A reference to a schema of ``components.schemas``."""
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema: dict) -> dict:
    """A ``content`` map carrying ``schema`` as application/json."""
    return {"application/json": {"schema": schema}}


def answer(description: str, schema: dict | None = None) -> dict:
    """A response: its description and, when it has a body, the body's schema."""
    return {"description": description, **({"content": json_content(schema)} if schema else {})}


def json_body(schema: dict, required: bool = True) -> dict:
    """A JSON request body."""
    return {"required": required, "content": json_content(schema)}


def problems(*codes: str) -> dict:
    """The problem answers of ``codes``."""
    return {code: PROBLEM for code in codes}


def path_id(name: str) -> dict:
    """An integer id in the path."""
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def query_id(name: str, description: str | None = None) -> dict:
    """An optional record id in the query string, within the database's integer range."""
    parameter = {
        "name": name,
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_INTEGER},
    }
    return {**parameter, "description": description} if description else parameter


def obj(properties: dict, required: Iterable[str] = (), closed: bool = False) -> dict:
    """An object schema; ``closed``: the endpoint refuses fields it does not name (422)."""
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if closed:
        schema["additionalProperties"] = False
    return schema


def list_of(items: dict) -> dict:
    """An array schema of ``items``."""
    return {"type": "array", "items": items}


def page_of(name: str, required: bool = False) -> dict:
    """The schema of one page of a list (``crm.api.util.page_args``) of schema ``name``."""
    return obj(
        {
            "items": {"type": "array", "items": ref(name)},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
        },
        required=("items", "total", "page", "per_page") if required else (),
    )


def operation(
    summary: str,
    ok: str,
    description: str,
    schema: dict | None = None,
    *,
    refusals: Iterable[str] = (),
    parameters: Iterable[dict] = (),
    body: dict | None = None,
    body_required: bool = True,
) -> dict:
    """One method of a path: its answer ``ok`` (with ``schema``), the problems it may answer
    (``refusals``: 403 role, 404 record, 409 stale version or duplicate, 422 rule), its own
    ``parameters`` and JSON ``body`` schema."""
    declared = {"summary": summary, "responses": {ok: answer(description, schema), **problems(*refusals)}}
    parameters = list(parameters)
    if parameters:
        declared["parameters"] = parameters
    if body is not None:
        declared["requestBody"] = json_body(body, body_required)
    return declared


def query(name: str, schema: dict, description: str | None = None, *, required: bool | None = None) -> dict:
    """A query parameter; ``required`` is written out only when given (unwritten: optional).

    >>> query("kind", {"enum": ["a", "b"]})
    {'name': 'kind', 'in': 'query', 'schema': {'enum': ['a', 'b']}}
    """
    parameter = {"name": name, "in": "query", "schema": schema}
    if required is not None:
        parameter["required"] = required
    return {**parameter, "description": description} if description else parameter


def path_parameter(name: str, schema: dict, description: str | None = None) -> dict:
    """A parameter in the path that is not a plain integer id (``path_id``)."""
    parameter = {"name": name, "in": "path", "required": True, "schema": schema}
    return {**parameter, "description": description} if description else parameter


def at(parameters: str | list[dict], **operations: dict) -> dict:
    """A path's methods (``get=``, ``post=`` ...) sharing its path ``parameters``: a list, or the
    name of the one integer id in the path.

    >>> at("policy_id", get={"summary": "One policy"})["parameters"]
    [{'name': 'policy_id', 'in': 'path', 'required': True, 'schema': {'type': 'integer'}}]
    """
    return {"parameters": [path_id(parameters)] if isinstance(parameters, str) else parameters, **operations}


def get_page(
    summary: str,
    name: str,
    description: str = "Page",
    *,
    parameters: Iterable[dict] = (),
    refusals: Iterable[str] = (),
    required: bool = False,
) -> dict:
    """A list's GET: one page of ``name`` (``page_of``), taking its own ``parameters`` (filters, an id
    in the path) and then the page parameters.

    >>> op = get_page("Policies", "Policy", parameters=[query("kind", STRING)], refusals=("403",))
    >>> [p.get("name", p.get("$ref")) for p in op["parameters"]]
    ['kind', '#/components/parameters/page', '#/components/parameters/per_page']
    >>> sorted(op["responses"])
    ['200', '403']
    """
    schema = page_of(name, required)
    return operation(
        summary, "200", description, schema, refusals=refusals, parameters=[*parameters, *PAGE_PARAMETERS]
    )


def get_one(
    summary: str,
    name: str,
    description: str = "OK",
    *,
    refusals: Iterable[str] = ("404",),
    parameters: Iterable[dict] = (),
) -> dict:
    """A GET answering one ``name`` (by default: or no such record, 404)."""
    return operation(summary, "200", description, ref(name), refusals=refusals, parameters=parameters)


def create(
    summary: str,
    name: str,
    body: dict | str,
    description: str = "Created",
    *,
    refusals: Iterable[str] = ("403", "404", "422"),
    parameters: Iterable[dict] = (),
) -> dict:
    """A POST creating a ``name`` from ``body`` (a schema, or a schema's name) and answering it (201)."""
    body = ref(body) if isinstance(body, str) else body
    return operation(
        summary, "201", description, ref(name), refusals=refusals, parameters=parameters, body=body
    )


def change(
    summary: str,
    name: str,
    body: dict | str | None,
    description: str = "Changed",
    *,
    refusals: Iterable[str] = ("403", "404", "409", "422"),
    parameters: Iterable[dict] = (),
    body_required: bool = True,
) -> dict:
    """A PATCH, PUT or action POST changing an item and answering the ``name`` it is now: ``body``
    is a schema, a schema's name or None; a stale version answers 409.

    >>> op = change("Change a policy", "Policy", "PolicyPatch")
    >>> op["requestBody"]["content"]["application/json"]["schema"], sorted(op["responses"])
    ({'$ref': '#/components/schemas/PolicyPatch'}, ['200', '403', '404', '409', '422'])
    """
    body = ref(body) if isinstance(body, str) else body
    return operation(
        summary,
        "200",
        description,
        ref(name),
        refusals=refusals,
        parameters=parameters,
        body=body,
        body_required=body_required,
    )


def delete(
    summary: str,
    description: str = "Deleted",
    *,
    refusals: Iterable[str] = ("403", "404", "409"),
    parameters: Iterable[dict] = (VERSION_QUERY,),
) -> dict:
    """A DELETE answering 204; by default it takes the optional ``version`` (a stale one: 409)."""
    return operation(summary, "204", description, refusals=refusals, parameters=parameters)


def record_path(id_name: str, name: str, patch_body: str, noun: str, *, read: str, description: str) -> dict:
    """The path of one record as the house pattern serves it: GET it (``read``, answered with
    ``description``), PATCH it with ``patch_body`` (version required, a stale one answers 409),
    DELETE it (optional ``version``); ``noun`` names the record in the summaries.

    >>> path = record_path("record_id", "FundsRecord", "FundsPatch", "a record", read="", description="")
    >>> path["patch"]["summary"]
    'Change a record; `version` is required, a stale one answers 409'
    """
    return at(
        id_name,
        get=get_one(read, name, description),
        patch=change(f"Change {noun}; `version` is required, a stale one answers 409", name, patch_body),
        delete=delete(f"Delete {noun} (optional `version`: stale answers 409)"),
    )


def versioned(
    properties: dict, version: dict = INTEGER, *, required: Iterable[str] = ("version",), closed: bool = False
) -> dict:
    """A change's body: the fields it may send and the ``version`` it was made on; ``required``:
    the fields it must send (by default the version alone).

    >>> versioned({"note": TEXT_OR_NULL})["required"]
    ['version']
    >>> sorted(versioned({"note": TEXT_OR_NULL}, required=("note",))["properties"])
    ['note', 'version']
    """
    return obj({**properties, "version": version}, required=required, closed=closed)


OPENAPI_BASE = {
    "openapi": "3.1.0",
    "info": {
        "title": "chaincrm API",
        "version": "1",
        "description": (
            "Errors are application/problem+json whose title is the status's reason phrase. A query "
            "parameter outside its schema answers 400; a body outside its schema, or refused by a rule of "
            "the domain, 422 with `errors` per field. Text never contains U+0000 or a lone surrogate (422); "
            "JSON nests at most 32 levels (400). Timestamps are RFC 3339 in UTC (`Z`)."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerAuth": []}],
    "paths": {},
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Problem": {
                "type": "object",
                "properties": {
                    "type": {"type": "string"},
                    "title": {
                        "type": "string",
                        "description": "the status's reason phrase, e.g. Bad Request",
                    },
                    "status": {"type": "integer"},
                    "detail": {"type": "string"},
                    "errors": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                },
                "required": ["type", "title", "status"],
            }
        },
        "parameters": {
            "page": {
                "name": "page",
                "in": "query",
                "description": "page number; past the end: an empty page",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
            },
            "per_page": {
                "name": "per_page",
                "in": "query",
                "description": "items per page",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            },
        },
        "responses": {
            "Problem": _problem("An error (400/401/403/404/409/422)"),
            "BadRequest": _problem(
                "The request or its JSON body cannot be read (malformed, nested too deep)"
            ),
            "Unauthorized": _problem("No valid API token (Authorization: Bearer <token>)"),
            "Forbidden": _problem("The token's role may not do this"),
            "NotFound": _problem("No such record in the caller's counties"),
            "MethodNotAllowed": _problem("The path does not have this method (see the Allow header)"),
            "UnprocessableEntity": _problem("A parameter or field was refused; ``errors`` names each"),
        },
    },
}

_REGISTERED: dict[str, tuple[dict, dict]] = {}


def register_paths(owner: str, paths: dict, schemas: dict | None = None) -> None:
    """Add a module's paths and schemas; calling again with the same owner replaces them."""
    _REGISTERED[owner] = (paths, schemas or {})


def _add_shared_responses(path: str, operations: dict) -> None:
    shared = {**SHARED_RESPONSES, **(ID_PATH_RESPONSES if "{" in path else {})}
    for method in HTTP_METHODS:
        if method in operations:
            responses = operations[method].setdefault("responses", {})
            for code, name in shared.items():
                responses.setdefault(code, {"$ref": f"#/components/responses/{name}"})


def document(app=None) -> dict:
    doc = copy.deepcopy(OPENAPI_BASE)
    for paths, schemas in _REGISTERED.values():
        for path, operations in paths.items():
            doc["paths"].setdefault(path, {}).update(copy.deepcopy(operations))
        doc["components"]["schemas"].update(copy.deepcopy(schemas))
    for path, operations in doc["paths"].items():
        _add_shared_responses(path, operations)
    return doc
