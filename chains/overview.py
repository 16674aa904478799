"""The chain overview rows (one per chain on /chains/), kept per county in the county cache.

Analysing a chain means loading its segments, links, firms and aimed projects and running
the graph algorithms: a few milliseconds each, which a province coordinator's 300 chains
turn into seconds. Every write of a chain, segment, link, firm, aim or project leaves an
audit row of its county, so a county's rows stand while its version does
(``crm.core.county_cache``); a write recomputes the rows of that county's chains alone.
The one thing a row shows that changes without such an audit row is a company's name
(companies are shared by all counties): the county's *company stamp* — how many firms its
chains place and when any of their companies last changed — is part of the key.
"""

from __future__ import annotations

import time
from collections import Counter

from sqlalchemy import func, select

from chains.models import Chain, ChainFirm, ProjectSegment, Segment
from chains.services import CLOSED_STAGES, analyse, build_graphs
from crm.companies.models import Company
from crm.core import county_cache
from crm.core.db import db
from crm.projects.models import Project

__all__ = ["CHAIN_ROWS", "company_stamps", "overview_rows", "warm_overview_rows"]

CHAIN_ROWS = "chain_rows"  # the kind of figures in the county cache


def company_stamps(county_ids: list[int]) -> dict[int, tuple]:
    """{county: (firms placed on its chains, when the newest of their companies changed)}."""
    stamps = {cid: (0, None) for cid in county_ids}
    if county_ids:
        rows = db.session.execute(
            select(ChainFirm.county_id, func.count(), func.max(Company.updated_at))
            .join(Company, Company.id == ChainFirm.company_id)
            .where(ChainFirm.county_id.in_(county_ids))
            .group_by(ChainFirm.county_id)
        )
        stamps.update({county_id: (count, changed) for county_id, count, changed in rows})
    return stamps


def _rows(chains: list[Chain]) -> dict[int, dict]:
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


def _county_rows(county_ids: list[int]) -> dict[int, dict[int, dict]]:
    """{county: {chain: row}} for every chain of these counties."""
    chains = db.session.execute(select(Chain).where(Chain.county_id.in_(county_ids))).scalars().all()
    rows = _rows(list(chains))
    by_county: dict[int, dict[int, dict]] = {cid: {} for cid in county_ids}
    for chain in chains:
        by_county[chain.county_id][chain.id] = rows[chain.id]
    return by_county


def overview_rows(chains: list[Chain]) -> list[dict]:
    """One row per chain: ``chain``, ``summary``, ``leaders`` and ``project_stages``."""
    county_ids = sorted({c.county_id for c in chains})
    rows = county_cache.per_county(CHAIN_ROWS, county_ids, _county_rows, extra=company_stamps(county_ids))
    # A chain created after its county's rows were read (this very request) is analysed alone.
    late = [chain for chain in chains if chain.id not in rows[chain.county_id]]
    late_rows = _rows(late) if late else {}
    return [
        {"chain": chain, **(late_rows.get(chain.id) or rows[chain.county_id][chain.id])} for chain in chains
    ]


WARM_BATCH = 10  # counties analysed together at start


def warm_overview_rows(deadline: float) -> None:
    """Every county's chain rows into the county cache (``chaincrm serve`` at start,
    crm/core/warmup.py), ten counties at a time until ``deadline``: the first overview
    page then finds them."""
    county_ids = sorted(set(db.session.execute(select(Chain.county_id).distinct()).scalars()))
    for start in range(0, len(county_ids), WARM_BATCH):
        if time.monotonic() > deadline:
            return
        batch = county_ids[start : start + WARM_BATCH]
        county_cache.per_county(CHAIN_ROWS, batch, _county_rows, extra=company_stamps(batch))
        db.session.expunge_all()  # the batch's chains are not needed again
