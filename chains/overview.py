"""The chain overview rows (one per chain on /chains/), cached per chain content.

Analysing a chain means loading its segments, links, firms and aimed projects and running
the graph algorithms: a few milliseconds each, which a province coordinator's 300 chains
turn into seconds. A row is cached under a *content stamp*: counts and latest change times
of everything the analysis reads (segments, links, firms and their companies, project aims
and the aiming projects). Any edit, addition or deletion there changes the stamp, so a
cached row is never served for content it was not computed from. The stamp takes four
aggregate queries for the whole page, whatever the number of chains.
"""
from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Sequence

from sqlalchemy import func, select

from chains.models import Chain, ChainFirm, ProjectSegment, Segment, SegmentLink
from chains.services import CLOSED_STAGES, analyse, build_graphs
from crm.companies.models import Company
from crm.core.db import db
from crm.projects.models import Project

CACHE_SIZE = 4096
_cache: OrderedDict[tuple, dict] = OrderedDict()
_lock = threading.Lock()


def content_stamps(chain_ids: Sequence[int]) -> dict[int, tuple]:
    """A value per chain that changes whenever anything its analysis reads changes."""
    stamps: dict[int, list] = {cid: [] for cid in chain_ids}
    if not chain_ids:
        return {}
    queries = (
        select(Segment.chain_id, func.count(), func.max(Segment.updated_at))
        .where(Segment.chain_id.in_(chain_ids)).group_by(Segment.chain_id),
        select(SegmentLink.chain_id, func.count(), func.max(SegmentLink.updated_at))
        .where(SegmentLink.chain_id.in_(chain_ids)).group_by(SegmentLink.chain_id),
        select(ChainFirm.chain_id, func.count(), func.max(ChainFirm.updated_at), func.max(Company.updated_at))
        .join(Company, Company.id == ChainFirm.company_id)
        .where(ChainFirm.chain_id.in_(chain_ids)).group_by(ChainFirm.chain_id),
        select(Segment.chain_id, func.count(), func.max(ProjectSegment.created_at), func.max(Project.updated_at))
        .select_from(ProjectSegment).join(Segment, Segment.id == ProjectSegment.segment_id)
        .join(Project, Project.id == ProjectSegment.project_id)
        .where(Segment.chain_id.in_(chain_ids)).group_by(Segment.chain_id),
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
            .select_from(ProjectSegment).join(Segment, Segment.id == ProjectSegment.segment_id)
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
            "leaders": [{"company": r["company"], "segment_name": nodes[r["segment"]]["name"], "rate": r["rate"]}
                        for r in analysis.leader_rates],
            "project_stages": dict(stages[chain.id]),
        }
    return rows


def overview_rows(chains: list[Chain]) -> list[dict]:
    """One row per chain: ``chain``, ``summary``, ``leaders`` and ``project_stages``."""
    stamps = content_stamps([c.id for c in chains])
    found: dict[int, dict] = {}
    with _lock:
        for chain in chains:
            row = _cache.get((chain.id, stamps[chain.id]))
            if row is not None:
                _cache.move_to_end((chain.id, stamps[chain.id]))
                found[chain.id] = row
    missing = [c for c in chains if c.id not in found]
    if missing:
        computed = _compute(missing)
        with _lock:
            for chain in missing:
                _cache[(chain.id, stamps[chain.id])] = computed[chain.id]
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
        found.update(computed)
    return [{"chain": chain, **found[chain.id]} for chain in chains]


def clear_cache() -> None:
    with _lock:
        _cache.clear()
