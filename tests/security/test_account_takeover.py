"""Finding 1: a county manager could take over an administrator registered in the county.

The rule (crm/auth/policy.py): a manager manages the staff and leader accounts of their own
county and gives no other role; nobody but an administrator touches an administrator; an
account out of reach is not listed and answers 404.
"""

import re

import pytest
from passwords import PASSWORD
from sqlalchemy import select

from crm.auth import services
from crm.auth.models import Role, User
from crm.auth.policy import OutOfReach
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.regions.models import Region

NEW_PASSWORD = "river-stone-bridge-7"


@pytest.fixture
def county_accounts(app, world):
    """An administrator and a second manager registered in county A (as `chaincrm users
    create x --region 610323 --role admin` allows)."""
    with app.app_context(), system_scope():
        county = db.session.get(Region, world.county_a)
        world.ids["county_admin"] = services.create_user("county_admin", PASSWORD, "admin", county).id
        world.ids["a_manager2"] = services.create_user("a_manager2", PASSWORD, "manager", county).id
        db.session.commit()
    return world


def _user(app, username) -> User:
    with app.app_context(), system_scope():
        user = db.session.execute(select(User).where(User.username == username)).scalar_one()
        db.session.expunge(user)
        return user


def _listed_usernames(html: str) -> set[str]:
    return set(re.findall(r"<tr><td>([^<]+)</td>", html))


def test_manager_lists_only_staff_and_leaders_of_their_county(county_accounts, live_server):
    manager = live_server.client()
    assert manager.login("a_manager").status == 302
    listing = manager.get("/admin/users")
    assert listing.status == 200
    assert _listed_usernames(listing.text) == {"a_staff", "a_staff2", "a_leader"}


@pytest.mark.parametrize("target", ["county_admin", "a_manager2", "a_manager", "b_staff", "city"])
def test_manager_cannot_reach_an_account_out_of_reach(county_accounts, live_server, app, target):
    target_id = county_accounts.ids[target]
    manager = live_server.logged_in("a_manager")
    before = _user(app, target)
    assert manager.get(f"/admin/users/{target_id}/edit").status == 404
    assert manager.get(f"/admin/users/{target_id}/password").status == 404
    token = manager.csrf_token("/admin/users/new")
    reset = manager.post(
        f"/admin/users/{target_id}/password",
        {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": token},
    )
    assert reset.status == 404
    edit = manager.post(
        f"/admin/users/{target_id}/edit",
        {
            "display_name": "taken",
            "role": "staff",
            "region": str(county_accounts.county_a),
            "version": "1",
            "csrf_token": token,
        },
    )
    assert edit.status == 404
    after = _user(app, target)
    assert (after.password_hash, after.display_name, after.role, after.is_active_user) == (
        before.password_hash,
        before.display_name,
        before.role,
        before.is_active_user,
    )
    # The account still logs in with its own password, and not with the attacker's.
    assert live_server.client().login(target, NEW_PASSWORD).status == 200
    assert live_server.client().login(target).status == 302


@pytest.mark.parametrize("role", ["admin", "coordinator", "manager"])
def test_manager_cannot_give_a_role_they_may_not_manage(county_accounts, live_server, app, role):
    manager = live_server.logged_in("a_manager")
    staff_id = county_accounts.ids["a_staff"]
    promoted = manager.post(
        f"/admin/users/{staff_id}/edit",
        {
            "display_name": "a_staff",
            "role": role,
            "region": str(county_accounts.county_a),
            "version": "1",
            "is_active": "y",
        },
    )
    assert promoted.status == 422  # the form again, with the refusal
    assert _user(app, "a_staff").role == Role.staff
    created = manager.post(
        "/admin/users/new",
        {
            "username": f"new_{role}",
            "role": role,
            "region": str(county_accounts.county_a),
            "password": NEW_PASSWORD,
            "is_active": "y",
        },
    )
    assert created.status == 422
    with app.app_context(), system_scope():
        assert db.session.execute(select(User).where(User.username == f"new_{role}")).first() is None


def test_manager_cannot_move_or_create_users_in_another_county(county_accounts, live_server, app):
    manager = live_server.logged_in("a_manager")
    moved = manager.post(
        f"/admin/users/{county_accounts.ids['a_staff']}/edit",
        {
            "display_name": "a_staff",
            "role": "staff",
            "region": str(county_accounts.county_b),
            "version": "1",
            "is_active": "y",
        },
    )
    assert moved.status == 422
    assert _user(app, "a_staff").region_id == county_accounts.county_a
    created = manager.post(
        "/admin/users/new",
        {
            "username": "b_new",
            "role": "staff",
            "password": NEW_PASSWORD,
            "region": str(county_accounts.county_b),
            "is_active": "y",
        },
    )
    assert created.status == 422
    with app.app_context(), system_scope():
        assert db.session.execute(select(User).where(User.username == "b_new")).first() is None


def test_manager_still_manages_their_staff(county_accounts, live_server):
    manager = live_server.logged_in("a_manager")
    staff_id = county_accounts.ids["a_staff"]
    reset = manager.post(
        f"/admin/users/{staff_id}/password", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert reset.status == 302
    assert live_server.client().login("a_staff", NEW_PASSWORD).status == 302
    created = manager.post(
        "/admin/users/new",
        {
            "username": "a_new_leader",
            "role": "leader",
            "password": NEW_PASSWORD,
            "region": str(county_accounts.county_a),
            "is_active": "y",
        },
    )
    assert created.status == 302


def test_only_an_administrator_resets_an_administrator(county_accounts, live_server):
    admin = live_server.logged_in("admin")
    assert "county_admin" in _listed_usernames(admin.get("/admin/users").text)
    reset = admin.post(
        f"/admin/users/{county_accounts.ids['county_admin']}/password",
        {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert reset.status == 302
    assert live_server.client().login("county_admin", NEW_PASSWORD).status == 302


def test_an_administrator_cannot_demote_or_disable_themselves(county_accounts, live_server, app):
    admin = live_server.logged_in("admin")
    demoted = admin.post(
        f"/admin/users/{county_accounts.ids['admin']}/edit",
        {"display_name": "admin", "role": "staff", "region": str(county_accounts.county_a), "version": "1"},
    )
    assert demoted.status == 422
    assert _user(app, "admin").role == Role.admin and _user(app, "admin").is_active_user


def test_the_rule_lives_in_the_services(county_accounts, app):
    """The command line and any future API share the rule with the pages."""
    with app.app_context(), system_scope():
        manager = db.session.get(User, county_accounts.ids["a_manager"])
        county_admin = db.session.get(User, county_accounts.ids["county_admin"])
        county = db.session.get(Region, county_accounts.county_a)
        with pytest.raises(OutOfReach):
            services.reset_password(county_admin, NEW_PASSWORD, actor=manager)
        with pytest.raises(OutOfReach):
            services.update_user(
                county_admin, display_name="x", role="admin", region=county, is_active=False, actor=manager
            )
        with pytest.raises(services.ServiceError):
            services.create_user("sneaky", NEW_PASSWORD, "admin", county, actor=manager)
        db.session.rollback()
