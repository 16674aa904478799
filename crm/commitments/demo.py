"""Demo policies, commitments in every status, and investor obligations met, pending and missed.

Each county also promises something to a confidential project (one with a code name), due
soon, so the register, its exports, the dashboard panel and follow-ups show the code name.

The demo passes its own rules (issue 14 item 17): every commitment goes through the
services, with both reviews on record before a manager other than the drafter approves
it, approvals dated before the fulfilments that rest on them, a collective decision for
the one approval above its cap, and a stated legal basis for the one risk-flagged clause
approved (industrial land at 70% of the national minimum price for a priority industry,
which the land ministry's rules allow). Nothing illegal is shown as approved or paid: the
tax-retention reward (地方留成税收奖励) a county drafted stays a draft its 公平竞争审查
refused, and no fulfilment refunds land premium or tax.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from crm.commitments import policies as policy_services
from crm.commitments import services
from crm.commitments.collective import DecisionInput
from crm.commitments.models import Commitment, CommitmentReview, Policy
from crm.core import clock
from crm.core.db import db
from crm.files.generated import DEMO_NOTE, attach_generated_pdf, chinese_date
from crm.projects.demo import first_on_open_project
from crm.projects.models import Project

SIGNED_OR_LATER = ("signed", "registered", "started", "producing")
# Reviews are given a few days after drafting, approvals a week after.
REVIEW_AFTER, APPROVAL_AFTER = timedelta(days=3), timedelta(days=7)
# The one legal basis the demo states for a risk-flagged clause.
LAND_BASIS = (
    "《关于调整工业用地出让最低价标准实施政策的通知》（国土资发〔2009〕56号）：优先发展产业且用地集约的"
    "工业项目，出让底价可按不低于所在地土地等别相对应最低价标准的 70% 确定"
)
LAND_CLAUSE = "按所在地工业用地出让最低价标准的 70% 确定出让底价（省级优先发展产业、用地集约）"


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
        risk_legal_basis=extra.get("risk_legal_basis"),
        today=ctx.today,
    )


def _review(ctx, county, commitment, fair="passed", legal="passed"):
    """Both reviews, a few days after drafting: the market regulator's 公平竞争审查 and the
    justice bureau's 合法性审核 (``None``: not given yet)."""
    staff = ctx.county_users[county.id]["staff"]
    day = min(ctx.today, commitment.committed_on + REVIEW_AFTER)
    prefix = county.name[:2]
    givers = {
        "fair_competition": (
            fair,
            f"{county.name}市场监督管理局",
            f"{prefix}市监公审〔{day.year}〕{commitment.id}号",
        ),
        "legality": (legal, f"{county.name}司法局", f"{prefix}司审〔{day.year}〕{commitment.id}号"),
    }
    for kind, (conclusion, reviewer, document_no) in givers.items():
        if conclusion is None:
            continue
        services.add_review(
            commitment,
            staff,
            kind=kind,
            reviewer=reviewer,
            reviewed_on=day,
            document_no=document_no,
            conclusion=conclusion,
            attachment_ref=f"承诺档案 {commitment.id} 号卷",
            note="违反《公平竞争审查条例》第十条，无法律依据给予特定经营者税收奖励"
            if conclusion == "failed"
            else None,
            today=ctx.today,
        )


def _approval_day(ctx, commitment):
    return min(ctx.today, commitment.committed_on + APPROVAL_AFTER)


def _approve(ctx, county, commitment):
    """Reviewed, then approved a week after drafting by the manager (the staff drafted it);
    above the cap on the collective decision of a county executive meeting the day before."""
    manager = ctx.county_users[county.id]["manager"]
    _review(ctx, county, commitment)
    day = _approval_day(ctx, commitment)
    decision = None
    if services.exceeds_cap(commitment):
        decision = DecisionInput(
            f"{county.name}人民政府第 12 次常务会议",
            max(commitment.committed_on, day - timedelta(days=1)),
            f"{county.name[:2]}政常纪〔{day.year}〕12号",
        )
    # 10:00 at the bureau, stored in UTC like every approval.
    at = datetime.combine(day, time(10), clock.bureau_zone()).astimezone(UTC).replace(tzinfo=None)
    return services.approve_commitment(commitment, manager, decision=decision, at=at)


