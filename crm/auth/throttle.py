"""Login throttling that slows guessing down without locking anyone else out.

Failed logins are rows of ``login_attempts`` (account name as typed, client address, time),
counted over the last ``LOGIN_LOCKOUT_MINUTES``. The unit is the pair (account, address):

- a pair gets ``LOGIN_MAX_FAILURES`` free failures; after that it must wait
  ``LOGIN_DELAY_SECONDS`` after its last failure, doubled for each further failure, at most
  ``LOGIN_LOCKOUT_MINUTES``. An attempt inside the wait is answered 429 without checking
  the password (that is what makes guessing slow) and is not counted;
- an account under attack (``LOGIN_ACCOUNT_MAX_FAILURES`` failures from all addresses) or
  an address spraying accounts (``LOGIN_ADDRESS_MAX_FAILURES`` failures over all accounts)
  leaves each of its pairs one free failure instead of ``LOGIN_MAX_FAILURES``;
- a pair that has not been failing is never made to wait: the right password from another
  desk behind the same address, or from the account owner's own address while someone
  elsewhere guesses, logs in. A right password from a waiting pair logs in once the wait
  is over ("slow down rather than refuse").

Unknown account names are counted like real ones, so the answers do not tell them apart.
Everything is in the database: every server process sees the same counts.
"""

from __future__ import annotations

import math
from datetime import timedelta

from flask import current_app
from sqlalchemy import case, delete, func, or_, select

from crm.auth.models import LoginAttempt
from crm.core.db import db, utcnow

KEY_LENGTH = 64  # login_attempts.username and remote_addr are VARCHAR(64)


def account_key(username: str) -> str:
    """The account name as counted: as typed, without NUL characters, at most 64 characters."""
    return (username or "").replace("\x00", "").strip()[:KEY_LENGTH]


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])


def seconds_to_wait(username: str, address: str) -> int:
    """0 when (username, address) may try now, else how many seconds it must wait."""
    config = current_app.config
    now = utcnow()
    window = _window()
    username, address = account_key(username), address[:KEY_LENGTH]
    pair = (LoginAttempt.username == username) & (LoginAttempt.remote_addr == address)
    pair_failures, last_pair_failure, account_failures, address_failures = db.session.execute(
        select(
            func.coalesce(func.sum(case((pair, 1), else_=0)), 0),
            func.max(case((pair, LoginAttempt.attempted_at))),
            func.coalesce(func.sum(case((LoginAttempt.username == username, 1), else_=0)), 0),
            func.coalesce(func.sum(case((LoginAttempt.remote_addr == address, 1), else_=0)), 0),
        ).where(
            LoginAttempt.attempted_at >= now - window,
            or_(LoginAttempt.username == username, LoginAttempt.remote_addr == address),
        )
    ).one()
    under_attack = (
        account_failures >= config["LOGIN_ACCOUNT_MAX_FAILURES"]
        or address_failures >= config["LOGIN_ADDRESS_MAX_FAILURES"]
    )
    free = 1 if under_attack else config["LOGIN_MAX_FAILURES"]
    if pair_failures < free or last_pair_failure is None:
        return 0
    delay = min(config["LOGIN_DELAY_SECONDS"] * 2 ** min(pair_failures - free, 32), window.total_seconds())
    remaining = (last_pair_failure + timedelta(seconds=delay) - now).total_seconds()
    return max(0, math.ceil(remaining))


def record_failure(username: str, address: str) -> None:
    now = utcnow()
    # Old rows count for nothing: forget them here rather than in a separate job.
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < now - _window()))
    db.session.add(
        LoginAttempt(username=account_key(username), remote_addr=address[:KEY_LENGTH], attempted_at=now)
    )
    db.session.flush()


def forget_failures(username: str, address: str) -> None:
    """After a successful login: this pair starts afresh (other pairs keep their counts,
    or a login by the owner would wipe an attacker's)."""
    db.session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.username == account_key(username), LoginAttempt.remote_addr == address[:KEY_LENGTH]
        )
    )
