"""Users, passwords, sessions, tokens and login throttling (shared by views, CLI and API)."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select

from crm.auth.models import ApiToken, LoginAttempt, Role, User
from crm.core.db import db, utcnow
from crm.core.errors import ServiceError
from crm.regions.models import Region, RegionLevel

MIN_PASSWORD_LENGTH = 8
COUNTY_ONLY_ROLES = {Role.manager, Role.staff, Role.leader}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_password_strength(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ServiceError(
            f"密码至少 {MIN_PASSWORD_LENGTH} 位", {"password": [f"密码至少 {MIN_PASSWORD_LENGTH} 位"]}
        )


def _check_role_region(role: Role, region: Region) -> None:
    if role in COUNTY_ONLY_ROLES and region.level != RegionLevel.county:
        raise ServiceError("该角色必须属于县（区）", {"region": ["局长、专员和县领导必须属于某个县（区）"]})
    if role == Role.coordinator and region.level == RegionLevel.county:
        raise ServiceError("协调员属于市或省", {"region": ["协调员必须属于市或省"]})



def create_user(username: str, password: str, role: str | Role, region: Region,
                display_name: str = "") -> User:
    username = (username or "").strip()
    if not username:
        raise ServiceError("用户名不能为空", {"username": ["用户名不能为空"]})
    if db.session.execute(select(User.id).where(User.username == username)).first():
        raise ServiceError(f"用户名 {username} 已存在", {"username": ["用户名已存在"]})
    role = Role(role)
    _check_role_region(role, region)
    check_password_strength(password)
    user = User(username=username, display_name=display_name or username, role=role,
                region_id=region.id, region=region, is_active_user=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def update_user(user: User, *, display_name: str, role: str | Role, region: Region,
                is_active: bool, version: int | None = None) -> User:
    from crm.core.errors import ConflictError

    if version is not None and int(version) != user.version:
        raise ConflictError("该用户已被他人修改", {"display_name": user.display_name,
                                                 "role": user.role.value})
    role = Role(role)
    _check_role_region(role, region)
    if user.is_active_user and not is_active:
        user.session_epoch += 1  # disabling ends every session at once
    if user.role != role or user.region_id != region.id:
        user.session_epoch += 1
    user.display_name = display_name
    user.role = role
    user.region_id = region.id
    user.region = region
    user.is_active_user = is_active
    db.session.flush()
    return user


def change_password(user: User, new_password: str) -> None:
    check_password_strength(new_password)
    user.set_password(new_password)  # also bumps the session epoch
    db.session.flush()


def issue_api_token(user: User) -> str:
    token = "ccrm_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=hash_token(token)))
    db.session.flush()
    return token


def user_for_token(token: str) -> User | None:
    row = db.session.execute(
        select(ApiToken).where(ApiToken.token_hash == hash_token(token), ApiToken.revoked.is_(False))
    ).scalar_one_or_none()
    if row is None or not row.user.is_active:
        return None
    return row.user


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


def login_locked(username: str, remote_addr: str, max_failures: int, minutes: int) -> bool:
    since = utcnow() - timedelta(minutes=minutes)
    failures = db.session.execute(
        select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.attempted_at >= since,
            (LoginAttempt.username == username) | (LoginAttempt.remote_addr == remote_addr)
            if remote_addr else LoginAttempt.username == username,
        )
    ).scalar_one()
    return failures >= max_failures


def authenticate(username: str, password: str, remote_addr: str, max_failures: int,
                 minutes: int) -> User | None:
    """The user for these credentials, or None. Raises ServiceError while throttled."""
    username = (username or "").strip()
    if login_locked(username, remote_addr, max_failures, minutes):
        raise ServiceError(f"登录失败次数过多，请 {minutes} 分钟后再试")
    user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None or not user.check_password(password) or not user.is_active:
        db.session.add(LoginAttempt(username=username, remote_addr=remote_addr or ""))
        db.session.flush()
        return None
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.username == username))
    return user
