"""Users, passwords and logins (shared by views, CLI and API).

Who may manage whom is ``crm.auth.policy``; every function that changes another user's
account takes the acting user (``actor``; None for the command line) and applies it.
Sessions are ``crm.auth.sessions``, throttling ``crm.auth.throttle``, API tokens
``crm.auth.tokens``, password rules ``crm.auth.passwords``.
"""

from __future__ import annotations

import secrets

from flask_babel import gettext as _
from sqlalchemy import select

from crm.auth import events, passwords, policy, sessions, throttle
from crm.auth.models import Role, User
from crm.auth.tokens import hash_token, issue_api_token, user_for_token  # noqa: F401 - used via services
from crm.core.db import added, db
from crm.core.errors import ServiceError, refuse_stale
from crm.regions.models import Region, RegionLevel

COUNTY_ONLY_ROLES = {Role.manager, Role.staff, Role.leader}


class LoginThrottled(ServiceError):
    """Too many failures from this (account, address): try again after ``retry_after`` s."""

    status = 429

    def __init__(self, retry_after: int):
        super().__init__(_("登录失败次数过多，请 %(seconds)s 秒后再试", seconds=retry_after))
        self.retry_after = retry_after


def _check_role_region(role: Role, region: Region) -> None:
    if role in COUNTY_ONLY_ROLES and region.level != RegionLevel.county:
        raise ServiceError(
            _("该角色必须属于县（区）"), {"region": [_("局长、专员和县领导必须属于某个县（区）")]}
        )
    if role == Role.coordinator and region.level == RegionLevel.county:
        raise ServiceError(_("协调员属于市或省"), {"region": [_("协调员必须属于市或省")]})


def create_user(
    username: str,
    password: str,
    role: str | Role,
    region: Region,
    display_name: str = "",
    actor: User | None = None,
) -> User:
    username = (username or "").strip()
    if not username:
        raise ServiceError(_("用户名不能为空"), {"username": [_("用户名不能为空")]})
    if db.session.execute(select(User.id).where(User.username == username)).first():
        raise ServiceError(_("用户名 %(name)s 已存在", name=username), {"username": [_("用户名已存在")]})
    role = Role(role)
    _check_role_region(role, region)
    policy.check_assignment(actor, role, region)
    passwords.check_strength(password, username)
    user = User(
        username=username,
        display_name=display_name or username,
        role=role,
        region_id=region.id,
        region=region,
        is_active_user=True,
    )
    user.set_password(password)
    return added(user)


def update_user(
    user: User,
    *,
    display_name: str,
    role: str | Role,
    region: Region,
    is_active: bool,
    version: int | None = None,
    actor: User | None = None,
) -> User:
    """Change a user's name, role, region or state. A new role or region, and disabling,
    end every session of the user."""
    policy.require_reach(actor, user)
    current = {
        "display_name": user.display_name,
        "role": user.role.value,
        "region": user.region_id,
        "is_active": user.is_active,
    }
    refuse_stale(user, version, _("该用户已被他人修改"), current)
    role = Role(role)
    _check_role_region(role, region)
    policy.check_assignment(actor, role, region)
    if actor is not None and actor.id == user.id and (role != user.role or not is_active):
        raise ServiceError(_("不能停用自己或更改自己的角色"), {"role": [_("不能停用自己或更改自己的角色")]})
    ends_sessions = (
        (user.is_active_user and not is_active) or user.role != role or user.region_id != region.id
    )
    user.display_name = display_name
    user.role = role
    user.region_id = region.id
    user.region = region
    user.is_active_user = is_active
    db.session.flush()
    if ends_sessions:
        sessions.revoke_all(user)
    return user


def reset_password(user: User, new_password: str, actor: User | None = None) -> None:
    """Set another user's password (administrator, manager, command line): every session of
    that user ends."""
    policy.require_reach(actor, user)
    if actor is not None and actor.id == user.id:
        # One's own password changes with the current one (change_own_password).
        raise ServiceError(_("请在“修改密码”页面修改自己的密码"))
    passwords.check_strength(new_password, user.username)
    user.set_password(new_password)
    db.session.flush()
    sessions.revoke_all(user)


def change_own_password(user: User, current_password: str, new_password: str, address: str) -> None:
    """A user changes their own password, proving the current one (guesses count as failed
    logins). The session in use stays; every other session of the user ends.

    On a wrong current password the failure is flushed before the ServiceError: the
    caller commits it."""
    wait = throttle.seconds_to_wait(user.username, address)
    if wait:
        raise LoginThrottled(wait)
    if not passwords.verify(user.password_hash, current_password):
        throttle.record_failure(user.username, address)
        raise ServiceError(_("当前密码不正确"), {"current_password": [_("当前密码不正确")]})
    if new_password == current_password:
        raise ServiceError(_("新密码不能与当前密码相同"), {"password": [_("新密码不能与当前密码相同")]})
    passwords.check_strength(new_password, user.username)
    user.set_password(new_password)
    db.session.flush()
    sessions.revoke_all(user, keep_secret=user.session_secret)


def authenticate(username: str, password: str, address: str) -> User | None:
    """The user for these credentials, or None (the failure is counted and audited).
    Raises LoginThrottled, without checking the password, while this (account, address)
    must wait. Unknown names take as long as wrong passwords."""
    typed = (username or "").strip()
    key = throttle.account_key(typed)
    user = None
    if key and key == typed:  # a name cut short or cleaned of NULs is nobody's
        user = db.session.execute(select(User).where(User.username == key)).scalar_one_or_none()
    wait = throttle.seconds_to_wait(key, address)
    if wait:
        events.record(events.THROTTLED, key, user, retry_after=wait)
        raise LoginThrottled(wait)
    right = passwords.verify(user.password_hash if user is not None else None, password)
    if not right or not user.is_active:
        throttle.record_failure(key, address)
        events.record(events.LOGIN_FAILED, key, user)
        return None
    throttle.forget_failures(key, address)
    if not passwords.hash_is_current(user.password_hash):
        user.set_password(password)  # stored with the configured method and cost from now on
    return user


def log_in(user: User, address: str, user_agent: str = "") -> str:
    """Open a server-side session for an authenticated user; return its secret."""
    secret = sessions.open_session(user, user_agent, address)
    events.record(events.LOGIN, user.username, user)
    return secret


def log_out(user: User) -> None:
    sessions.revoke(user.session_secret)
    events.record(events.LOGOUT, user.username, user)


def issue_calendar_token(user: User) -> str:
    token = secrets.token_urlsafe(24)
    user.calendar_token_hash = hash_token(token)
    db.session.flush()
    return token


def user_for_calendar_token(token: str) -> User | None:
    user = db.session.execute(
        select(User).where(User.calendar_token_hash == hash_token(token))
    ).scalar_one_or_none()
    return user if user is not None and user.is_active else None
