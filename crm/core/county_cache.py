"""Figures per county kept in the server process between requests, one cache for all.

A county's figures (its dashboard share, the board's column totals, its chains' overview
rows) change only when one of its records changes, and every write of a county-owned
record leaves an ``audit_events`` row of that county in the same flush
(``crm.audit.recorder``; ``tests/foundation/test_county_versions.py`` tests the write
paths to it). So figures are kept under the county's *version* — the id of its newest
audit row — and a page reads the versions of its counties in one statement: a write in
one county recomputes that county alone, the other 99 of a province stay as they are.

``per_county(kind, county_ids, compute)`` is the way in for figures per county. ``kind``
names the figures ("dashboard", "board_totals", "chain_rows"); ``day`` keys figures that
depend on the date (overdue follow-ups); ``extra`` adds to a county's version what changes
without one of its audit rows (the shared companies a county's chains name). ``per_record``
keeps one record's figures the same way (a chain's gap graph page, under its county's
version). ``summed_over_readable`` adds up numbers kept per county (the dashboard panels).

The audit log supplies the versions (``set_version_source``, called by ``crm.audit``), so
this module depends on nothing above the core. Safety nets, for writes that leave no
audit row (raw SQL, a bulk load): an entry lives at most ``COUNTY_CACHE_SECONDS``
(each a random part ``spread`` less, so counties computed together do not fall due
together). On PostgreSQL audit ids are handed out at flush and become visible at commit,
so a write that flushed first but commits after another can land below the newest id a
page already saw; an entry made within ``settle`` seconds of its county's newest audit
row expires ``settle`` seconds after that row. At most ``COUNTY_CACHE_ENTRIES`` entries
per kind are kept (0 turns the cache off), least recently used first out. A session
holding uncommitted county-owned writes neither reads nor fills the cache, and figures
are only ever computed for counties the current scope reads.
"""

from __future__ import annotations

import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from datetime import date, datetime
from typing import Any, NamedTuple

from flask import current_app, has_app_context
from sqlalchemy import event

from crm.core import clock
from crm.core.county_owned import CountyOwned
from crm.core.db import db
from crm.core.session import TenantScopeError, TenantSession, on_core_insert
from crm.core.tenancy import current_scope

__all__ = [
    "CountyCache",
    "Version",
    "init_app",
    "per_county",
    "per_record",
    "set_version_source",
    "summed_over_readable",
]

EXTENSION = "county_cache"
UNSETTLED = "county_cache_unsettled_writes"


class Version(NamedTuple):
    """A county's newest audit row: its id (None: none yet) and when it was written."""

    audit_id: int | None
    at: datetime | None


class _Entry(NamedTuple):
    key: tuple  # (day, audit id, extra)
    expires: float
    value: Any


class CountyCache:
    """A bounded, thread-safe store of one kind of figures by county.

    >>> cache = CountyCache(max_entries=2, spread=0)
    >>> cache.put(1, ("2026-12-04", 7, None), Version(7, None), "figures of county 1")
    >>> cache.get(1, ("2026-12-04", 7, None)), cache.get(1, ("2026-12-04", 8, None))
    ('figures of county 1', None)
    """

    def __init__(
        self,
        max_entries: int = 2048,
        max_age: float = 600.0,
        settle: float = 60.0,
        spread: float = 0.25,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = clock.utcnow,
    ):
        self.max_entries, self.max_age, self.settle, self.spread = max_entries, max_age, settle, spread
        self._monotonic, self._wall = monotonic, wall
        self._entries: OrderedDict[int, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, county_id: int, key: tuple):
        """The value kept for ``county_id`` under ``key``, or None."""
        with self._lock:
            entry = self._entries.get(county_id)
            if entry is None or entry.key != key or entry.expires <= self._monotonic():
                return None
            self._entries.move_to_end(county_id)
            return entry.value

    def put(self, county_id: int, key: tuple, version: Version, value) -> None:
        """Keep ``value``, computed after ``version`` was read, under ``key``."""
        now = self._monotonic()
        expires = now + self.max_age * (1 - self.spread * random.random())
        if version.at is not None:
            age = max((self._wall() - version.at).total_seconds(), 0.0)
            if age < self.settle:
                expires = min(expires, now + self.settle - age)
        with self._lock:
            self._entries[county_id] = _Entry(key, expires, value)
            self._entries.move_to_end(county_id)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


VersionSource = Callable[[list[int]], dict[int, Version]]


def init_app(app) -> None:
    """Give ``app`` its caches (made at first use, sized by ``COUNTY_CACHE_ENTRIES`` and
    ``COUNTY_CACHE_SECONDS``) and no version source yet (no caching until one is set)."""
    app.extensions[EXTENSION] = {"caches": {}, "versions": None}


