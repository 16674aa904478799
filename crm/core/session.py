"""The ORM session class, carrying the tenant scope of whoever is acting."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_sqlalchemy.session import Session as FlaskSession

from crm.core.county_owned import CountyOwned

__all__ = [
    "MAX_INTEGER",
    "SYSTEM_SCOPE",
    "TenantScope",
    "TenantScopeError",
    "TenantSession",
    "note_core_insert",
    "on_core_insert",
]

# The largest value an INTEGER column (every id and version) holds on PostgreSQL; a larger
# number in a query is an error there ("integer out of range"), so it names no record.
MAX_INTEGER = 2**31 - 1


class TenantScopeError(RuntimeError):
    """A county-owned record was read or written outside the acting user's scope."""


@dataclass(frozen=True)
class TenantScope:
    """What one actor may see and change.

    ``read_county_ids`` is the set of counties whose records are visible; ``write_county_id``
    the one county whose records may be created, changed or deleted (``None``: read only).
    ``unrestricted`` is for system work (migrations, demo loading, admin tools) that must
    see every county; it is never given to a web request of a county user.
    """

    actor_id: int | None = None
    actor_name: str = ""
    read_county_ids: frozenset[int] = field(default_factory=frozenset)
    write_county_id: int | None = None
    unrestricted: bool = False

    def can_read(self, county_id: int | None) -> bool:
        return self.unrestricted or county_id in self.read_county_ids

    def can_write(self, county_id: int | None) -> bool:
        return self.unrestricted or (self.write_county_id is not None and county_id == self.write_county_id)


SYSTEM_SCOPE = TenantScope(unrestricted=True)


class TenantSession(FlaskSession):
    """A session whose ``get`` never hands out an object from another county.

    ``Session.get`` answers from the identity map without running a query, so the
    loader criteria alone cannot protect it.
    """

    @property
    def tenant_scope(self) -> TenantScope | None:
        return self.info.get("tenant_scope")

    def get(self, entity, ident, **kwargs):
        if isinstance(ident, int) and not -MAX_INTEGER <= ident <= MAX_INTEGER:
            return None  # no id is that large; the database would refuse the number
        obj = super().get(entity, ident, **kwargs)
        if isinstance(obj, CountyOwned):
            scope = self.tenant_scope
            if scope is None:
                raise TenantScopeError(f"{type(obj).__name__} is county-owned and no tenant scope is set")
            if not scope.can_read(obj.county_id):
                return None
        return obj


# Rows a bulk path inserts with Core, outside any flush (crm.audit.recorder.insert_audited):
# what a module notes of a flush through its session listeners (a county written to, a
# project to check for collisions) it learns of these rows from a listener registered here.
_CORE_INSERT_LISTENERS: list = []


def on_core_insert(listener) -> None:
    """Register ``listener(session, model, ids)``, told of every Core insert of ``model``'s
    rows ``ids`` made through ``note_core_insert`` (registering twice is once)."""
    if listener not in _CORE_INSERT_LISTENERS:
        _CORE_INSERT_LISTENERS.append(listener)


def note_core_insert(session, model, ids: list[int]) -> None:
    for listener in _CORE_INSERT_LISTENERS:
        listener(session, model, ids)
