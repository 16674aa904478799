"""``chaincrm rewards export``: a reward list for one county, rule and period, as XLSX or CSV."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from crm.core.cli import county_by_code, county_file_options, file_kind, user_named
from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.session import TenantScope
from crm.core.tenancy import set_scope

rewards_cli = click.Group("rewards", help="招商引资奖励 / Referral rewards.")


@rewards_cli.command("export")
@county_file_options
@click.option("--rule", "rule_id", required=True, type=int, help="Reward rule id")
@click.option("--period", required=True, help="2025, 2025Q4, 2025-03 or 2025-01-01..2025-06-30")
@with_appcontext
def export_command(county_code, rule_id, period, output, encoding, username):
    """Export the reward list of RULE for PERIOD. A finalized list of exactly that rule and
    period is exported as frozen; otherwise the eligibility is computed from today's data."""
    extension = "." + file_kind(output)
    _export(county_by_code(county_code), rule_id, period, output, extension, encoding, user_named(username))


def _export(county, rule_id, period, output, extension, encoding, viewer=None):
    from crm.rewards import exports
    from crm.rewards.models import RewardRule
    from crm.rewards.periods import resolve_period
    from crm.rewards.services import compute_eligibility, finalized_list_for

    set_scope(TenantScope(actor_name="cli", read_county_ids=frozenset({county.id})))
    try:
        rule = db.session.execute(select(RewardRule).where(RewardRule.id == rule_id)).scalar_one_or_none()
        if rule is None:
            raise click.ClickException(
                f"奖励办法 #{rule_id} 不存在或不属于 {county.name} (no reward rule {rule_id} in county {county.code})"
            )
        try:
            _text, start, end = resolve_period(period)
            source = finalized_list_for(rule, start, end) or compute_eligibility(rule, period)
        except ServiceError as exc:
            raise click.ClickException(exc.describe()) from None
        data = (
            exports.to_xlsx(source, viewer)
            if extension == ".xlsx"
            else exports.to_csv(source, encoding, viewer)
        )
        with open(output, "wb") as handle:
            handle.write(data)
        kind = f"定稿名单 #{source.id}" if hasattr(source, "is_finalized") else "按当前数据计算（未定稿）"
        click.echo(
            f"{output}: {len(source.eligible_lines)} 个符合条件，{len(source.ineligible_lines)} 个不符合，"
            f"奖励合计 {source.total_reward_wan} 万元；{kind}"
        )
    finally:
        set_scope(None)
        db.session.rollback()
