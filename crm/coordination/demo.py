"""Demo: a 60/40 transfer from 岐山县 to 扶风县 with its agreement in force this year, an offer
from 扶风县 awaiting 岐山县's answer, and a collision (撞车) on one investor between the two
(on top of those the demo's shared investors raise by themselves)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from crm.activities.models import Activity
from crm.companies.models import Company
from crm.coordination import services
from crm.coordination.collisions import detect_collisions
from crm.coordination.models import BenefitAgreement
from crm.core.db import added, db
from crm.funds.models import FundsRecord, is_counted
from crm.projects.models import Project
from crm.util.names import normalise_company_name

DEMO_SHARE = Decimal(60)


def _richest_project(county_id: int, year: int) -> Project | None:
    """The county's open, non-confidential project with the most funds counted this year."""
    row = db.session.execute(
        select(Project.id, func.sum(FundsRecord.amount_wan).label("total"))
        .join(FundsRecord, FundsRecord.project_id == Project.id)
        .where(
            Project.county_id == county_id,
            Project.code_name.is_(None),
            Project.stage != "lost",
            FundsRecord.month >= date(year, 1, 1),
            is_counted(),
        )
        .group_by(Project.id)
        .order_by(func.sum(FundsRecord.amount_wan).desc(), Project.id)
        .limit(1)
    ).first()
    return db.session.get(Project, row[0]) if row else None


def load_demo(ctx) -> None:
    qishan, fufeng = ctx.counties[0], ctx.counties[1]
    qishan_manager = ctx.county_users[qishan.id]["manager"]
    fufeng_manager = ctx.county_users[fufeng.id]["manager"]
    start_of_year = date(ctx.today.year, 1, 1)

    moved = _richest_project(qishan.id, ctx.today.year)
    if moved is not None:
        offer = services.offer_transfer(
            moved,
            {"to_county_id": fufeng.id, "reason": "land", "from_share_percent": DEMO_SHARE, "years": 5,
             "note": "岐山县园区用地不足，推荐至扶风县建设"},
            qishan_manager,
        )  # fmt: skip
        services.answer_transfer(offer, True, "同意接收", offer.version, fufeng_manager)
        # The story: agreed in January, so the split is in force for the whole year.
        agreement = db.session.execute(
            select(BenefitAgreement).where(BenefitAgreement.transfer_id == offer.id)
        ).scalar_one()
        agreement.starts_on = start_of_year
        db.session.flush()

    pending = db.session.execute(
        select(Project)
        .where(
            Project.county_id == fufeng.id,
            Project.stage.in_(("contacted", "visited")),
            Project.code_name.is_(None),
        )
        .order_by(Project.id)
        .limit(1)
    ).scalar_one_or_none()
    if pending is not None:
        services.offer_transfer(
            pending,
            {"to_county_id": qishan.id, "reason": "energy", "from_share_percent": Decimal(50), "years": 3,
             "note": "扶风县能耗指标紧张"},
            fufeng_manager,
        )  # fmt: skip

    _collision(ctx, qishan, fufeng)


def _collision(ctx, qishan, fufeng) -> None:
    """扶风县 records a lead from a company whose name differs from an investor 岐山县 already
    talks to only by its legal form: the same normalised name, so both are alerted."""
    target = db.session.execute(
        select(Project)
        .join(Company, Company.id == Project.investor_company_id)
        .where(Project.county_id == qishan.id, Project.stage.in_(("visited", "negotiating")))
        .order_by(Project.id)
        .limit(1)
    ).scalar_one_or_none()
    if target is None:
        return
    investor = target.investor_company
    variant_name = f"{normalise_company_name(investor.name)}（集团）有限公司"
    if normalise_company_name(variant_name) != investor.name_key or variant_name == investor.name:
        variant_name = investor.name  # the same company then
    variant = db.session.execute(select(Company).where(Company.name == variant_name)).scalar_one_or_none()
    if variant is None:
        variant = Company(name=variant_name, name_key=normalise_company_name(variant_name))
        db.session.add(variant)
    people = ctx.county_users[fufeng.id]
    lead = Project(
        county_id=fufeng.id,
        name=f"{investor.name[:6]}扶风新基地项目",
        industry=target.industry,
        investor_company=variant,
        owner=people["staff"],
        stage="contacted",
        first_contact_on=ctx.today - timedelta(days=10),
    )
    added(lead)
    db.session.add(
        Activity(
            county_id=fufeng.id,
            project_id=lead.id,
            kind="call",
            occurred_on=ctx.today - timedelta(days=10),
            subject="电话对接投资意向",
            created_by_id=people["staff"].id,
        )
    )
    db.session.flush()
    detect_collisions([lead.id])
