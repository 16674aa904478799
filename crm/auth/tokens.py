"""API tokens: named, expiring, revocable; only their SHA-256 is stored.

A token works while it is not revoked, not expired and its user is active. Tokens made
before expiry existed were named "未命名" and given a year from the upgrade (migration 0011).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from crm.auth.models import ApiToken, User
from crm.core import clock
from crm.core.db import MAX_INTEGER, db, utcnow
from crm.core.errors import ServiceError

UNNAMED = "未命名"
LAST_USED_EVERY = timedelta(minutes=5)
MAX_DAYS = 3650
DAYS = re.compile(r"(\d{1,5})d")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def expiry_from_text(text: str | None, now: datetime | None = None) -> datetime:
    """``90d`` (days from now) or ``2027-06-30`` (valid through that day in the bureau's
    time zone) as a naive UTC instant; None or "" is ``API_TOKEN_DAYS`` from now."""
    now = now or utcnow()
    text = (text or "").strip()
    if not text:
        days = int(current_app.config.get("API_TOKEN_DAYS", 365))
        return now + timedelta(days=days)
    if match := DAYS.fullmatch(text):
        days = int(match.group(1))
        if not 0 < days <= MAX_DAYS:
            message = _("有效期应为 1 到 %(n)s 天", n=MAX_DAYS)
            raise ServiceError(message, {"expires": [message]})
        return now + timedelta(days=days)
    try:
        last_day = date.fromisoformat(text)
    except ValueError:
        message = _("有效期应写作天数（如 90d）或日期（如 2027-06-30）")
        raise ServiceError(message, {"expires": [message]}) from None
    if last_day > (now + timedelta(days=MAX_DAYS)).date():
        message = _("有效期应为 1 到 %(n)s 天", n=MAX_DAYS)
        raise ServiceError(message, {"expires": [message]})
    end = datetime.combine(last_day + timedelta(days=1), time(), tzinfo=clock.bureau_zone())
    expires = end.astimezone(UTC).replace(tzinfo=None)
    if expires <= now:
        message = _("有效期必须晚于今天")
        raise ServiceError(message, {"expires": [message]})
    return expires


def _clean_name(name: str | None) -> str:
    name = "".join(ch for ch in (name or "") if ch.isprintable()).strip()[:100]
    return name or UNNAMED


def issue_api_token(user: User, name: str | None = None, expires_at: datetime | None = None) -> str:
    """Make a token for ``user``; return it (shown once: only its hash is kept)."""
    token = "ccrm_" + secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(
            user_id=user.id,
            name=_clean_name(name),
            token_hash=hash_token(token),
            expires_at=expires_at or expiry_from_text(None),
        )
    )
    db.session.flush()
    return token


def tokens_of(user: User) -> list[ApiToken]:
    return (
        db.session.execute(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id))
        .scalars()
        .all()
    )


def token_by_id(token_id: int, owner: User | None = None) -> ApiToken | None:
    """The token with this id; with ``owner``, only if it is theirs."""
    if not 0 < token_id <= MAX_INTEGER:
        return None
    query = select(ApiToken).where(ApiToken.id == token_id)
    if owner is not None:
        query = query.where(ApiToken.user_id == owner.id)
    return db.session.execute(query).scalar_one_or_none()


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()


def user_for_token(token: str) -> User | None:
    """The user of a live token (not revoked, not expired, user active), or None."""
    if not token or len(token) > 200:
        return None
    return live_user(ApiToken, ApiToken.token_hash, token, ApiToken.last_used_at, LAST_USED_EVERY)


def live_user(credential, digest_column, secret: str, seen_column, every: timedelta) -> User | None:
    """The active user of the ``credential`` row (an API token, a session) whose
    ``digest_column`` holds ``secret``'s digest, while it is neither revoked nor expired, or
    None. Its ``seen_column`` is stamped at most every ``every``, in its own short transaction:
    the request may never commit (a GET) and must not commit half its work for this, and a
    timestamp writes no audit row."""
    now = utcnow()
    found = db.session.execute(
        select(credential.id, seen_column.label("seen_at"), User)
        .join(User, User.id == credential.user_id)
        .where(
            digest_column == hash_token(secret), credential.revoked_at.is_(None), credential.expires_at > now
        )
    ).first()
    if found is None or not found.User.is_active:
        return None
    if found.seen_at is None or now - found.seen_at >= every:
        table = credential.__table__
        with db.engine.begin() as connection:
            connection.execute(update(table).where(table.c.id == found.id).values({seen_column.key: now}))
    return found.User
