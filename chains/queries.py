"""Reading chains for pages and the API: the lists, the selects and the panel's rows.

Every query runs under the tenant scope, so it returns only what the user's counties own;
writes live in :mod:`chains.services`.
"""

from __future__ import annotations

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import joinedload

from chains.models import Chain, ChainFirm, ProjectSegment, Segment, SegmentLink
from chains.services import CLOSED_STAGES
from chains.vocabulary import STAGE_RANK
from crm.companies.models import Company
from crm.core.db import db
from crm.core.pagination import page_slice
from crm.projects.models import Project
from crm.regions.models import Region

__all__ = [
    "aim_candidates",
    "chain_firms",
    "chain_links",
    "county_chain_names",
    "chain_page",
    "chain_segments",
    "chains_in_order",
    "company_names",
    "county_names",
    "project_segments",
    "segment_firms",
    "segments_for_choice",
]

AIM_CANDIDATES = 200  # newest open projects offered in the panel's "关联项目" select
COMPANY_NAMES = 1000  # names the firm form suggests as the user types


def chains_in_order() -> Select:
    """Every readable chain, by county then name: the overview's and the API's order."""
    return select(Chain).order_by(Chain.county_id, Chain.name, Chain.id)


def chain_page(page: int, per_page: int) -> tuple[list[Chain], int, int]:
    """``(chains, total, page)`` of the overview; a page past the last shows the last."""
    total = db.session.execute(select(func.count()).select_from(Chain)).scalar_one()
    page = max(1, min(page, (total + per_page - 1) // per_page or 1))
    chains = db.session.execute(page_slice(chains_in_order(), page, per_page)).scalars().all()
    return list(chains), total, page


def county_names(county_ids) -> dict[int, str]:
    """``{county id: name}`` of the given counties."""
    ids = set(county_ids)
    if not ids:
        return {}
    return {r.id: r.name for r in db.session.execute(select(Region).where(Region.id.in_(ids))).scalars()}


def chain_segments(chain_id: int) -> list[Segment]:
    """The chain's segments in their drawing order."""
    return list(
        db.session.execute(
            select(Segment).where(Segment.chain_id == chain_id).order_by(Segment.sort_order, Segment.id)
        ).scalars()
    )


def segments_for_choice(chain_id: int) -> list[Segment]:
    """The chain's segments for a select: upstream to downstream, then by order and name."""
    stage_rank = case(STAGE_RANK, value=Segment.stage, else_=len(STAGE_RANK))
    return list(
        db.session.execute(
            select(Segment)
            .where(Segment.chain_id == chain_id)
            .order_by(stage_rank, Segment.sort_order, Segment.name)
        ).scalars()
    )


def chain_links(chain_id: int) -> list[SegmentLink]:
    """The chain's supply links, oldest first."""
    return list(
        db.session.execute(
            select(SegmentLink).where(SegmentLink.chain_id == chain_id).order_by(SegmentLink.id)
        ).scalars()
    )


def chain_firms(chain_id: int) -> list[tuple[ChainFirm, str, str | None]]:
    """``(firm, company name, company USCC)`` of every firm on the chain, oldest first."""
    return [
        tuple(row)
        for row in db.session.execute(
            select(ChainFirm, Company.name, Company.uscc)
            .join(Company, Company.id == ChainFirm.company_id)
            .where(ChainFirm.chain_id == chain_id)
            .order_by(ChainFirm.id)
        )
    ]


def segment_firms(segment_id: int) -> list[ChainFirm]:
    """The firms on one segment with their companies loaded, oldest first."""
    return list(
        db.session.execute(
            select(ChainFirm)
            .options(joinedload(ChainFirm.company))
            .where(ChainFirm.segment_id == segment_id)
            .order_by(ChainFirm.id)
        ).scalars()
    )


def aim_candidates(aimed_ids, limit: int = AIM_CANDIDATES) -> list[Project]:
    """The newest open projects not aimed at the segment yet (``aimed_ids``)."""
    aimed = set(aimed_ids)
    newest = db.session.execute(
        select(Project).where(Project.stage.not_in(CLOSED_STAGES)).order_by(Project.id.desc()).limit(limit)
    ).scalars()
    return [project for project in newest if project.id not in aimed]


def county_chain_names(county_id: int) -> list[str]:
    """The names of a county's chains (its leading industries), by name."""
    return list(
        db.session.execute(
            select(Chain.name).where(Chain.county_id == county_id).order_by(Chain.name)
        ).scalars()
    )


def company_names(limit: int = COMPANY_NAMES) -> list[str]:
    """Company names, in pinyin order, for the firm form's suggestions."""
    statement = select(Company.name).order_by(Company.name_pinyin, Company.name).limit(limit)
    return list(db.session.execute(statement).scalars())


def project_segments(project_id: int) -> list[Segment]:
    """The segments a project aims at, with their chains, by chain and segment order."""
    return list(
        db.session.execute(
            select(Segment)
            .join(ProjectSegment, ProjectSegment.segment_id == Segment.id)
            .join(Chain, Chain.id == Segment.chain_id)
            .where(ProjectSegment.project_id == project_id)
            .options(joinedload(Segment.chain))
            .order_by(Chain.name, Segment.sort_order, Segment.id)
        ).scalars()
    )
