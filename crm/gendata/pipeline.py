"""Synthetic projects of one county, their stage history, chain aims and activities.

Each project's dates and history come from the projects demo's planner, so the synthetic
pipeline keeps the same rules as the real one: evidence from 签约 on, dates in order,
a stage history that walks the path the project took.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from crm.activities.models import ACTIVITY_KINDS
from crm.gendata.firms import CountyFirms
from crm.gendata.province import County
from crm.gendata.writer import BulkWriter
from crm.projects.demo import LOST_REASONS, NAME_PATTERNS, at_time, history_rows, plan_history
from crm.projects.models import FUND_ORIGINS, PROJECT_KINDS, SOURCE_CHANNELS, STAGES

STAGE_WEIGHTS = {
    "lead": 22,
    "contacted": 15,
    "visited": 12,
    "negotiating": 12,
    "signed": 10,
    "registered": 8,
    "started": 8,
    "producing": 7,
    "on_hold": 3,
    "lost": 3,
}
AMOUNTS = (1000, 3000, 5000, 8000, 12000, 20000, 35000, 50000, 80000, 120000, 200000)
SUBJECTS = {
    "call": ("电话沟通项目进展", "电话了解企业投资意向", "电话确认考察行程"),
    "visit": ("上门拜访企业总部", "拜访企业负责人", "走访企业了解用地需求"),
    "meeting": ("召开项目推进会", "项目专班例会", "协调项目用地和能评"),
    "site_visit": ("陪同企业实地考察园区", "企业考察标准化厂房", "考察配套企业"),
    "negotiation": ("洽谈投资协议条款", "商谈优惠政策兑现方式", "协议文本修改"),
    "event": ("参加招商推介会", "出席产业链对接会", "参加投资洽谈会"),
}
ACTIVITIES_WITHOUT_PROJECT = 0.1


@dataclass
class CountyProject:
    id: int
    stage: str
    owner_id: int
    first_contact_on: date
    signed_on: date | None
    planned_wan: Decimal
    land_mu: Decimal
    capital_origin: str
    investor_id: int


def write_projects(
    writer: BulkWriter, county: County, firms: CountyFirms, count: int, rng: random.Random, today: date
) -> list[CountyProject]:
    stages, weights = list(STAGE_WEIGHTS), list(STAGE_WEIGHTS.values())
    owners = county.staff_ids + [county.users["manager"]]
    segments = [segment for chain in firms.segments.values() for segment in chain]
    made = []
    for number in range(1, count + 1):
        stage = rng.choices(stages, weights)[0]
        plan = plan_history(stage, rng, today)
        pattern, industry, (low, high) = NAME_PATTERNS[rng.randrange(len(NAME_PATTERNS))]
        amount = Decimal(rng.choice(AMOUNTS))
        origin = rng.choice(list(FUND_ORIGINS))
        reach = STAGES.index(plan["path"][-1])
        owner_id = rng.choice(owners)
        investor_id = rng.choice(firms.investor_ids if rng.random() < 0.7 else firms.company_ids)
        next_follow_up = None
        if stage not in ("lost", "producing"):
            next_follow_up = today + timedelta(
                days=rng.randint(-20, -1) if number % 9 == 0 else rng.randint(1, 45)
            )
        dates = plan["dates"]
        project_id = writer.new_id("projects")
        history, last_at = history_rows(
            plan,
            stage,
            owner_id,
            county.users["manager"],
            rng,
            "企业暂缓投资决策" if stage == "on_hold" else "项目终止",
        )
        land = Decimal(rng.randint(20, 500))
        writer.add(
            "projects",
            {
                "id": project_id,
                "county_id": county.id,
                "name": pattern.format(n=rng.randint(low, high)),
                "code_name": f"{county.name[:2]}-{number:04d}号项目" if number % 20 == 3 else None,
                "investor_company_id": investor_id,
                "local_company_id": rng.choice(firms.local_ids) if reach >= 5 and firms.local_ids else None,
                "kind": rng.choice(list(PROJECT_KINDS)),
                "source_channel": rng.choice(list(SOURCE_CHANNELS)),
                "owner_id": owner_id,
                "responsible_unit": f"{county.name}投资促进局",
                "leader_in_charge": rng.choice(("县委书记", "县长", "常务副县长", "分管副县长")),
                "industry": industry,
                "planned_investment_wan": amount,
                "fixed_asset_investment_wan": (amount * Decimal("0.7")).quantize(Decimal(1)),
                "foreign_investment_wan": amount if origin == "foreign" else None,
                "expected_annual_output_wan": (amount * Decimal("1.2")).quantize(Decimal(1)),
                "expected_annual_tax_wan": (amount * Decimal("0.05")).quantize(Decimal(1)),
                "expected_jobs": rng.randint(30, 1200),
                "land_mu": land,
                "capital_origin": origin,
                "stage": stage,
                "first_contact_on": dates.get("first_contact_on"),
                "signed_on": dates.get("signed_on"),
                "contract_no": f"{county.code}-{dates['signed_on'].year}-{number:04d}"
                if reach >= 4
                else None,
                "registered_on": dates.get("registered_on"),
                "construction_started_on": dates.get("construction_started_on"),
                "production_started_on": dates.get("production_started_on"),
                "next_follow_up_on": next_follow_up,
                "lost_reason": rng.choice(LOST_REASONS) if stage == "lost" else None,
                "description": None,
                "version": 1,
                "created_at": at_time(plan["reached"]["lead"], rng),
                "updated_at": last_at,
            },
        )
        for row in history:
            writer.add("stage_changes", {"project_id": project_id, "county_id": county.id, **row})
        if segments and rng.random() < 0.6:
            for segment_id, _importance in rng.sample(segments, rng.randint(1, 2)):
                writer.add(
                    "project_segments",
                    {
                        "project_id": project_id,
                        "segment_id": segment_id,
                        "county_id": county.id,
                        "created_at": last_at,
                        "updated_at": last_at,
                    },
                )
        made.append(
            CountyProject(
                id=project_id,
                stage=stage,
                owner_id=owner_id,
                first_contact_on=dates["first_contact_on"],
                signed_on=dates.get("signed_on"),
                planned_wan=amount,
                land_mu=land,
                capital_origin=origin,
                investor_id=investor_id,
            )
        )
    return made


def write_activities(
    writer: BulkWriter,
    county: County,
    projects: list[CountyProject],
    firms: CountyFirms,
    count: int,
    rng: random.Random,
    today: date,
    now: datetime,
) -> None:
    kinds = list(ACTIVITY_KINDS)
    for number in range(count):
        kind = kinds[rng.randrange(len(kinds))]
        if projects and rng.random() >= ACTIVITIES_WITHOUT_PROJECT:
            project = projects[rng.randrange(len(projects))]
            project_id, company_id = project.id, project.investor_id
            span = max((today - project.first_contact_on).days, 0)
            day = project.first_contact_on + timedelta(days=rng.randint(0, span))
        else:
            project_id, company_id = None, firms.company_ids[rng.randrange(len(firms.company_ids))]
            day = today - timedelta(days=rng.randint(0, 700))
        follow_up = day + timedelta(days=rng.randint(7, 30)) if number % 7 == 0 else None
        writer.add(
            "activities",
            {
                "project_id": project_id,
                "company_id": company_id,
                "kind": kind,
                "occurred_on": day,
                "subject": SUBJECTS[kind][rng.randrange(3)],
                "participants": None,
                "summary": "双方就投资规模、用地和时间节点交换意见" if number % 3 == 0 else None,
                "next_step": "整理企业需求清单" if follow_up else None,
                "next_follow_up_on": follow_up,
                "created_by_id": county.staff_ids[rng.randrange(len(county.staff_ids))],
                "county_id": county.id,
                "version": 1,
                "created_at": at_time(day, rng),
                "updated_at": now,
            },
        )
