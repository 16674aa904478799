"""Demo policies, commitments in every status, and investor obligations met, pending and missed.

Each county also promises something to a confidential project (one with a code name), due
soon, so the register, its exports, the dashboard panel and follow-ups show the code name.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from crm.commitments import policies as policy_services
from crm.commitments import services
from crm.commitments.models import Policy
from crm.core.db import db
from crm.projects.models import Project

SIGNED_OR_LATER = ("signed", "registered", "started", "producing")
OVERRIDE = "县政府常务会议研究同意（会议纪要〔2025〕12号），按“一事一议”执行"


def _province(county):
    region = county
    while region.parent is not None:
        region = region.parent
    return region


def _signed_projects(ctx, county, wanted: int) -> list[Project]:
    projects = list(
        db.session.execute(
            select(Project)
            .where(
                Project.county_id == county.id,
                Project.stage.in_(SIGNED_OR_LATER),
                Project.signed_on.is_not(None),
            )
            .order_by(Project.signed_on, Project.id)
        ).scalars()
    )
    owner = ctx.county_users[county.id]["staff"]
    # Only when the projects demo gave none: a commitment needs a signed project to rest on.
    while len(projects) < wanted:
        number = len(projects) + 1
        project = Project(
            county_id=county.id,
            name=f"{county.name}示范签约项目{number}",
            stage="signed",
            signed_on=ctx.today - timedelta(days=200 + 30 * number),
            contract_no=f"DEMO-{county.code}-{number}",
            owner_id=owner.id,
            planned_investment_wan=Decimal("30000"),
            fixed_asset_investment_wan=Decimal("22000"),
            land_mu=Decimal("120"),
        )
        db.session.add(project)
        db.session.flush()
        projects.append(project)
    return projects


def _policies(ctx, county, province_policy: Policy) -> dict[str, Policy]:
    manager = ctx.county_users[county.id]["manager"]
    start = ctx.today - timedelta(days=4 * 365)
    rows = {
        "land": (
            "工业用地出让价格优惠",
            "land_price",
            f"{county.name[:2]}政发〔2023〕8号",
            Decimal("500"),
            None,
        ),
        "tax": (
            "新落地项目税收贡献奖励",
            "tax_reward",
            f"{county.name[:2]}政办发〔2023〕21号",
            Decimal("1000"),
            Decimal("3"),
        ),
        "rent": (
            "标准化厂房租金减免",
            "plant_rent",
            f"{county.name[:2]}政办发〔2024〕5号",
            Decimal("200"),
            None,
        ),
        "loan": (
            "技改项目贷款贴息",
            "loan_interest",
            f"{county.name[:2]}财发〔2024〕17号",
            Decimal("300"),
            None,
        ),
    }
    made = {"province": province_policy}
    for key, (name, kind, basis, cap, ratio) in rows.items():
        made[key] = policy_services.create_policy(
            manager,
            county,
            name=name,
            kind=kind,
            legal_basis=basis,
            max_amount_wan=cap,
            max_ratio_pct=ratio,
            valid_from=start,
            valid_to=ctx.today + timedelta(days=2 * 365),
            fair_review="passed",
            description=None,
        )
    return made


def _draft(ctx, county, project, policy, clause, amount, due_in_days, **extra):
    staff = ctx.county_users[county.id]["staff"]
    committed_on = min(ctx.today, max(project.signed_on, ctx.today - timedelta(days=365)))
    due_on = max(committed_on, ctx.today + timedelta(days=due_in_days))
    return services.create_commitment(
        project,
        staff,
        policy=policy,
        clause=clause,
        amount_wan=Decimal(amount),
        due_on=due_on,
        committed_on=committed_on,
        conditions=extra.get("conditions"),
        fair_review=extra.get("fair_review", "passed"),
        legal_review=extra.get("legal_review", "passed"),
        today=ctx.today,
    )


def _approve(ctx, county, commitment):
    manager = ctx.county_users[county.id]["manager"]
    reason = OVERRIDE if services.exceeds_cap(commitment) else None
    return services.approve_commitment(commitment, manager, override_reason=reason)


def _fulfil(ctx, county, commitment, amount, days_ago, evidence):
    staff = ctx.county_users[county.id]["staff"]
    day = max(commitment.committed_on, ctx.today - timedelta(days=days_ago))
    services.record_fulfillment(
        commitment,
        staff,
        fulfilled_on=min(day, ctx.today),
        amount_wan=Decimal(amount),
        evidence=evidence,
        today=ctx.today,
    )


def _obligation(ctx, county, project, kind, target, due_in_days, consequence):
    staff = ctx.county_users[county.id]["staff"]
    due_on = max(project.signed_on, ctx.today + timedelta(days=due_in_days))
    return services.create_obligation(
        project,
        staff,
        kind=kind,
        target_value=Decimal(target) if target else None,
        due_on=due_on,
        consequence=consequence,
    )


def _confidential_promise(ctx, county, policy) -> None:
    """An approved commitment due within the month and a pending obligation on the county's
    first signed confidential project, if it has one."""
    project = db.session.execute(
        select(Project)
        .where(
            Project.county_id == county.id,
            Project.stage.in_(SIGNED_OR_LATER),
            Project.signed_on.is_not(None),
            Project.code_name.is_not(None),
            Project.code_name != "",
        )
        .order_by(Project.id)
        .limit(1)
    ).scalar_one_or_none()
    if project is None:
        return
    promise = _draft(ctx, county, project, policy["rent"], "前两年标准化厂房租金减半", "90", 20)
    _approve(ctx, county, promise)
    _obligation(ctx, county, project, "jobs", "150", 200, "recover_subsidy")


def _full_county(ctx, county, province_policy):
    manager = ctx.county_users[county.id]["manager"]
    staff = ctx.county_users[county.id]["staff"]
    policy = _policies(ctx, county, province_policy)
    first, second = _signed_projects(ctx, county, 2)[:2]

    done = _draft(ctx, county, first, policy["land"], "按工业用地基准地价的 70% 出让项目用地", "480", -60)
    _approve(ctx, county, done)
    _fulfil(ctx, county, done, "480", 90, "土地出让金返还拨付凭证 2025-017")

    partial = _draft(
        ctx,
        county,
        first,
        policy["tax"],
        "投产后前三年地方留成税收按 50% 给予奖励",
        "900",
        200,
        conditions="项目当年亩均税收不低于 15 万元",
    )
    _approve(ctx, county, partial)
    _fulfil(ctx, county, partial, "300", 40, "财政奖补资金拨付单 CZ-2025-088")

    overdue = _draft(ctx, county, first, policy["rent"], "三年内免收标准化厂房租金", "180", -15)
    _approve(ctx, county, overdue)

    due_soon = _draft(ctx, county, first, policy["loan"], "技改贷款按 LPR 的 50% 贴息两年", "260", 12)
    _approve(ctx, county, due_soon)

    _draft(
        ctx,
        county,
        first,
        policy["province"],
        "固定资产投资达 2 亿元后给予 3% 补助",
        "650",
        300,
        fair_review="pending",
        legal_review="pending",
    )

    # Second project: revoked, clawed back, then open ones suspended by a missed withhold.
    revoked = _draft(ctx, county, second, policy["rent"], "厂房装修补助", "120", 90)
    services.change_status(revoked, manager, "revoke", note="企业改为自建厂房，承诺撤销")
    clawed = _draft(ctx, county, second, policy["loan"], "流动资金贷款贴息一年", "150", -120)
    _approve(ctx, county, clawed)
    _fulfil(ctx, county, clawed, "150", 150, "贴息资金拨付凭证 2024-311")
    services.change_status(clawed, manager, "claw_back", note="企业虚报贷款用途，依协议追回贴息")
    withheld = _draft(ctx, county, second, policy["tax"], "达产后地方留成税收奖励", "600", 400)
    _approve(ctx, county, withheld)
    withheld_partial = _draft(ctx, county, second, policy["land"], "配套用地价格优惠", "300", 100)
    _approve(ctx, county, withheld_partial)
    _fulfil(ctx, county, withheld_partial, "100", 20, "土地出让金返还拨付凭证 2025-041")

    met = _obligation(ctx, county, first, "investment_amount", "20000", -30, "recover_subsidy")
    services.record_obligation_outcome(met, staff, actual_value=Decimal("21500"), today=ctx.today)
    _obligation(ctx, county, first, "production_start", None, 180, "adjust_land_price")
    _obligation(ctx, county, first, "tax_per_mu", "15", 400, "withhold")
    missed = _obligation(ctx, county, second, "tax_per_mu", "15", -20, "withhold")
    services.record_obligation_outcome(
        missed,
        staff,
        actual_value=Decimal("8.6"),
        note="2025 年度亩均税收 8.6 万元，未达约定",
        today=ctx.today,
    )
    _obligation(ctx, county, second, "jobs", "300", 60, "recover_subsidy")
    _confidential_promise(ctx, county, policy)


def _light_county(ctx, county, province_policy):
    policy = _policies(ctx, county, province_policy)
    (project,) = _signed_projects(ctx, county, 1)[:1]
    approved = _draft(ctx, county, project, policy["land"], "工业用地按基准地价 75% 出让", "350", 25)
    _approve(ctx, county, approved)
    _draft(ctx, county, project, policy["province"], "固定资产投资补助", "400", 180, fair_review="pending")
    _obligation(ctx, county, project, "investment_intensity", "250", 240, "adjust_land_price")
    _confidential_promise(ctx, county, policy)


def load_demo(ctx) -> None:
    if not ctx.counties:
        return
    province = _province(ctx.counties[0])
    province_policy = policy_services.create_policy(
        ctx.users["admin"],
        province,
        name="支持县域经济高质量发展固定资产投资奖补",
        kind="fixed_asset_subsidy",
        legal_basis="陕政发〔2021〕15号",
        max_amount_wan=Decimal("2000"),
        max_ratio_pct=Decimal("5"),
        valid_from=ctx.today - timedelta(days=4 * 365),
        valid_to=ctx.today + timedelta(days=3 * 365),
        fair_review="passed",
        description="全省适用；补助不超过项目固定资产投资的 5%，单个项目最高 2000 万元",
    )
    _full_county(ctx, ctx.counties[0], province_policy)
    for county in ctx.counties[1:]:
        _light_county(ctx, county, province_policy)
