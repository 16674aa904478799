"""Changing a stored record to validated values: the counterpart of ``crm.core.db.added``."""

from __future__ import annotations

from collections.abc import Mapping

from crm.core.db import db

__all__ = ["changed"]


def changed(record, values: Mapping[str, object]):
    """``record`` with ``values`` (column: value) set on it and flushed, so that its version and
    its audit row follow at once."""
    for key, value in values.items():
        setattr(record, key, value)
    db.session.flush()
    return record
