"""Migration 0015: the old review drop-downs become records, readable but not enough to
approve a draft; approvals already given keep their state."""

from __future__ import annotations

from migration_support import NOW, QISHAN_COUNTY_ROW, fetch_all, project_row, upgrade_with_rows

from crm.core import migrate
from crm.core.db import db

# id, status, fair_review, legal_review
OLD_ROWS = [
    (1, "approved", "passed", "not_required"),
    (2, "draft", "passed", "passed"),
    (3, "draft", "pending", "pending"),
    (4, "draft", "failed", "pending"),
]


def _old_rows() -> list[str]:
    """A county, a signed project, a policy and the OLD_ROWS commitments, as they stood at 0014."""
    commitments = [
        "INSERT INTO commitments (id, project_id, policy_id, clause, amount_wan, committed_on, due_on, "
        "fair_review, legal_review, status, override_reason, county_id, version, created_at, updated_at) "
        f"VALUES ({commitment_id}, 1, 1, '三年免租', 100, '2026-03-0{commitment_id}', '2027-01-01', "
        f"'{fair}', '{legal}', '{status}', "
        f"{repr('常务会议同意') if commitment_id == 1 else 'NULL'}, 1, 1, {NOW}, {NOW})"
        for commitment_id, status, fair, legal in OLD_ROWS
    ]
    policy = (
        "INSERT INTO policies (id, region_id, name, kind, legal_basis, max_amount_wan, valid_from, fair_review, "
        "version, created_at, updated_at) VALUES (1, 1, '厂房租金减免', 'plant_rent', '岐政发〔2024〕1号', 500, "
        f"'2024-01-01', 'passed', 1, {NOW}, {NOW})"
    )
    return [QISHAN_COUNTY_ROW, project_row(), policy, *commitments]


def test_upgrade_turns_drop_downs_into_migrated_records_and_keeps_the_approval(empty_app):
    with empty_app.app_context():
        upgrade_with_rows("0014", *_old_rows())
        records = fetch_all(
            "SELECT commitment_id, kind, conclusion, reviewed_on, reviewer, document_no, migrated "
            "FROM commitment_reviews ORDER BY commitment_id, kind"
        )
        kept = fetch_all("SELECT id, status, override_reason FROM commitments ORDER BY id")
    assert [tuple(row[:3]) for row in records] == [
        (1, "fair_competition", "passed"),
        (1, "legality", "not_required"),
        (2, "fair_competition", "passed"),
        (2, "legality", "passed"),
        (4, "fair_competition", "failed"),
    ]
    assert {str(row[3]) for row in records if row[0] == 2} == {"2026-03-02"}  # the 承诺日期
    assert all(row[4] == "" and row[5] == "" and row[6] for row in records)
    assert [tuple(row) for row in kept] == [
        (1, "approved", "常务会议同意"),
        (2, "draft", None),
        (3, "draft", None),
        (4, "draft", None),
    ]


def test_a_migrated_pass_reads_as_passed_but_does_not_approve_a_draft(empty_app):
    from crm.commitments.models import Commitment
    from crm.commitments.reviews import approval_problems
    from crm.core.tenancy import system_scope

    with empty_app.app_context():
        upgrade_with_rows("0014", *_old_rows())
        with empty_app.test_request_context(), system_scope():
            approved, draft = db.session.get(Commitment, 1), db.session.get(Commitment, 2)
            assert (approved.fair_review, approved.legal_review) == ("passed", "not_required")
            assert (draft.fair_review, draft.legal_review) == ("passed", "passed")
            problems = approval_problems(draft)
            assert set(problems) == {"fair_competition", "legality"}
            assert all("升级前的下拉选项" in messages[0] for messages in problems.values())
            db.session.rollback()
        migrate.downgrade("0014")  # and back: the drop-downs as they were
        rows = fetch_all("SELECT id, fair_review, legal_review FROM commitments ORDER BY id")
        assert rows == [(cid, fair, legal) for cid, _s, fair, legal in OLD_ROWS]
