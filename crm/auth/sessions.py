"""Server-side sessions: the database says whether a login still stands.

Flask's session is a signed cookie, valid as long as its signature; a copy kept by someone
else went on working after logout. Now the cookie carries a random secret (as Flask-Login's
user id), ``user_sessions`` holds its SHA-256, and every request looks the row up together
with its user in one statement. A revoked or expired row ends the login on every server
process at once. ``last_seen_at`` is written at most every ``LAST_SEEN_EVERY``.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, or_, update

from crm.auth.models import User, UserSession
from crm.auth.tokens import hash_token, live_user  # a session secret is kept as a digest, like a token
from crm.core.db import db, utcnow

LAST_SEEN_EVERY = timedelta(minutes=5)
KEEP_ENDED = timedelta(days=30)  # ended sessions stay this long for the record
SECRET_MAX_LENGTH = 128


def open_session(user: User, user_agent: str = "", address: str = "") -> str:
    """Start a session for ``user``; return its secret (for the cookie, never stored)."""
    now = utcnow()
    secret = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            user_id=user.id,
            secret_hash=hash_token(secret),
            created_at=now,
            last_seen_at=now,
            expires_at=now + current_app.config["PERMANENT_SESSION_LIFETIME"],
            user_agent=(user_agent or "")[:255],
            remote_addr=(address or "")[:64],
        )
    )
    _purge_old(now)
    db.session.flush()
    user.session_secret = secret
    return secret


def user_for_session(secret: str | None) -> User | None:
    """The user of an open, unexpired session with this secret, if still active."""
    if not secret or not isinstance(secret, str) or len(secret) > SECRET_MAX_LENGTH:
        return None
    user = live_user(UserSession, UserSession.secret_hash, secret, UserSession.last_seen_at, LAST_SEEN_EVERY)
    if user is not None:
        user.session_secret = secret
    return user


def revoke(secret: str | None) -> None:
    """End the session with this secret (logout)."""
    if secret:
        db.session.execute(
            update(UserSession)
            .where(UserSession.secret_hash == hash_token(secret), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow()),
            execution_options={"synchronize_session": False},
        )


def revoke_all(user: User, keep_secret: str | None = None) -> None:
    """End every open session of ``user`` except the one with ``keep_secret``."""
    statement = update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    if keep_secret:
        statement = statement.where(UserSession.secret_hash != hash_token(keep_secret))
    db.session.execute(
        statement.values(revoked_at=utcnow()), execution_options={"synchronize_session": False}
    )


def _purge_old(now) -> None:
    db.session.execute(
        delete(UserSession).where(
            or_(UserSession.expires_at < now - KEEP_ENDED, UserSession.revoked_at < now - KEEP_ENDED)
        ),
        execution_options={"synchronize_session": False},
    )
