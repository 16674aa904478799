from __future__ import annotations

import enum
from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from crm.core.db import Base, TimestampMixin, Versioned, utcnow
from crm.regions.models import Region


class Role(str, enum.Enum):
    admin = "admin"
    coordinator = "coordinator"
    manager = "manager"
    staff = "staff"
    leader = "leader"


ROLE_LABELS = {
    "admin": "系统管理员",
    "coordinator": "市/省协调员",
    "manager": "局长/科长",
    "staff": "招商专员",
    "leader": "县领导/链长",
}


def password_hash_method() -> str:
    """Werkzeug's hashing method: scrypt, or ``PASSWORD_HASH_METHOD`` (tests make it cheap)."""
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"


class User(UserMixin, Versioned, TimestampMixin, Base):
    __tablename__ = "users"
    __audited__ = True
    __audit_exclude__ = ("password_hash", "calendar_token_hash")

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[Role] = mapped_column(
        Enum(Role, name="user_role", native_enum=False, length=16), nullable=False
    )
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True, nullable=False)
    is_active_user: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64))

    region: Mapped[Region] = relationship(lazy="joined")

    # The session this request runs in (set by the login and the session loader): Flask-Login
    # keeps get_id() in the signed cookie, and that is the session's secret, not the user id.
    session_secret = None  # not a column
    # UserMixin compares users by get_id(), a session secret here (None outside a login):
    # two accounts are the same when they are the same row, as for every other model.
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=password_hash_method())

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return bool(self.is_active_user)

    def get_id(self) -> str | None:
        return self.session_secret

    @property
    def county_id(self) -> int | None:
        return self.region_id if self.region.level.value == "county" else None

    def has_role(self, *roles: str) -> bool:
        return self.role.value in roles

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role.value}>"


class UserSession(Base):
    """One login. The browser's signed cookie holds a random secret; only its SHA-256 is
    stored here, so the database decides on every request (and every server process)
    whether the session still stands. Revoked and expired rows are kept a while for the
    record, then deleted (``sessions.purge_old``)."""

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_open", "user_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    user_agent: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    remote_addr: Mapped[str] = mapped_column(String(64), nullable=False, default="")

    user: Mapped[User] = relationship()


class ApiToken(TimestampMixin, Base):
    """A bearer token for the JSON API; only its SHA-256 is stored. Every token expires."""

    __tablename__ = "api_tokens"
    __audited__ = True
    __audit_exclude__ = ("token_hash",)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()

    def status(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "active"


class LoginAttempt(Base):
    """Failed logins, counted per (account, address), per account and per address for
    throttling (``crm.auth.throttle``)."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_remote_addr", "remote_addr", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True, nullable=False)
    remote_addr: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    attempted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
