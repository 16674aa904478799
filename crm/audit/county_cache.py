"""Figures per county (dashboard figures, board column totals), kept in process between
requests.

The figures of a county only change when one of its records changes, and every create,
update or delete of a county-owned record writes an ``audit_events`` row with that
county in the same flush. So a county's figures are stored under (county, the bureau's
today, the id of the county's newest audit row): one statement reads the newest audit
id of every county of a dashboard (``county_versions``), and only the counties whose
entry is missing, from another day or another audit id are computed again — a write in
one county recomputes that county alone, the other 99 of a province stay as they are.

What is stored is figures only (counts, sums, histograms — no HTML, no names, nothing
translated), looked up by county id; a dashboard asks only for the counties of the
user's readable scope (``build_dashboard`` checks it), so a user can only ever be shown
the figures of counties they may read. Names (projects' owners, counties) are read
fresh on every request.

Safety nets, for writes that leave no audit row (gen-data, raw SQL, a Core UPDATE):
an entry lives at most ``max_age`` seconds (``COUNTY_CACHE_SECONDS``, 10 minutes;
each entry a random part ``spread`` less, so that counties computed together do not all
fall due on the same request).
On PostgreSQL audit ids are handed out at flush and become visible at commit, so a
write that flushed first but commits after another one in the same county can land
below the newest id a dashboard already saw; an entry computed within ``settle``
seconds of its county's newest audit row therefore expires ``settle`` seconds after
that row, by when such a write has committed. The store holds at most ``max_entries``
counties (``COUNTY_CACHE_ENTRIES``; 0 turns the caches off), least recently used
first out. A session that has flushed county-owned changes it has not committed yet
neither reads nor fills the cache (its figures may be rolled back).

Adding up a hundred counties' figures takes a few milliseconds (the histograms of stay
lengths), so the sum is kept too (``summary``), per set of counties, for as long as
every one of them still has the very figures it was made of.
"""

from __future__ import annotations

import random
import threading
import time
from collections import OrderedDict
from datetime import date, datetime
from typing import NamedTuple

from flask import current_app, has_app_context
from sqlalchemy import event, func, select

from crm.audit.models import AuditEvent
from crm.core import clock
from crm.core.db import CountyOwned, db, utcnow
from crm.core.session import TenantSession
from crm.core.tenancy import county_in, current_scope
from crm.regions.models import Region

UNSETTLED = "county_cache_unsettled_writes"
EXTENSION = "county_caches"


class Version(NamedTuple):
    """The newest audit row of a county: its id (None: none yet) and when it was written."""

    audit_id: int | None
    at: datetime | None


class _Entry(NamedTuple):
    today: date
    audit_id: int | None
    expires: float
    figures: object


class FiguresCache:
    """A bounded, thread-safe store of per-county figures (see the module docstring)."""

    def __init__(
        self,
        max_entries: int = 2048,
        max_age: float = 600.0,
        settle: float = 60.0,
        spread: float = 0.25,
        max_summaries: int = 64,
        clock=time.monotonic,
        wall=utcnow,
    ):
        self.max_entries, self.max_age, self.settle, self.spread = max_entries, max_age, settle, spread
        self.max_summaries = max_summaries
        self._clock, self._wall = clock, wall
        self._entries: OrderedDict[int, _Entry] = OrderedDict()
        self._summaries: OrderedDict[tuple, tuple[tuple, object]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, today: date, versions: dict[int, Version]) -> dict[int, object]:
        """{county: figures} for the counties whose entry matches ``today`` and their version."""
        now = self._clock()
        found = {}
        with self._lock:
            for county_id, version in versions.items():
                entry = self._entries.get(county_id)
                if (
                    entry
                    and entry.today == today
                    and entry.audit_id == version.audit_id
                    and entry.expires > now
                ):
                    self._entries.move_to_end(county_id)
                    found[county_id] = entry.figures
        return found

    def store(self, today: date, versions: dict[int, Version], figures: dict[int, object]) -> None:
        """Keep ``figures`` (computed after ``versions`` were read) under each county's version."""
        now, wall = self._clock(), self._wall()
        with self._lock:
            for county_id, value in figures.items():
                version = versions[county_id]
                expires = now + self.max_age * (1 - self.spread * random.random())
                if version.at is not None:
                    age = max((wall - version.at).total_seconds(), 0.0)
                    if age < self.settle:
                        expires = min(expires, now + self.settle - age)
                self._entries[county_id] = _Entry(today, version.audit_id, expires, value)
                self._entries.move_to_end(county_id)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
            # Summaries are made of the figures just replaced or of others still current;
            # dropping them all keeps none holding replaced figures in memory.
            self._summaries.clear()

    def summary(self, today: date, county_ids: tuple, figures: tuple, build):
        """``build()`` for these counties' ``figures`` (as ``lookup`` handed them out), made
        once and reused while every county still has those very figures: a dashboard over
        counties none of which changed is not added up again."""
        key = (today, tuple(county_ids))
        with self._lock:
            hit = self._summaries.get(key)
            if hit is not None and all(a is b for a, b in zip(hit[0], figures, strict=True)):
                self._summaries.move_to_end(key)
                return hit[1]
        value = build()
        with self._lock:
            # Only figures that are still the current ones: a summary never holds on to
            # figures the store has replaced (``store`` drops every summary).
            if all(
                (entry := self._entries.get(cid)) is not None and entry.figures is f
                for cid, f in zip(county_ids, figures, strict=True)
            ):
                self._summaries[key] = (figures, value)
                self._summaries.move_to_end(key)
                while len(self._summaries) > self.max_summaries:
                    self._summaries.popitem(last=False)
        return value


