from __future__ import annotations

import enum
from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from crm.core.db import Base, TimestampMixin, utcnow
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


class User(UserMixin, TimestampMixin, Base):
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
    # Bumped on password change or disabling; sessions carry it, so old ones stop working.
    session_epoch: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    region: Mapped[Region] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)
        self.session_epoch = (self.session_epoch or 0) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return bool(self.is_active_user)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"

    @property
    def county_id(self) -> int | None:
        return self.region_id if self.region.level.value == "county" else None

    def has_role(self, *roles: str) -> bool:
        return self.role.value in roles

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role.value}>"


class ApiToken(TimestampMixin, Base):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """Failed logins, counted per username and per address for throttling."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True, nullable=False)
    remote_addr: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    attempted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
