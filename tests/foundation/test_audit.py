from decimal import Decimal

import pytest
from record_support import audit_rows
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DatabaseError

from crm.audit.models import AuditEvent
from crm.core.db import db
from crm.core.session import TenantScope
from crm.core.tenancy import set_scope
from crm.projects.models import Project


def _county_user_scope(world, username: str) -> TenantScope:
    """The scope of a county user ("a_staff", "b_staff"): reads and writes their own county only."""
    county_id = world.county_of(username)
    return TenantScope(
        actor_id=world.ids[username],
        actor_name=username,
        read_county_ids=frozenset({county_id}),
        write_county_id=county_id,
    )


def test_create_update_delete_are_recorded_with_before_and_after(app, world):
    with app.app_context():
        set_scope(_county_user_scope(world, "a_staff"))
        project = Project(name="审计项目", planned_investment_wan=Decimal("10.50"))
        db.session.add(project)
        db.session.commit()
        project.name = "改名后"
        db.session.commit()
        project_id = project.id
        db.session.delete(project)
        db.session.commit()
        events = audit_rows("projects", project_id)
    assert [e.action for e in events] == ["create", "update", "delete"]
    create, change, removal = events
    assert create.after["name"] == "审计项目" and create.after["planned_investment_wan"] == "10.50"
    assert change.before == {"name": "审计项目"} and change.after == {"name": "改名后"}
    assert removal.before["name"] == "改名后"
    assert {e.actor_name for e in events} == {"a_staff"}
    assert {e.county_id for e in events} == {world.county_a}


def test_user_changes_are_audited_without_password_hashes(app, world):
    with app.app_context():
        rows = audit_rows("users", world.ids["a_staff"])
    assert rows and rows[0].after["password_hash"] == "***"


def test_database_refuses_changing_or_deleting_audit_rows(app, world):
    with app.app_context():
        with pytest.raises(DatabaseError):
            db.session.execute(update(AuditEvent).values(actor_name="someone else"))
        db.session.rollback()
        with pytest.raises(DatabaseError):
            db.session.execute(delete(AuditEvent))
        db.session.rollback()
        assert db.session.execute(select(AuditEvent)).first() is not None


def test_manager_reads_own_county_log_filtered(client, auth, app, world):
    with app.app_context():
        set_scope(_county_user_scope(world, "b_staff"))
        db.session.add(Project(name="扶风机密项目"))
        db.session.commit()
        set_scope(_county_user_scope(world, "a_staff"))
        db.session.add(Project(name="岐山公开项目"))
        db.session.commit()
    auth.login("a_manager")
    page = client.get("/audit/?table=projects").get_data(as_text=True)
    assert "岐山公开项目" in page
    assert "扶风机密项目" not in page
    filtered = client.get("/audit/?actor=nobody").get_data(as_text=True)
    assert "项目 #" not in filtered and "岐山公开项目" not in filtered
    auth.logout()
    auth.login("a_staff")
    assert client.get("/audit/").status_code == 403


def test_one_flush_lists_its_changed_records_in_id_order(app, world):
    # Without an order of its own the log of one flush followed memory addresses, so two
    # runs of the same work (the demo, an import) wrote their rows in different orders.
    with app.app_context():
        set_scope(_county_user_scope(world, "a_staff"))
        projects = [Project(name=f"审计顺序{n}", planned_investment_wan=Decimal(1)) for n in range(40)]
        db.session.add_all(projects)
        db.session.commit()
        first_new_row = db.session.scalar(select(db.func.max(AuditEvent.id)))
        with db.session.no_autoflush:  # one flush for all forty changes
            for project in reversed(projects):
                project.planned_investment_wan = Decimal(2)
        db.session.commit()
        changed = db.session.scalars(
            select(AuditEvent.record_id).where(AuditEvent.id > first_new_row).order_by(AuditEvent.id)
        ).all()
        ids = sorted(p.id for p in projects)
    assert changed == ids