def county_versions(county_ids) -> dict[int, Version]:
    """{county: its newest audit row} in one statement.

    One index lookup per county — ``max(id)`` for a ``county_id`` is the last entry of
    that county in an index on (county_id, id) — instead of grouping the county's whole
    audit history; then the row itself by primary key for its time.
    """
    newest = (
        select(func.max(AuditEvent.id))
        .where(AuditEvent.county_id == Region.id)
        .correlate(Region)
        .scalar_subquery()
    )
    per_county = (
        select(Region.id.label("county_id"), newest.label("audit_id"))
        .where(county_in(Region.id, county_ids))
        .subquery()
    )
    rows = db.session.execute(
        select(per_county.c.county_id, per_county.c.audit_id, AuditEvent.at).outerjoin(
            AuditEvent, AuditEvent.id == per_county.c.audit_id
        )
    ).all()
    versions = {county_id: Version(None, None) for county_id in county_ids}
    versions.update({county_id: Version(audit_id, at) for county_id, audit_id, at in rows})
    return versions


def has_unsettled_writes(session=None) -> bool:
    """Has this session flushed county-owned changes that are not committed yet?"""
    return bool((session or db.session()).info.get(UNSETTLED))


@event.listens_for(TenantSession, "after_flush")
def _note_county_writes(session, flush_context) -> None:
    if any(isinstance(obj, CountyOwned) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[UNSETTLED] = True


@event.listens_for(TenantSession, "after_transaction_end")
def _forget_county_writes(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(UNSETTLED, None)


def register(app, name: str) -> None:
    """Give ``app`` a cache called ``name`` (one per kind of figures), sized by
    ``COUNTY_CACHE_ENTRIES`` and ``COUNTY_CACHE_SECONDS``; 0 entries: no cache."""
    entries = int(app.config.get("COUNTY_CACHE_ENTRIES", 2048))
    caches = app.extensions.setdefault(EXTENSION, {})
    if entries > 0:
        caches[name] = FiguresCache(
            max_entries=entries, max_age=float(app.config.get("COUNTY_CACHE_SECONDS", 600))
        )


def usable(name: str, today: date) -> FiguresCache | None:
    """The application's cache ``name`` when it may be used: for the bureau's today only
    (figures as of another day are computed afresh) and not by a session holding
    uncommitted writes."""
    if not has_app_context():
        return None
    cache = current_app.extensions.get(EXTENSION, {}).get(name)
    if cache is None or today != clock.today() or has_unsettled_writes():
        return None
    return cache


def for_readable_counties(name: str, today: date, compute) -> dict[int, object] | None:
    """{county: figures} for every county the current scope reads, through the cache
    ``name`` (see :func:`per_county`); None when that cache may not be used (see
    :func:`usable`) or the scope is not a list of counties, and the caller counts live."""
    scope = current_scope()
    cache = usable(name, today)
    if cache is None or scope is None or scope.unrestricted:
        return None
    return per_county(sorted(scope.read_county_ids), today, cache, compute)


def per_county(county_ids, today: date, cache: FiguresCache | None, compute) -> dict[int, object]:
    """{county: figures}: from ``cache`` when a county's entry is current, the others
    computed together by ``compute(missing_county_ids, today)`` and stored.

    The counties must all be readable in the current scope: an unreadable county comes
    out empty through the tenant filter, and would be cached so.
    """
    if cache is None or not county_ids:
        return compute(county_ids, today)
    versions = county_versions(county_ids)  # read before computing: a later write changes them
    found = cache.lookup(today, versions)
    missing = [cid for cid in county_ids if cid not in found]
    if missing:
        computed = compute(missing, today)
        cache.store(today, versions, computed)
        found.update(computed)
    return found
