"""Migration 0013 (rule options, shares, 公示期, objections) keeps every existing row as it was."""

from migration_support import NOW, QISHAN_COUNTY_ROW, project_row, upgrade_with_rows
from sqlalchemy import text

from crm.core.db import db

ROWS = (
    "INSERT INTO referrals (id, project_id, referrer_name, referrer_kind, is_public_official, registered_on, "
    "investor_confirmed, status, county_id, version, created_at, updated_at) VALUES (1, 1, '王建国', "
    "'individual', false, '2025-01-05', true, 'active', 1, 1, {t}, {t})",
    "INSERT INTO reward_rules (id, name, year, basis, milestone, mode, tiers, cap_wan, exclude_public_officials, "
    "rule_version, lineage_id, county_id, version, created_at, updated_at) VALUES (1, '奖励办法', 2025, "
    "'planned_investment', 'signed', 'bracket', '[{{\"upper_wan\": null, \"rate_permille\": \"5\"}}]', NULL, "
    "true, 1, 1, 1, 1, {t}, {t})",
    "INSERT INTO reward_lists (id, rule_id, title, period_text, period_start, period_end, status, rule_name, "
    "rule_version, rule_lineage_id, basis, milestone, mode, tiers, exclude_public_officials, total_reward_wan, "
    "computed_at, finalized_at, county_id, version, created_at, updated_at) VALUES (1, 1, '名单', '2025', "
    "'2025-01-01', '2025-12-31', 'finalized', '奖励办法', 1, 1, 'planned_investment', 'signed', 'bracket', "
    "'[]', true, 10, {t}, {t}, 1, 1, {t}, {t})",
    "INSERT INTO reward_lines (id, list_id, position, project_id, project_name, referral_id, referrer_name, "
    "is_public_official, milestone_reached_on, eligible, basis_wan, reward_wan, capped, county_id) VALUES "
    "(1, 1, 1, 1, '新材料项目', 1, '王建国', false, '2025-05-01', true, 2000, 10, false, 1)",
)


def test_upgrade_keeps_rules_lists_lines_and_referrals_with_no_new_condition(empty_app):
    with empty_app.app_context():
        upgrade_with_rows("0012", QISHAN_COUNTY_ROW, project_row(), *(row.format(t=NOW) for row in ROWS))
        with db.engine.connect() as connection:
            rule = connection.execute(
                text(
                    "SELECT name, min_planned_investment_wan, new_entity_only, industries, "
                    "exclude_investor_related, application_days FROM reward_rules"
                )
            ).one()
            reward_list = connection.execute(
                text("SELECT status, notice_start, exclude_public_institution_staff FROM reward_lists")
            ).one()
            line = connection.execute(text("SELECT project_name, reward_wan, shares FROM reward_lines")).one()
            referral = connection.execute(
                text("SELECT referrer_name, share_percent, is_investor_related, applied_on FROM referrals")
            ).one()
    assert (rule[0], rule[1], bool(rule[2]), rule[3] in ("[]", []), bool(rule[4]), rule[5]) == (
        "奖励办法",
        None,
        False,
        True,
        False,
        None,
    )
    assert (reward_list[0], reward_list[1], bool(reward_list[2])) == ("finalized", None, False)
    assert (line[0], float(line[1]), line[2]) == ("新材料项目", 10.0, None)
    assert (referral[0], float(referral[1]), bool(referral[2]), referral[3]) == ("王建国", 100.0, False, None)
