"""Shared form helpers: the base form every form derives from (its ``values()`` are what
the form hands its service), reading a text field for a service (``parsed_or_refused``),
and putting a service's refusal onto the form the user filled in."""

from __future__ import annotations

import math
from decimal import Decimal

from flask import flash
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import DecimalField, FloatField, IntegerField

from crm.core.db import MAX_INTEGER
from crm.core.errors import ServiceError
from crm.core.input_guard import note_refusal_shown, refused_form_fields, without_bad_characters

__all__ = [
    "apply_service_errors",
    "Form",
    "init_app",
    "parsed_or_refused",
    "stored_value",
    "unstorable_number",
]


class Form(FlaskForm):
    """The application's forms. Text the database cannot store (a NUL, a lone surrogate,
    escapes that are not UTF-8: ``crm.core.input_guard``) is refused beside its field,
    before any validator or service sees it, and the page answers 422 with the user's
    other input kept. So is a number no column holds (an integer beyond 32 bits, a decimal
    that is not finite or beyond the widest money column): it would fail in the database,
    or in a comparison (``NaN``), after the form had passed.

    A form whose service takes its fields as a dict names them in ``VALUE_FIELDS``;
    ``values()`` gives ``{name: data}`` of those, in that order."""

    VALUE_FIELDS: tuple[str, ...] = ()

    def values(self) -> dict:
        """``{name: data}`` of the fields in ``VALUE_FIELDS``: what the form hands its service."""
        return {name: getattr(self, name).data for name in self.VALUE_FIELDS}

    def validate(self, extra_validators=None) -> bool:
        refused = refused_form_fields()
        shown = [field for field in self if field.name in refused]
        if not shown:
            unstorable = {field: message for field in self if (message := unstorable_number(field))}
            for field in unstorable:
                field.data = None  # validators and services never see it
            valid = super().validate(extra_validators)
            for field, message in unstorable.items():
                field.errors = [message]
            return valid and not unstorable
        for field in shown:
            field.errors = list(refused[field.name])
            # Shown back without the refused characters; the message says what was wrong.
            if isinstance(field.data, str):
                field.data = without_bad_characters(field.data)
            if field.raw_data:
                field.raw_data = [
                    without_bad_characters(v) if isinstance(v, str) else v for v in field.raw_data
                ]
        note_refusal_shown()
        return False


# The widest decimal column is Numeric(14, 2).
LARGEST_DECIMAL = Decimal("999999999999.99")


def unstorable_number(field) -> str | None:
    """Why the number in ``field`` fits no column (None: it fits, or it is no number)."""
    value = field.data
    if isinstance(field, IntegerField) and isinstance(value, int):
        if not -MAX_INTEGER - 1 <= value <= MAX_INTEGER:
            return _("数字过大")
    elif isinstance(field, (DecimalField, FloatField)) and value is not None:
        if not (value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)):
            return _("请填写有效的数字")
        if abs(value) > LARGEST_DECIMAL:
            return _("数字过大")
    return None


def apply_service_errors(form, exc: ServiceError) -> None:
    """Show each message beside its field; anything not tied to a field as a flash."""
    placed = False
    for field_name, messages in exc.errors.items():
        field = getattr(form, field_name, None)
        if field is not None:
            field.errors = list(field.errors) + list(messages)
            placed = True
    if not placed:
        flash(exc.message, "danger")


def parsed_or_refused(field, parse, message: str):
    """``parse(field.data)`` for a service; text ``parse`` cannot read (a ``ValueError``) is
    refused as a ``ServiceError`` with ``message``, its reason beside ``field``."""
    try:
        return parse(field.data)
    except ValueError as exc:
        raise ServiceError(message, {field.name: [str(exc)]}) from None


def stored_value(value, field=None) -> str:
    """``value`` as a record holds it now, written for the user beside ``field``'s label (the
    conflict box of every edit form): a choice by its name, a list joined, nothing as "—".

    >>> stored_value(["a", "b"])
    'a、b'
    >>> stored_value(None)
    '—'
    """
    if value is None or value == "" or value == []:
        return "—"
    choices = getattr(field, "choices", None)
    names = (
        {str(choice[0]): str(choice[1]) for choice in choices} if isinstance(choices, (list, tuple)) else {}
    )
    if isinstance(value, (list, tuple, set, frozenset)):
        return "、".join(names.get(str(item), str(item)) for item in value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return names.get(str(value), str(value))


def init_app(app) -> None:
    app.add_template_filter(stored_value, "stored_value")
