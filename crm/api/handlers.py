"""One handler pattern per kind of API request, so that an endpoint says only what is its own.

Each kind is load → check → read → act → commit → answer:

- ``create_under``: POST a new record under one the caller may change (201);
- ``patch_at_version``: PATCH a record at the version it was read (its reader refuses by
  name the keys it may not change: ``Input.refuse_other_keys``);
- ``act_on``: POST an action on a record (approve, refuse, record an outcome ...);
- ``page_under``: GET one page of the records under one the caller reads.

The steps they are made of serve an endpoint that does something of its own:
``writable`` (load and check), ``read_input`` (read the body, 422 naming each refused
field), ``versioned_body`` (a body and the version it carries), ``committed`` and
``deleted`` (commit and answer), ``saved_at_version`` (commit a change made at a version:
one that lost a race to another save is refused as stale, 409 with ``current``).

A service called through ``create_under``, ``patch_at_version`` or ``act_on`` takes the
record, the acting user and the fields read: ``service(record, current_user, **fields)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import jsonify, request
from flask_login import current_user
from sqlalchemy import select

from crm.api.input import Input
from crm.api.util import json_body, paginate, version_from
from crm.core.access import load_or_404, writable
from crm.core.db import commit_save, db

__all__ = [
    "act_on",
    "committed",
    "create_under",
    "deleted",
    "page_under",
    "patch_at_version",
    "read_input",
    "saved_at_version",
    "versioned_body",
]

Reader = Callable[[Input], dict]


def read_input(read: Reader, *, body_optional: bool = False) -> dict:
    """The fields ``read`` takes from the request's JSON body; 422 naming every field it
    refused. ``body_optional``: a request without a body reads as ``{}``."""
    data = Input(json_body() if not body_optional or request.get_data() else {})
    fields = read(data)
    data.check()
    return fields


def versioned_body() -> tuple[dict, int]:
    """The request's JSON object and the ``version`` it must carry (the record as the caller
    read it: a stale one is refused by the service with 409)."""
    data = json_body()
    return data, version_from(data, required=True)


def committed(answer: Callable[..., dict], *records, status: int = 200):
    """Commit the request's work, then answer ``answer(*records)`` as JSON with ``status``:
    serialised after the commit, the answer shows the records as stored."""
    db.session.commit()
    return jsonify(answer(*records)), status


def saved_at_version(change: Callable[[], object], answer: Callable[..., dict]):
    """Commit ``change()`` (a service's update at the version the body carries) and answer
    ``answer`` of the record it returns; a lost race is refused as a stale version
    (``crm.core.db.commit_save``): 409 with ``current``."""
    return jsonify(answer(commit_save(change))), 200


def deleted(delete: Callable[[], object]):
    """Commit ``delete()`` (a service's delete, at the version the caller read where it takes
    one) and answer 204 without a body; a lost race is refused as a stale version
    (``saved_at_version``): 409 with ``current``."""
    commit_save(delete)
    return "", 204


def create_under(parent_model, parent_id: int, *, read: Reader, create: Callable, answer: Callable):
    """POST of a new record under the ``parent_model`` record ``parent_id`` (``writable``):
    ``create(parent, current_user, **read(body))``, commit, 201 with ``answer(new)``."""
    parent = writable(parent_model, parent_id)
    fields = read_input(read)
    return committed(answer, create(parent, current_user, **fields), status=201)


def patch_at_version(model, record_id: int, *, read: Reader, update: Callable, answer: Callable):
    """PATCH of the ``model`` record ``record_id`` (``writable``) at the body's ``version``
    (named first when missing): ``update(record, current_user, version=..., **read(body))``,
    commit, ``answer(record)``. ``read`` refuses the keys the PATCH may not change."""

    def read_patch(data: Input) -> dict:
        version = data.version()
        return {"version": version, **read(data)}

    return act_on(model, record_id, read=read_patch, act=update, answer=answer)


def act_on(
    model, record_id: int, *, read: Reader, act: Callable, answer: Callable, body_optional: bool = False
):
    """POST of an action on the ``model`` record ``record_id`` (``writable``): ``act(record,
    current_user, **read(body))``, commit, ``answer(record)``; a lost race answers as a stale
    version (``saved_at_version``)."""
    record = writable(model, record_id)
    fields = read_input(read, body_optional=body_optional)

    def action():
        act(record, current_user, **fields)
        return record

    return saved_at_version(action, answer)


def page_under(parent_model, parent_id: int, column, serialize: Callable, *, order_by: Iterable, options=()):
    """One page of the records whose ``column`` names the ``parent_model`` record
    ``parent_id`` (404 when the caller cannot read it), ordered by ``order_by``."""
    parent = load_or_404(parent_model, parent_id)
    statement = select(column.class_).where(column == parent.id).options(*options).order_by(*order_by)
    return paginate(statement, serialize)
