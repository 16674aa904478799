"""The rewards pages (blueprint ``rewards``, under /rewards), one module per thing they serve:
``referrals`` (引荐备案 and disputes), ``rules`` (奖励办法 and the eligibility preview),
``lists`` (奖励名单: drafts, finalizing, files and the 公示 notice), ``notice`` (公示期 and objections)."""

from crm.rewards.views import lists, notice, referrals, rules  # noqa: F401 - they add their routes to bp
from crm.rewards.views.common import bp

__all__ = ["bp"]