def set_version_source(app, versions: VersionSource) -> None:
    """``versions(county_ids) -> {county: Version}``: what the cache is keyed by."""
    app.extensions[EXTENSION]["versions"] = versions


def _cache(kind: str, max_entries: int | None = None) -> CountyCache | None:
    state = current_app.extensions.get(EXTENSION)
    entries = int(current_app.config.get("COUNTY_CACHE_ENTRIES", 2048))
    if max_entries is not None:
        entries = min(entries, max_entries)
    if state is None or state["versions"] is None or entries <= 0:
        return None
    caches = state["caches"]
    if kind not in caches:
        caches.setdefault(
            kind,
            CountyCache(
                max_entries=entries, max_age=float(current_app.config.get("COUNTY_CACHE_SECONDS", 600))
            ),
        )
    return caches[kind]


def per_county(
    kind: str,
    county_ids: Iterable[int],
    compute: Callable[[list[int]], dict[int, Any]],
    *,
    day: date | None = None,
    extra: dict[int, Hashable] | None = None,
) -> dict[int, Any]:
    """{county: figures} for ``county_ids``: kept ones while current, the others computed
    together by ``compute(missing_county_ids)`` and kept.

    Every county must be readable in the current scope (an unreadable one would come out
    empty through the tenant filter, and be kept so): anything else raises. ``day`` (for
    figures as of a date) uses the cache only for the bureau's today.
    """
    county_ids = sorted(set(county_ids))
    scope = current_scope()
    if scope is None or not all(scope.can_read(cid) for cid in county_ids):
        raise TenantScopeError(f"{kind} figures were asked for a county outside the tenant scope")
    cache = _cache(kind) if has_app_context() else None
    if (
        cache is None
        or not county_ids
        or (day is not None and day != clock.today())
        or _has_unsettled_writes()
    ):
        return compute(county_ids)
    versions = current_app.extensions[EXTENSION]["versions"](county_ids)  # before computing
    keys = {cid: (day, versions[cid].audit_id, (extra or {}).get(cid)) for cid in county_ids}
    found = {}
    for cid in county_ids:
        value = cache.get(cid, keys[cid])
        if value is not None:
            found[cid] = value
    missing = [cid for cid in county_ids if cid not in found]
    if missing:
        computed = compute(missing)
        for cid in missing:
            cache.put(cid, keys[cid], versions[cid], computed[cid])
        found.update(computed)
    return found


def summed_over_readable(
    kind: str,
    county_ids: Iterable[int],
    compute: Callable[[list[int]], dict[int, dict[str, Any]]],
    *,
    day: date | None = None,
) -> dict[str, Any]:
    """Counts and sums over ``county_ids`` added up from each county's, kept as
    :func:`per_county` keeps them. ``compute(missing)`` gives each county a dict of numbers
    (the same keys for every county); counties the current scope does not read count
    nothing, as the tenant filter would have them.

    The dashboard panels of a province read their figures this way: a write recounts the
    one county written to, not all hundred.
    """
    scope = current_scope()
    readable = [cid for cid in county_ids if scope is not None and scope.can_read(cid)]
    parts = list(per_county(kind, readable, compute, day=day).values())
    if not parts:
        return {}
    return {name: sum(part[name] for part in parts) for name in parts[0]}


def per_record(
    kind: str,
    record_id: int,
    county_id: int,
    compute: Callable[[], Any],
    *,
    extra: Hashable = None,
    max_entries: int = 64,
) -> Any:
    """One record's figures (a chain's graph page), kept while its county's version and
    ``extra`` stand: the same rules as :func:`per_county`, one entry per record, at most
    ``max_entries`` records of this kind (big values: keep few)."""
    scope = current_scope()
    if scope is None or not scope.can_read(county_id):
        raise TenantScopeError(f"{kind} figures were asked for a county outside the tenant scope")
    cache = _cache(kind, max_entries) if has_app_context() else None
    if cache is None or _has_unsettled_writes():
        return compute()
    version = current_app.extensions[EXTENSION]["versions"]([county_id])[county_id]  # before computing
    key = (county_id, version.audit_id, extra)
    value = cache.get(record_id, key)
    if value is None:
        value = compute()
        cache.put(record_id, key, version, value)
    return value


def _has_unsettled_writes() -> bool:
    return bool(db.session().info.get(UNSETTLED))


@event.listens_for(TenantSession, "after_flush")
def _note_county_writes(session, flush_context) -> None:
    if any(isinstance(obj, CountyOwned) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[UNSETTLED] = True


def _note_county_inserts(session, model, ids) -> None:
    if issubclass(model, CountyOwned) and ids:
        session.info[UNSETTLED] = True


on_core_insert(_note_county_inserts)


@event.listens_for(TenantSession, "after_transaction_end")
def _forget_county_writes(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(UNSETTLED, None)
