"""Demo rewards: per county a "‰ of funds in place, capped" rule for this year, referrals on
demo projects (most confirmed, one registered after signing, one unconfirmed, one by a
public official) and a draft list, so this year has eligible and ineligible projects.
Early in a year, before any project reached a milestone, the rule and list are last
year's (what a bureau draws up in January). One rewarded project is confidential, so the
referrals, the list, its exports and its 公示 notice show the code-name rule at work.

Builds on the projects and funds demos; with no demo projects it does nothing.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from crm.core.db import db
from crm.files.generated import DEMO_NOTE, attach_generated_pdf, chinese_date
from crm.projects.demo import first_on_open_project, investor_name
from crm.projects.models import Project
from crm.rewards import publicity, services
from crm.rewards.milestone import first_reached
from crm.rewards.models import Referral

REFERRERS = (
    ("周原商会", "unit"),
    ("王建国", "individual"),
    ("西部产业招商服务有限公司", "intermediary"),
    ("陕西省宝鸡商会", "unit"),
    ("李秀梅", "individual"),
    ("秦创投资咨询有限公司", "intermediary"),
    ("张志强", "individual"),
    ("宝鸡市汽车零部件行业协会", "unit"),
)
MILESTONES = ("signed", "registered", "started")


def _milestone_in(county_id: int, year: int) -> tuple[str, dict]:
    """The milestone most demo projects reached in ``year`` (signing, if any did)."""
    best = ("signed", {})
    for stage in MILESTONES:
        reached = {pid: day for pid, day in first_reached(county_id, stage).items() if day.year == year}
        if len(reached) > len(best[1]):
            best = (stage, reached)
        if len(reached) >= 4:
            break
    return best


def _period(county_id: int, today) -> tuple[int, str, dict]:
    """The year the demo rewards (this one, or last year while fewer than four projects
    reached a milestone this year), its milestone and the projects that reached it then."""
    year = today.year
    milestone, reached = _milestone_in(county_id, year)
    if len(reached) < 4:
        year -= 1
        milestone, reached = _milestone_in(county_id, year)
    return year, milestone, reached


def _one_confidential(county, reward_list) -> None:
    """Give the project of the list's first eligible line a code name, unless a rewarded
    project is confidential already (a list is checked against the project as it is now)."""
    eligible = [line.project_id for line in reward_list.eligible_lines if line.project_id]
    projects = (
        db.session.execute(select(Project).where(Project.id.in_(eligible)).order_by(Project.id))
        .scalars()
        .all()
    )
    if not projects or any(p.code_name for p in projects):
        return
    first = projects[0]
    first.code_name = f"{county.name[:2]}-{reward_list.period_start.year}-J{first.id:03d}号项目"
    db.session.flush()


def load_demo(ctx) -> None:
    for county in ctx.counties:
        if (
            db.session.execute(select(Project.id).where(Project.county_id == county.id).limit(1)).first()
            is None
        ):
            continue
        year, milestone, reached = _period(county.id, ctx.today)
        rule = services.create_rule(
            county_id=county.id,
            name=f"{county.name}{year}年招商引资引荐奖励办法",
            year=year,
            basis="funds_in_place",
            milestone=milestone,
            mode="progressive",
            tiers=[("1000", "5"), ("5000", "3"), (None, "1")],
            cap_wan=Decimal("30"),
            exclude_public_officials=True,
            note="按项目累计到位资金分段累进计奖，单个项目奖励不超过30万元；公职人员引荐的不予个人奖励。",
        )
        projects = (
            db.session.execute(select(Project).where(Project.id.in_(reached)).order_by(Project.id))
            .scalars()
            .all()
            if reached
            else []
        )
        for index, project in enumerate(projects):
            name, kind = REFERRERS[index % len(REFERRERS)]
            signed = project.signed_on or reached[project.id]
            registered = signed - timedelta(days=ctx.rng.randint(20, 120))
            confirmed, official = True, False
            if index == 1:
                registered = signed + timedelta(days=ctx.rng.randint(5, 30))  # registered after signing
            elif index == 2:
                confirmed = False
            elif index == 3:
                name, kind, official = "赵立新", "individual", True
            if index == 4:
                continue  # no referral at all
            services.register_referral(
                project,
                referrer_name=name,
                referrer_kind=kind,
                is_public_official=official,
                contact=f"0917-{ctx.rng.randint(2000000, 8999999)}",
                registered_on=registered,
                investor_confirmed=confirmed,
                investor_confirmed_on=registered + timedelta(days=7) if confirmed else None,
                confirmation_evidence="投资方引荐确认函（存档）" if confirmed else None,
                note=None,
            )
        if projects:
            reward_list = services.create_list(rule, str(year))
            _one_confidential(county, reward_list)
            _publish_with_an_objection(reward_list, ctx.today)
    if ctx.counties:
        _attach_confirmation_letter(ctx, ctx.counties[0])


def _attach_confirmation_letter(ctx, county) -> None:
    """The investor's confirmation letter (确认函, a generated PDF) on the county's first
    confirmed referral of a project that is not confidential."""
    referral = first_on_open_project(
        select(Referral)
        .join(Project, Project.id == Referral.project_id)
        .where(
            Referral.county_id == county.id,
            Referral.investor_confirmed.is_(True),
            Referral.investor_confirmed_on.is_not(None),
        )
        .order_by(Referral.id)
    )
    if referral is None:
        return
    project = referral.project
    attach_generated_pdf(
        "referral",
        referral,
        kind="confirmation_letter",
        filename=f"{project.name} 引荐确认函.pdf",
        title="投资方引荐确认函",
        lines=[
            f"致：{county.name}投资促进局",
            f"投资方：{investor_name(project)}",
            f"投资项目：{project.name}",
            f"引荐人：{referral.referrer_name}",
            f"我公司确认，上述项目系经引荐人引荐落户{county.name}，特此函告。",
            f"确认日期：{chinese_date(referral.investor_confirmed_on)}",
            DEMO_NOTE,
        ],
        by=ctx.county_users[county.id]["staff"],
    )


def _publish_with_an_objection(reward_list, today) -> None:
    """The list in its 公示期 (from today for a week) with one objection received today, open
    for the manager (a list without an eligible line is left a draft)."""
    if not reward_list.eligible_lines:
        return
    publicity.publish_list(reward_list, today, today + timedelta(days=6))
    if reward_list.eligible_lines:
        publicity.record_objection(
            reward_list,
            line_id=reward_list.eligible_lines[0].id,
            objector="群众来电",
            objector_contact=None,
            received_on=today,
            content="反映该项目引荐人与投资方存在亲属关系，请核实是否属于关联方。",
        )