def _fulfil(ctx, county, commitment, amount, days_ago, evidence, conditions_evidence=None):
    staff = ctx.county_users[county.id]["staff"]
    day = max(_approval_day(ctx, commitment), ctx.today - timedelta(days=days_ago))
    services.record_fulfillment(
        commitment,
        staff,
        fulfilled_on=min(day, ctx.today),
        amount_wan=Decimal(amount),
        evidence=evidence,
        conditions_evidence=conditions_evidence,
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

    # A price preference is kept by selling at that price, not by refunding the premium.
    done = _draft(ctx, county, first, policy["land"], LAND_CLAUSE, "480", -60, risk_legal_basis=LAND_BASIS)
    _approve(ctx, county, done)
    _fulfil(ctx, county, done, "480", 90, "国有建设用地使用权出让合同 2025-017（按优惠底价成交）")

    # 一事一议 above the province's cap, whatever the generated project invests.
    cap, _checkable = services.policy_cap(policy["province"], first)
    partial = _draft(
        ctx,
        county,
        first,
        policy["province"],
        "固定资产投资完成后给予一次性设备购置补助（一事一议）",
        str((cap or Decimal(1000)) + 200),
        200,
        conditions="固定资产投资完成 2 亿元（以第三方审计报告为准）",
    )
    _approve(ctx, county, partial)  # above the province's cap: on a collective decision
    _fulfil(
        ctx,
        county,
        partial,
        "300",
        40,
        "财政奖补资金拨付单 CZ-2025-088",
        conditions_evidence="第三方审计报告确认固定资产投资已完成 2.1 亿元（审计报告 SJ-2025-031）",
    )

    # Drafted, and refused by the 公平竞争审查: it stays a draft, never approved or paid.
    refused = _draft(ctx, county, first, policy["tax"], "投产后前三年地方留成税收按 50% 给予奖励", "900", 200)
    _review(ctx, county, refused, fair="failed", legal=None)

    overdue = _draft(ctx, county, first, policy["rent"], "三年内免收标准化厂房租金", "180", -15)
    _approve(ctx, county, overdue)

    due_soon = _draft(ctx, county, first, policy["loan"], "技改贷款按 LPR 的 50% 贴息两年", "260", 12)
    _approve(ctx, county, due_soon)

    _draft(ctx, county, first, policy["province"], "固定资产投资达 2 亿元后给予 3% 补助", "650", 300)

    # Second project: revoked, clawed back, then open ones suspended by a missed withhold.
    revoked = _draft(ctx, county, second, policy["rent"], "厂房装修补助", "120", 90)
    services.change_status(revoked, manager, "revoke", note="企业改为自建厂房，承诺撤销")
    clawed = _draft(ctx, county, second, policy["loan"], "流动资金贷款贴息一年", "150", -120)
    _approve(ctx, county, clawed)
    _fulfil(ctx, county, clawed, "150", 150, "贴息资金拨付凭证 2024-311")
    services.change_status(clawed, manager, "claw_back", note="企业虚报贷款用途，依协议追回贴息")
    withheld = _draft(ctx, county, second, policy["rent"], "达产后再减免两年标准化厂房租金", "150", 400)
    _approve(ctx, county, withheld)
    withheld_partial = _draft(
        ctx, county, second, policy["loan"], "设备购置贷款按 LPR 的 30% 贴息", "200", 100
    )
    _approve(ctx, county, withheld_partial)
    _fulfil(ctx, county, withheld_partial, "100", 20, "贴息资金拨付凭证 2025-041")

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
    # 政企双兑现: the subsidy rests on the investment that was met; the rent relief on the
    # tax per mu that was missed, so it cannot be paid.
    services.link_obligations(partial, staff, [met.id])
    services.link_obligations(withheld, staff, [missed.id])
    _withdraw_loan_policy(ctx, county, policy["loan"], withheld_partial)
    _confidential_promise(ctx, county, policy)


def _withdraw_loan_policy(ctx, county, loan, continued):
    """存量清理: the loan-interest policy is withdrawn; the manager has continued one of its
    live commitments on a collective decision, the other waits on the list."""
    manager = ctx.county_users[county.id]["manager"]
    withdrawn_on = max(loan.valid_from, ctx.today - timedelta(days=10))
    policy_services.withdraw_policy(
        loan,
        manager,
        withdrawn_on=withdrawn_on,
        document=f"{county.name[:2]}政发〔{withdrawn_on.year}〕30号",
        reason="公平竞争审查存量清理：贷款贴息改由省级专项统一支持，县级政策废止",
        today=ctx.today,
    )
    services.resolve_cleanup(
        continued,
        manager,
        resolution="continue",
        note="已签订协议且企业已按约投资，依法继续履行至期满，不再新增",
        decision=DecisionInput(
            f"{county.name}人民政府第 15 次常务会议",
            withdrawn_on,
            f"{county.name[:2]}政常纪〔{withdrawn_on.year}〕15号",
        ),
    )


def _light_county(ctx, county, province_policy):
    policy = _policies(ctx, county, province_policy)
    (project,) = _signed_projects(ctx, county, 1)[:1]
    approved = _draft(ctx, county, project, policy["rent"], "三年内标准化厂房租金减半", "150", 25)
    _approve(ctx, county, approved)
    _draft(ctx, county, project, policy["province"], "固定资产投资补助", "400", 180)
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
    _attach_review_opinion(ctx, ctx.counties[0])


def _attach_review_opinion(ctx, county) -> None:
    """The justice bureau's opinion (评审意见, a generated PDF) on the county's first passed
    合法性审核 of a project that is not confidential, uploaded by the staff who recorded it."""
    review = first_on_open_project(
        select(CommitmentReview)
        .join(Commitment, Commitment.id == CommitmentReview.commitment_id)
        .join(Project, Project.id == Commitment.project_id)
        .where(
            CommitmentReview.county_id == county.id,
            CommitmentReview.kind == "legality",
            CommitmentReview.conclusion == "passed",
        )
        .order_by(CommitmentReview.id)
    )
    if review is None:
        return
    commitment = review.commitment
    attach_generated_pdf(
        "commitment_review",
        review,
        kind="review_opinion",
        filename=f"{review.document_no} 合法性审核意见书.pdf",
        title="合法性审核意见书",
        lines=[
            f"文号：{review.document_no}",
            f"审核机构：{review.reviewer}",
            f"项目名称：{commitment.project.name}",
            f"承诺条款：{commitment.clause}",
            "审核结论：通过，未发现违反法律法规和公平竞争审查规定的内容",
            f"审核日期：{chinese_date(review.reviewed_on)}",
            DEMO_NOTE,
        ],
        by=ctx.county_users[county.id]["staff"],
    )
