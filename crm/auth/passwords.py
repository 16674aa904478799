"""What a password must be, and checking one in the same time whether the user exists.

Rules (NIST SP 800-63B style: length and a blocklist, no composition rules): at least
``MIN_LENGTH`` characters, at most ``MAX_LENGTH``; not in ``common_passwords.txt`` (compared
lower-cased); not one character repeated; not a date written as eight digits (birthdays are
a Chinese favourite); neither equal to nor containing the username.
"""

from __future__ import annotations

import re
import secrets
from datetime import date
from functools import lru_cache
from pathlib import Path

from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from crm.auth.models import password_hash_method
from crm.core.errors import ServiceError

MIN_LENGTH = 8
MAX_LENGTH = 128  # hashing a megabyte-long "password" is work an attacker should not get for free
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
EIGHT_DIGIT_DATE = re.compile(r"(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with COMMON_PASSWORDS_FILE.open(encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _is_date(text: str) -> bool:
    if not EIGHT_DIGIT_DATE.fullmatch(text):
        return False
    try:
        date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return False
    return True


def weakness(password: str, username: str = "") -> str | None:
    """Why ``password`` is refused for ``username``, or None when it is acceptable.

    >>> weakness("woaini1314") is not None, weakness("19900101") is not None
    (True, True)
    >>> weakness("a_staff-2026x", "a_staff") is not None, weakness("tea-horse-road-58", "a_staff")
    (True, None)
    """
    password = password or ""
    if len(password) < MIN_LENGTH:
        return _("密码至少 %(n)s 位", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("密码最多 %(n)s 位", n=MAX_LENGTH)
    folded = password.strip().lower()
    if folded in common_passwords() or len(set(folded)) <= 1 or _is_date(folded):
        return _("该密码过于常见，容易被猜中，请换一个")
    name = (username or "").strip().lower()
    if len(name) >= 3 and name in folded:
        return _("密码不能包含用户名")
    return None


def check_strength(password: str, username: str = "", field: str = "password") -> None:
    """Raise a ServiceError on ``field`` when the password is refused."""
    problem = weakness(password, username)
    if problem:
        raise ServiceError(_("密码不符合要求"), {field: [problem]})


@lru_cache(maxsize=8)
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def hash_is_current(password_hash: str) -> bool:
    """False when the hash was made with another method or cost than the configured one."""
    current = _dummy_hash(password_hash_method()).split("$", 1)[0]
    return password_hash.split("$", 1)[0] == current


def verify(password_hash: str | None, password: str) -> bool:
    """Check ``password`` against ``password_hash``; with no hash (no such user), check it
    against a throwaway hash of the configured method, so an unknown user costs as much
    time as a wrong password and the answer's timing does not tell which it was."""
    if password_hash is None:
        check_password_hash(_dummy_hash(password_hash_method()), password or "")
        return False
    return check_password_hash(password_hash, password or "")
