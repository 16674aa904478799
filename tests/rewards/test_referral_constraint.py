"""One active referral per project is held by the database too, not only by the service."""

from datetime import date

import pytest
from migration_support import NOW, QISHAN_COUNTY_ROW, fetch_all, project_row, upgrade_with_rows
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm.core.db import db
from crm.projects.models import Project
from crm.rewards import services
from crm.rewards.models import Referral


def _insert_directly(reward_builder, project_id: int, name: str, status: str = "active") -> None:
    """Bypass the service: what a second request racing past its check would write."""
    with reward_builder.ctx():
        db.session.add(
            Referral(
                project_id=project_id,
                county_id=reward_builder.county("a"),
                referrer_name=name,
                registered_on=date(2025, 2, 1),
                status=status,
            )
        )
        db.session.commit()


def _claim(project_id: int, name: str):
    project = db.session.get(Project, project_id)
    return services.register_referral(
        project,
        referrer_name=name,
        referrer_kind="individual",
        is_public_official=False,
        registered_on=date(2025, 2, 1),
        investor_confirmed=False,
    )


def test_the_database_refuses_a_second_active_referral(reward_builder):
    pid = reward_builder.project("新材料项目")
    reward_builder.referral(pid, name="王建国")
    with pytest.raises(IntegrityError):
        _insert_directly(reward_builder, pid, "李秀梅")
    assert reward_builder.referrals_of(pid) == {"王建国": "active"}


def test_the_index_allows_disputes_and_one_active_per_project(reward_builder):
    first, second = reward_builder.project("新材料项目"), reward_builder.project("食品加工项目")
    reward_builder.referral(first, name="王建国")
    _insert_directly(reward_builder, first, "李秀梅", status="disputed")
    _insert_directly(reward_builder, first, "赵强", status="rejected")
    _insert_directly(reward_builder, second, "孙丽")
    assert reward_builder.referrals_of(first) == {
        "王建国": "active",
        "李秀梅": "disputed",
        "赵强": "rejected",
    }
    assert reward_builder.referrals_of(second) == {"孙丽": "active"}


def test_a_second_claim_through_the_service_is_kept_as_a_dispute(reward_builder):
    pid = reward_builder.project("新材料项目")
    reward_builder.referral(pid, name="王建国")
    with reward_builder.ctx():
        referral, refused = _claim(pid, "李秀梅")
        assert refused is True and referral.status == "disputed"
        db.session.commit()
    assert reward_builder.referrals_of(pid) == {"王建国": "active", "李秀梅": "disputed"}


def test_a_claim_losing_the_race_to_the_index_becomes_a_dispute(reward_builder, monkeypatch):
    """The other claim committed after this one's check: only the index notices."""
    pid = reward_builder.project("新材料项目")
    reward_builder.referral(pid, name="王建国")
    checks = iter([None])
    real_check = services.active_referral
    monkeypatch.setattr(
        services, "active_referral", lambda project_id: next(checks, None) or real_check(project_id)
    )
    with reward_builder.ctx():
        referral, refused = _claim(pid, "李秀梅")
        assert refused is True and referral.status == "disputed"
        db.session.commit()
    assert reward_builder.referrals_of(pid) == {"王建国": "active", "李秀梅": "disputed"}


def test_a_first_claim_is_undone_with_its_transaction(reward_builder):
    """The SAVEPOINT around the insert must not commit the claim on its own."""
    pid = reward_builder.project("新材料项目")
    with reward_builder.ctx():
        referral, refused = _claim(pid, "王建国")
        assert refused is False and referral.status == "active"
        db.session.rollback()
    assert reward_builder.referrals_of(pid) == {}
    reward_builder.referral(pid, name="李秀梅")
    with reward_builder.ctx():
        rows = db.session.execute(
            select(Referral.referrer_name, Referral.status).where(Referral.project_id == pid)
        ).all()
    assert rows == [("李秀梅", "active")]


def test_upgrade_keeps_the_oldest_of_two_active_referrals(empty_app):
    """Two active referrals written by a race before the index: the later becomes a dispute."""
    referrals = [
        "INSERT INTO referrals (id, project_id, referrer_name, referrer_kind, is_public_official, "
        "registered_on, investor_confirmed, status, county_id, version, created_at, updated_at) "
        f"VALUES ({referral_id}, 1, '{name}', 'individual', false, '2025-01-05', false, 'active', 1, 1, {NOW}, {NOW})"
        for referral_id, name in ((1, "王建国"), (2, "李秀梅"))
    ]
    with empty_app.app_context():
        upgrade_with_rows("0006", QISHAN_COUNTY_ROW, project_row(), *referrals)
        rows = fetch_all("SELECT referrer_name, status, version FROM referrals ORDER BY id")
    assert rows == [("王建国", "active", 1), ("李秀梅", "disputed", 2)]
