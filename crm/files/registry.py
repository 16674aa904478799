"""The records that take evidence files, registered by the modules that own them.

``crm.files`` never imports a domain: each domain says in its ``init_app`` how to load one
of its records under the current tenant scope and who may read or add its files::

    from crm.files.registry import OwnerKind, register_owner
    register_owner(app, OwnerKind(key="funds", label=N_("到位资金"), load=..., ...))

The dependency runs one way, like ``crm/core/hooks.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app

__all__ = ["OwnerKind", "owner_kind", "owner_kinds", "register_owner"]

EXTENSION_KEY = "chaincrm_file_owners"


@dataclass(frozen=True)
class OwnerKind:
    """One kind of record that takes files."""

    key: str  # stored in ``Attachment.owner_kind`` and used in URLs: never change it
    label: str  # msgid: 项目, 到位资金, ...
    # The record by id through the tenant scope (None: no such record, or another county's).
    load: Callable[[int], object | None]
    # Whether ``user`` may list and download the record's files (the record is already loaded,
    # so it is in the user's scope): a confidential project's files follow its name rule.
    may_read: Callable[[object, object], bool]
    # Whether ``user`` may attach files to it (and detach their own).
    may_write: Callable[[object, object], bool]
    # The record as ``user`` may read it, for the attachments page's heading.
    title: Callable[[object, object], str]
    # The record's page, to go back to.
    url: Callable[[object], str]
    # File kinds offered first for this record (keys of ``ATTACHMENT_KINDS``).
    suggested_kinds: tuple[str, ...] = field(default_factory=tuple)


def register_owner(app, kind: OwnerKind) -> None:
    app.extensions.setdefault(EXTENSION_KEY, {})[kind.key] = kind


def owner_kinds(app=None) -> dict[str, OwnerKind]:
    return (app or current_app).extensions.get(EXTENSION_KEY, {})


def owner_kind(key: str) -> OwnerKind | None:
    return owner_kinds().get(key)
