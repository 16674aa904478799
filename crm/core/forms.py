"""Shared form helpers: put a service's refusal onto the form the user filled in."""
from __future__ import annotations

from flask import flash

from crm.core.errors import ServiceError


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
