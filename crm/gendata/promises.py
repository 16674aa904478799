"""Synthetic money and promises of one county: funds in place, targets, policies,
commitments with their decisions and fulfillments, obligations, referrals and a reward rule.

Only signed projects carry money and promises, as in a real ledger; every commitment stays
within its policy's cap, and approved ones carry the manager's recorded decision.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from crm.funds.demo import months_between
from crm.gendata.pipeline import CountyProject
from crm.gendata.province import County
from crm.gendata.writer import BulkWriter
from crm.projects.models import FUND_ORIGINS, STAGES

FUNDED_STAGES = STAGES[STAGES.index("signed") :]
POLICIES = (
    ("工业用地出让价格优惠", "land_price", Decimal(500)),
    ("新落地项目税收贡献奖励", "tax_reward", Decimal(1000)),
    ("标准化厂房租金减免", "plant_rent", Decimal(200)),
    ("技改项目贷款贴息", "loan_interest", Decimal(300)),
)
CLAUSES = {
    "land_price": "按工业用地基准地价的 70% 出让项目用地",
    "tax_reward": "投产后前三年地方留成税收按 50% 给予奖励",
    "plant_rent": "三年内免收标准化厂房租金",
    "loan_interest": "技改贷款按 LPR 的 50% 贴息两年",
}
STATUS_WEIGHTS = {"draft": 2, "approved": 4, "partially_fulfilled": 2, "fulfilled": 2, "revoked": 1}
OBLIGATIONS = (
    ("investment_amount", "recover_subsidy"),
    ("tax_per_mu", "withhold"),
    ("jobs", "recover_subsidy"),
    ("construction_start", "adjust_land_price"),
)
REFERRERS = (("商会", "unit"), ("招商服务有限公司", "intermediary"), ("", "individual"))
SURNAMES = "王李张刘陈杨赵黄周吴"
TIERS = [
    {"upper_wan": "1000", "rate_permille": "5"},
    {"upper_wan": "5000", "rate_permille": "3"},
    {"upper_wan": None, "rate_permille": "1"},
]


def _stamp(day: date) -> datetime:
    return datetime.combine(day, time(hour=3))


def write_policies(
    writer: BulkWriter, region_id: int, region_name: str, today: date, now: datetime
) -> list[dict]:
    made = []
    for number, (name, kind, cap) in enumerate(POLICIES):
        made.append(
            writer.add(
                "policies",
                {
                    "region_id": region_id,
                    "name": name,
                    "kind": kind,
                    "legal_basis": f"{region_name[:2]}政发〔{today.year - 2}〕{number + 5}号",
                    "max_amount_wan": cap,
                    "max_ratio_pct": None,
                    "valid_from": today - timedelta(days=4 * 365),
                    "valid_to": today + timedelta(days=2 * 365),
                    "fair_review": "passed",
                    "description": None,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                },
            )
        )
    return made


@dataclass
class CountyPromises:
    """Writes one county's money and promises from the same inputs: its projects, the
    ``rng`` every writer draws from in turn, and the day and instant the rows are made.
    Only signed projects carry money and promises."""

    writer: BulkWriter
    county: County
    projects: list[CountyProject]
    rng: random.Random
    today: date
    now: datetime

    def write_funds(self) -> None:
        origins = list(FUND_ORIGINS)
        since = date(self.today.year - 1, 1, 1)
        signed_count = 0
        for project in self.projects:
            if project.stage not in FUNDED_STAGES or project.signed_on is None:
                continue
            signed_count += 1
            for number, month in enumerate(months_between(max(project.signed_on, since), self.today)):
                if self.rng.random() < 0.4:
                    continue
                month_origins = {project.capital_origin}
                if self.rng.random() < 0.2:
                    month_origins.add(origins[self.rng.randrange(len(origins))])
                for origin in sorted(month_origins):
                    self.writer.add(
                        "funds_records",
                        {
                            "project_id": project.id,
                            "month": month,
                            "origin": origin,
                            "amount_wan": (
                                project.planned_wan * Decimal(self.rng.randint(10, 60)) / 1000
                            ).quantize(Decimal("0.01")),
                            "evidence_ref": f"JZ{month:%Y%m}-{project.id}-{number:02d}",
                            "note": None,
                            "created_by_id": project.owner_id,
                            # Counted money: confirmed (认定) when written; dollars left out.
                            "confirmed_at": self.now,
                            "county_id": self.county.id,
                            "version": 1,
                            "created_at": self.now,
                            "updated_at": self.now,
                        },
                    )
        for year in (self.today.year - 1, self.today.year):
            self.writer.add(
                "county_targets",
                {
                    "year": year,
                    "funds_target_wan": Decimal(max(signed_count, 1) * self.rng.randint(80, 120) * 100),
                    "signed_projects_target": max(signed_count // 3, 5),
                    "county_id": self.county.id,
                    "version": 1,
                    "created_at": self.now,
                    "updated_at": self.now,
                },
            )

    def write_commitments(self, policies: list[dict]) -> None:
        statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
        manager = self.county.users["manager"]
        for project in self.projects:
            if project.stage not in FUNDED_STAGES or project.signed_on is None or self.rng.random() < 0.4:
                continue
            committed_on = min(self.today, max(project.signed_on, self.today - timedelta(days=365)))
            for _obligation in range(self.rng.randint(0, 2)):
                kind, consequence = OBLIGATIONS[self.rng.randrange(len(OBLIGATIONS))]
                due_on = committed_on + timedelta(days=self.rng.randint(90, 900))
                assessed = due_on <= self.today
                target = (
                    None if kind == "construction_start" else Decimal(self.rng.choice((15, 250, 300, 20000)))
                )
                self.writer.add(
                    "obligations",
                    {
                        "project_id": project.id,
                        "kind": kind,
                        "target_value": target,
                        "due_on": due_on,
                        "actual_value": target if assessed and target is not None else None,
                        "actual_on": due_on if assessed and target is None else None,
                        "status": "met" if assessed else "pending",
                        "consequence": consequence,
                        "note": None,
                        "assessed_on": due_on if assessed else None,
                        "withhold_lifted_at": None,
                        "withhold_lifted_by_id": None,
                        "withhold_lift_note": None,
                        "county_id": self.county.id,
                        "version": 1,
                        "created_at": self.now,
                        "updated_at": self.now,
                    },
                )
            for policy in self.rng.sample(policies, self.rng.randint(1, 3)):
                status = self.rng.choices(statuses, weights)[0]
                amount = (policy["max_amount_wan"] * Decimal(self.rng.randint(30, 100)) / 100).quantize(
                    Decimal(1)
                )
                approved = status != "draft"
                approved_at = _stamp(committed_on) if approved else None
                commitment = self.writer.add(
                    "commitments",
                    {
                        "project_id": project.id,
                        "policy_id": policy["id"],
                        "clause": CLAUSES[policy["kind"]],
                        "amount_wan": amount,
                        "conditions": None,
                        "committed_on": committed_on,
                        "due_on": committed_on + timedelta(days=self.rng.randint(60, 720)),
                        "risk_legal_basis": None,
                        "status": status,
                        "status_before_suspension": None,
                        "suspended_by_obligation_id": None,
                        "status_note": "企业改变投资计划，承诺撤销" if status == "revoked" else None,
                        "approved_by_id": manager if approved else None,
                        "approved_at": approved_at,
                        "override_reason": None,
                        "cap_decision_id": None,
                        "created_by_id": project.owner_id,
                        "county_id": self.county.id,
                        "version": 1,
                        "created_at": _stamp(committed_on),
                        "updated_at": self.now,
                    },
                )
                # Reviews are records (公平竞争审查, 合法性审核): both passed on approved ones,
                # the first only on half the drafts.
                kinds = (
                    ("fair_competition", "legality")
                    if approved
                    else ("fair_competition",) * (self.rng.random() < 0.5)
                )
                for kind in kinds:
                    self.writer.add(
                        "commitment_reviews",
                        {
                            "commitment_id": commitment["id"],
                            "kind": kind,
                            "reviewer": "县市场监督管理局" if kind == "fair_competition" else "县司法局",
                            "reviewed_on": committed_on,
                            "document_no": f"审〔{committed_on:%Y}〕{commitment['id']}号",
                            "conclusion": "passed",
                            "attachment_ref": None,
                            "note": None,
                            "migrated": False,
                            "superseded_at": None,
                            "recorded_by_id": project.owner_id,
                            "recorded_at": _stamp(committed_on),
                            "county_id": self.county.id,
                        },
                    )
                if approved:
                    self.writer.add(
                        "commitment_decisions",
                        {
                            "commitment_id": commitment["id"],
                            "decided_at": approved_at,
                            "decided_by_id": manager,
                            "decision": "approved",
                            "reason": None,
                            "amount_wan": amount,
                            "collective_decision_id": None,
                            "county_id": self.county.id,
                        },
                    )
                paid = {
                    "fulfilled": amount,
                    "partially_fulfilled": (amount / 3).quantize(Decimal("0.01")),
                }.get(status)
                if paid:
                    day = min(self.today, committed_on + timedelta(days=self.rng.randint(30, 300)))
                    self.writer.add(
                        "fulfillments",
                        {
                            "commitment_id": commitment["id"],
                            "fulfilled_on": day,
                            "amount_wan": paid,
                            "evidence": f"财政拨付凭证 {day:%Y}-{commitment['id']}",
                            "note": None,
                            "recorded_by_id": project.owner_id,
                            "county_id": self.county.id,
                            "created_at": _stamp(day),
                            "updated_at": _stamp(day),
                        },
                    )

    def write_referrals(self) -> None:
        for project in self.projects:
            if project.stage not in FUNDED_STAGES or project.signed_on is None or self.rng.random() < 0.4:
                continue
            suffix, kind = REFERRERS[self.rng.randrange(len(REFERRERS))]
            name = (
                SURNAMES[self.rng.randrange(len(SURNAMES))]
                + ("某" if kind == "individual" else "氏")
                + suffix
            )
            registered = project.signed_on - timedelta(days=self.rng.randint(-10, 120))  # a few after signing
            confirmed = self.rng.random() < 0.85
            self.writer.add(
                "referrals",
                {
                    "project_id": project.id,
                    "referrer_name": name,
                    "referrer_kind": kind,
                    "is_public_official": self.rng.random() < 0.03,
                    "contact": None,
                    "registered_on": min(registered, self.today),
                    "investor_confirmed": confirmed,
                    "investor_confirmed_on": project.signed_on if confirmed else None,
                    "confirmation_evidence": "投资方确认函" if confirmed else None,
                    "status": "active",
                    "note": None,
                    "resolution_note": None,
                    "created_by_id": project.owner_id,
                    "county_id": self.county.id,
                    "version": 1,
                    "created_at": self.now,
                    "updated_at": self.now,
                },
            )

    def write_reward_rule(self) -> None:
        rule_id = self.writer.new_id("reward_rules")
        self.writer.add(
            "reward_rules",
            {
                "id": rule_id,
                "name": f"{self.county.name}{self.today.year}年招商引资引荐奖励办法",
                "year": self.today.year,
                "basis": "funds_in_place",
                "milestone": "signed",
                "mode": "progressive",
                "tiers": TIERS,
                "cap_wan": Decimal(30),
                "exclude_public_officials": True,
                "note": None,
                "rule_version": 1,
                "lineage_id": rule_id,
                "superseded_by_id": None,
                "county_id": self.county.id,
                "version": 1,
                "created_at": self.now,
                "updated_at": self.now,
            },
        )
