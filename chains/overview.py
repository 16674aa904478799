"""The chain overview rows (one per chain on /chains/), cached per chain content.

Analysing a chain means loading its segments, links, firms and aimed projects and running
the graph algorithms: a few milliseconds each, which a province coordinator's 300 chains
turn into seconds. A row is cached under a *content stamp*: counts and latest change times
of everything the analysis reads (segments, links, firms and their companies, project aims
and the aiming projects). Any edit, addition or deletion there changes the stamp, so a
cached row is never served for content it was not computed from.

Reading the stamps of a province page means joining thousands of project aims, so a row
also remembers its county's newest audit row (crm/audit/county_cache.py) when its stamp
was last checked: every write of a chain, segment, firm, aim or project writes an audit
row of its county, so while that id stands the county's chains are as they were, and
only the shared companies' part of the stamp is read. A county written to since is
checked by content again, and only rows whose content changed are analysed again.
Audit rows younger than ``settle`` seconds are not relied on (on PostgreSQL a write that
flushed before another may commit after it), nor are checks older than ``max_age``
seconds (writes that leave no audit row: gen-data, raw SQL).
"""

from __future__ import annotations

import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Sequence
from typing import NamedTuple

from flask import current_app
from sqlalchemy import func, select

from chains.models import Chain, ChainFirm, ProjectSegment, Segment, SegmentLink
from chains.services import CLOSED_STAGES, analyse, build_graphs
from crm.audit.county_cache import county_versions
from crm.companies.models import Company
from crm.core.db import db, utcnow
from crm.projects.models import Project

EXTENSION = "chain_overview_rows"
UNSURE = object()  # a county version too young to rely on: check the content next time


class _Entry(NamedTuple):
    stamp: tuple  # the content stamp the row was computed from
    audit_id: int | None | object  # the county's newest audit row (None: none) when checked, or UNSURE
    checked: float  # when the stamp was checked (monotonic clock)
    row: dict


class RowCache:
    """Overview rows by chain id, bounded, least recently used first out."""

    def __init__(
        self,
        max_entries: int = 4096,
        max_age: float = 600.0,
        settle: float = 60.0,
        clock=time.monotonic,
        wall=utcnow,
    ):
        self.max_entries, self.max_age, self.settle = max_entries, max_age, settle
        self._clock, self._wall = clock, wall
        self._entries: OrderedDict[int, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, chain_id: int) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(chain_id)
            if entry is not None:
                self._entries.move_to_end(chain_id)
            return entry

    def current(self, entry: _Entry | None, audit_id: int | None, firms: tuple) -> bool:
        """Whether ``entry`` still stands without reading its county's content."""
        return (
            entry is not None
            and entry.audit_id is not UNSURE
            and entry.audit_id == audit_id
            and entry.stamp[0] == firms
            and self._clock() - entry.checked < self.max_age
        )

    def put(self, chain_id: int, stamp: tuple, version, row: dict) -> None:
        """Keep ``row``, computed from (or checked against) ``stamp``, under the county's
        ``version`` as read before the stamp."""
        # A county without audit rows has nothing that could commit below a newer one.
        settled = version.at is None or (self._wall() - version.at).total_seconds() >= self.settle
        entry = _Entry(stamp, version.audit_id if settled else UNSURE, self._clock(), row)
        with self._lock:
            self._entries[chain_id] = entry
            self._entries.move_to_end(chain_id)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def init_app(app) -> None:
    """Rows follow the per-county caches' settings: ``COUNTY_CACHE_ENTRIES`` 0 turns them off,
    ``COUNTY_CACHE_SECONDS`` is the longest a row is trusted without reading its content."""
    if int(app.config.get("COUNTY_CACHE_ENTRIES", 2048)) > 0:
        app.extensions[EXTENSION] = RowCache(max_age=float(app.config.get("COUNTY_CACHE_SECONDS", 600)))


def firm_stamps(chain_ids: Sequence[int]) -> dict[int, tuple]:
    """The part of the stamps that changes without a county's audit row: the chain firms'
    companies (shared master data), with the firms themselves."""
    stamps = {cid: () for cid in chain_ids}
    if chain_ids:
        for chain_id, *values in db.session.execute(
            select(
                ChainFirm.chain_id, func.count(), func.max(ChainFirm.updated_at), func.max(Company.updated_at)
            )
            .join(Company, Company.id == ChainFirm.company_id)
            .where(ChainFirm.chain_id.in_(chain_ids))
            .group_by(ChainFirm.chain_id)
        ):
            stamps[chain_id] = tuple(values)
    return stamps


