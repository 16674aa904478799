"""Risk flags: promises an audit looks at first (issue 14 item 10).

The Fair Competition Review Regulation (公平竞争审查条例, 2024, art. 10) bars, without a
basis in law or administrative regulation, selective tax rebates, subsidies tied to tax
paid and land or fee preferences for particular firms, and audits keep finding refunds of
land-sale revenue (先征后返) and industrial land sold below the national minimum price
(《全国工业用地出让最低价标准》). A commitment whose policy kind or clause text looks like
one of these carries a flag, and it is approved only once the drafter has stated the
legal basis it rests on (``Commitment.risk_legal_basis``), for the reviewers and the
approving manager to weigh.

The flags are worded for a reviewer, not a verdict: they mark what must be justified.
They are read from the policy's kind and the clause only, not the conditions, where
"企业未达约定须返还补助" (the investor pays back) is an ordinary clawback.

>>> risk_flags("tax_reward", "投产后三年按其缴纳税收给予奖励")
['tax_linked']
>>> risk_flags("other", "按地方留成部分的 50% 先征后返")
['tax_linked', 'revenue_refund']
>>> risk_flags("land_price", "按工业用地基准地价的 70% 出让")
['land_price']
>>> risk_flags("plant_rent", "三年内免收标准化厂房租金")
[]
"""

from __future__ import annotations

from crm.core.nav import N_

__all__ = ["RISK_FLAGS", "risk_flags"]

# Labels are msgids (translated where shown).
RISK_FLAGS = {
    "tax_linked": N_("与纳税挂钩的奖励或返还（税收奖励、地方留成）"),
    "revenue_refund": N_("返还已征收入（先征后返、土地出让金或规费返还）"),
    "land_price": N_("工业用地价格优惠（出让价不得低于国家工业用地出让最低价标准）"),
}
TAX_LINKED_KINDS = ("tax_reward",)
LAND_PRICE_KINDS = ("land_price",)
TAX_WORDS = (
    "税收奖励",
    "税收返还",
    "地方留成",
    "留成",
    "以税定奖",
    "按税收",
    "缴纳税收",
    "纳税额",
    "税收贡献",
)
REFUND_WORDS = ("返还", "先征后返", "列收列支")
LAND_WORDS = ("零地价", "无偿供地", "免费供地", "低于最低价", "低于国家", "低于出让最低价")


def risk_flags(policy_kind: str | None, clause: str | None) -> list[str]:
    """The codes of ``RISK_FLAGS`` that a commitment under a policy of ``policy_kind`` with
    this ``clause`` carries, in the order of ``RISK_FLAGS``."""
    text = clause or ""
    found = {
        "tax_linked": policy_kind in TAX_LINKED_KINDS or any(word in text for word in TAX_WORDS),
        "revenue_refund": any(word in text for word in REFUND_WORDS),
        "land_price": policy_kind in LAND_PRICE_KINDS or any(word in text for word in LAND_WORDS),
    }
    return [code for code in RISK_FLAGS if found[code]]
