"""The demo's chains: each demo county's leading chains from the bundled templates, with
local firms, target firms, external candidates and (when the projects demo made any)
projects aimed at gap segments."""

from __future__ import annotations

from sqlalchemy import select

from chains import services
from chains.models import ChainFirm, Segment
from crm.core.db import db
from crm.projects.models import Project
from crm.util.uscc import make_uscc

__all__ = ["DEMO_CHAINS", "load_demo"]

DEMO_CHAINS = {
    "610323": (
        ("new_energy_vehicle", "县委副书记 李建军"),
        ("green_food", "副县长 王丽"),
        ("high_end_equipment", "副县长 赵国强"),
    ),
    "610324": (("biomedicine", "县委常委 陈志远"), ("new_materials", "副县长 刘海燕")),
}
LOCAL_PREFIXES = {
    "610323": ("岐山", "周原", "凤鸣", "蔡家坡", "五丈原"),
    "610324": ("扶风", "法门", "七星河", "绛帐", "天度"),
}
TARGET_PREFIXES = ("苏州", "合肥", "宁波", "深圳", "长沙", "成都", "常州", "西安", "青岛", "无锡")
SUFFIXES = ("科技有限公司", "股份有限公司", "实业有限公司", "制造有限公司")


def _firm_name(prefix: str, segment: str, suffix: str) -> str:
    core = segment.split("（")[0].split("(")[0].replace("/", "")
    return f"{prefix}{core}{suffix}"


def load_demo(ctx) -> None:
    """Each demo county gets its chains from templates, with local firms, targets and
    (when the projects demo made any) projects aimed at gap segments."""
    rng = ctx.rng
    seed = 7000
    for county in ctx.counties:
        plans = DEMO_CHAINS.get(county.code, ())
        projects = list(
            db.session.execute(
                select(Project)
                .where(Project.county_id == county.id, Project.stage != "lost")
                .order_by(Project.id)
            ).scalars()
        )
        for template_key, leader in plans:
            chain = services.create_chain_from_template(
                template_key, leader_official=leader, county_id=county.id
            )
            segments = (
                db.session.execute(
                    select(Segment).where(Segment.chain_id == chain.id).order_by(Segment.sort_order)
                )
                .scalars()
                .all()
            )
            for segment in segments:
                roll = rng.random()
                if roll < 0.45:  # local firms: a leader on most core segments
                    count = rng.choice((1, 2, 2, 3))
                    for i in range(count):
                        seed += 1
                        role = (
                            "leader"
                            if i == 0 and segment.importance == "core" and rng.random() < 0.7
                            else rng.choice(("supporting", "supporting", "service"))
                        )
                        name = _firm_name(
                            rng.choice(LOCAL_PREFIXES[county.code]), segment.name, SUFFIXES[i % 4]
                        )
                        company = services.find_or_create_company(
                            name, make_uscc(county.code, seed), county.id
                        )
                        if not db.session.execute(
                            select(ChainFirm.id).where(
                                ChainFirm.segment_id == segment.id, ChainFirm.company_id == company.id
                            )
                        ).first():
                            services.add_firm(segment, company=company, role=role, presence="local")
                elif roll < 0.75:  # a target firm to attract
                    seed += 1
                    name = _firm_name(rng.choice(TARGET_PREFIXES), segment.name, rng.choice(SUFFIXES))
                    company = services.find_or_create_company(name, make_uscc("320500", seed), county.id)
                    role = "leader" if segment.importance == "core" else "supporting"
                    services.add_firm(
                        segment,
                        company=company,
                        role=role,
                        presence="target",
                        note="已建立联系，待上门拜访" if rng.random() < 0.5 else "",
                    )
                    if rng.random() < 0.2:
                        services.add_firm(
                            segment,
                            company_name=_firm_name("上海", segment.name, "集团有限公司"),
                            role="supporting",
                            presence="external",
                        )
                elif rng.random() < 0.6:  # a gap with a candidate firm elsewhere (新建招商线索 from it)
                    services.add_firm(
                        segment,
                        company_name=_firm_name("广州", segment.name, "有限公司"),
                        role="supporting",
                        presence="external",
                        note="外地同类企业，可接洽",
                    )
            if projects:
                analysis = services.analyse(chain, with_suggestions=False)
                for node, _score in analysis.gaps[:3]:
                    if not projects:
                        break
                    services.aim_project(projects.pop(0), db.session.get(Segment, node))