def content_stamps(chain_ids: Sequence[int]) -> dict[int, tuple]:
    """The rest of each chain's stamp: segments, links, project aims and the aiming projects."""
    stamps: dict[int, list] = {cid: [] for cid in chain_ids}
    if not chain_ids:
        return {}
    queries = (
        select(Segment.chain_id, func.count(), func.max(Segment.updated_at))
        .where(Segment.chain_id.in_(chain_ids))
        .group_by(Segment.chain_id),
        select(SegmentLink.chain_id, func.count(), func.max(SegmentLink.updated_at))
        .where(SegmentLink.chain_id.in_(chain_ids))
        .group_by(SegmentLink.chain_id),
        select(
            Segment.chain_id, func.count(), func.max(ProjectSegment.created_at), func.max(Project.updated_at)
        )
        .select_from(ProjectSegment)
        .join(Segment, Segment.id == ProjectSegment.segment_id)
        .join(Project, Project.id == ProjectSegment.project_id)
        .where(Segment.chain_id.in_(chain_ids))
        .group_by(Segment.chain_id),
    )
    for position, query in enumerate(queries):
        for chain_id, *values in db.session.execute(query):
            stamps[chain_id].append((position, *values))
    return {cid: tuple(parts) for cid, parts in stamps.items()}


def _compute(chains: list[Chain]) -> dict[int, dict]:
    graphs = build_graphs(chains)
    analyses = {c.id: analyse(c, graphs[c.id], with_suggestions=False) for c in chains}
    gap_segments = {sid: cid for cid, a in analyses.items() for sid, _score in a.gaps}
    stages: dict[int, Counter] = {c.id: Counter() for c in chains}
    if gap_segments:
        for chain_id, stage, count in db.session.execute(
            select(Segment.chain_id, Project.stage, func.count(func.distinct(Project.id)))
            .select_from(ProjectSegment)
            .join(Segment, Segment.id == ProjectSegment.segment_id)
            .join(Project, Project.id == ProjectSegment.project_id)
            .where(ProjectSegment.segment_id.in_(gap_segments), Project.stage.not_in(CLOSED_STAGES))
            .group_by(Segment.chain_id, Project.stage)
        ):
            stages[chain_id][stage] = count
    rows = {}
    for chain in chains:
        analysis = analyses[chain.id]
        nodes = analysis.graph.nodes
        rows[chain.id] = {
            "summary": analysis.summary,
            "leaders": [
                {"company": r["company"], "segment_name": nodes[r["segment"]]["name"], "rate": r["rate"]}
                for r in analysis.leader_rates
            ],
            "project_stages": dict(stages[chain.id]),
        }
    return rows


def overview_rows(chains: list[Chain]) -> list[dict]:
    """One row per chain: ``chain``, ``summary``, ``leaders`` and ``project_stages``."""
    cache: RowCache | None = current_app.extensions.get(EXTENSION)
    if cache is None:
        rows = _compute(chains)
        return [{"chain": chain, **rows[chain.id]} for chain in chains]
    # Read before the content: a write after this changes the version, not the past.
    versions = county_versions(sorted({c.county_id for c in chains}))
    firms = firm_stamps([c.id for c in chains])
    entries = {chain.id: cache.get(chain.id) for chain in chains}
    found = {
        chain.id: entries[chain.id].row
        for chain in chains
        if cache.current(entries[chain.id], versions[chain.county_id].audit_id, firms[chain.id])
    }
    unsure = [chain for chain in chains if chain.id not in found]
    if unsure:
        content = content_stamps([c.id for c in unsure])
        stamps = {c.id: (firms[c.id], content[c.id]) for c in unsure}
        changed = []
        for chain in unsure:
            entry = entries[chain.id]
            if entry is not None and entry.stamp == stamps[chain.id]:
                found[chain.id] = entry.row
                cache.put(chain.id, stamps[chain.id], versions[chain.county_id], entry.row)
            else:
                changed.append(chain)
        if changed:
            computed = _compute(changed)
            for chain in changed:
                cache.put(chain.id, stamps[chain.id], versions[chain.county_id], computed[chain.id])
            found.update(computed)
    return [{"chain": chain, **found[chain.id]} for chain in chains]
