"""Settings for chaincrm.

Each class is one environment; ``load_config`` picks one and lets ``CHAINCRM_*``
environment variables and an optional Python file (``CHAINCRM_CONFIG``) override it.
"""

from __future__ import annotations

import os
from datetime import timedelta

DEFAULT_SECRET_KEY = "dev-only-not-secret"


class ConfigurationError(RuntimeError):
    """A setting the application refuses to start with (the command line says it in one line)."""


class BaseConfig:
    SECRET_KEY = DEFAULT_SECRET_KEY
    # None means "SQLite file in the instance folder", resolved by the app factory.
    DATABASE_URL: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    BABEL_DEFAULT_LOCALE = "zh"
    # The bureau's time zone: "today", and every time shown (crm/core/clock.py). Flask-Babel's
    # BABEL_DEFAULT_TIMEZONE is set from it (load_config), so there is one setting.
    TIME_ZONE = "Asia/Shanghai"
    LANGUAGES = ("zh", "en")
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    # A login lasts this long at most (a row in user_sessions, crm/auth/sessions.py); logout,
    # a password change, a change of role or region and disabling end it earlier.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    # Login throttling (crm/auth/throttle.py). Failures are counted over the last
    # LOGIN_LOCKOUT_MINUTES per (account, address): after LOGIN_MAX_FAILURES of them, that
    # pair waits LOGIN_DELAY_SECONDS, then twice as long after each further failure (at most
    # LOGIN_LOCKOUT_MINUTES). An account failing LOGIN_ACCOUNT_MAX_FAILURES times from all
    # addresses, or an address failing LOGIN_ADDRESS_MAX_FAILURES times over all accounts,
    # gets one free failure per pair instead. A right password from a pair that has not
    # been failing is never refused.
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCKOUT_MINUTES = 15
    LOGIN_DELAY_SECONDS = 2
    LOGIN_ACCOUNT_MAX_FAILURES = 20
    LOGIN_ADDRESS_MAX_FAILURES = 50
    # Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR networks;
    # CHAINCRM_TRUSTED_PROXIES="127.0.0.1,10.0.0.0/8"). Empty: the header is ignored.
    TRUSTED_PROXIES: tuple[str, ...] = ()
    # API tokens expire; this is the lifetime of one made without --expires.
    API_TOKEN_DAYS = 365
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    # Evidence files (crm/files): stored by SHA-256 under FILES_DIR/ab/abcdef… (None:
    # <instance folder>/files); one file at most FILE_MAX_BYTES, below MAX_CONTENT_LENGTH so
    # that the form's own message, not the request limit, refuses a file that is too large.
    FILES_DIR: str | None = None
    FILE_MAX_BYTES = 15 * 1024 * 1024
    PER_PAGE = 25
    # Benchmarks only: send each response's SQL statement count (crm/core/sqlcount.py).
    SQL_COUNT_HEADER = False


class DevelopmentConfig(BaseConfig):
    # The demo is served over plain HTTP on localhost; secure-only cookies would never come back.
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class TestingConfig(DevelopmentConfig):
    TESTING = True
    WTF_CSRF_ENABLED = False
    LOGIN_MAX_FAILURES = 3
    LOGIN_DELAY_SECONDS = 60  # long enough that no test outlives a wait by chance
    # Hashing cost is a security setting for real passwords, not for fixtures.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


class ProductionConfig(BaseConfig):
    SECRET_KEY = ""


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}

_ENV_SETTINGS = {
    "CHAINCRM_DATABASE_URL": "DATABASE_URL",
    "CHAINCRM_SECRET_KEY": "SECRET_KEY",
    "CHAINCRM_SESSION_COOKIE_SECURE": "SESSION_COOKIE_SECURE",
    "CHAINCRM_SQL_COUNT_HEADER": "SQL_COUNT_HEADER",
    "CHAINCRM_TRUSTED_PROXIES": "TRUSTED_PROXIES",
    "CHAINCRM_TIME_ZONE": "TIME_ZONE",
    "CHAINCRM_FILES_DIR": "FILES_DIR",
}


def load_config(app, test_config: dict | None = None) -> None:
    """Fill ``app.config``: class defaults, then the config file, then the environment,
    then ``test_config``. Production refuses a missing or default secret key."""
    env_name = (test_config or {}).get("ENV") or os.environ.get("CHAINCRM_ENV", "development")
    if test_config and test_config.get("TESTING"):
        env_name = "testing"
    if env_name not in CONFIGS:
        raise ConfigurationError(f"CHAINCRM_ENV must be one of {sorted(CONFIGS)}, not {env_name!r}")
    app.config.from_object(CONFIGS[env_name])
    app.config["ENV_NAME"] = env_name
    config_file = os.environ.get("CHAINCRM_CONFIG")
    if config_file:
        app.config.from_pyfile(os.path.abspath(config_file))
    for env_key, setting in _ENV_SETTINGS.items():
        if env_key in os.environ:
            value: object = os.environ[env_key]
            if setting.endswith("_SECURE") or setting == "SQL_COUNT_HEADER":
                value = str(value).lower() in {"1", "true", "yes", "on"}
            elif setting == "TRUSTED_PROXIES":
                value = tuple(part.strip() for part in str(value).split(",") if part.strip())
            app.config[setting] = value
    if test_config:
        app.config.update(test_config)
    _check_time_zone(app.config["TIME_ZONE"])
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["TIME_ZONE"]
    if env_name == "production" and app.config.get("SECRET_KEY") in ("", None, DEFAULT_SECRET_KEY):
        raise ConfigurationError(
            "Production refuses to start without a secret key: set CHAINCRM_SECRET_KEY "
            "to a long random value."
        )


def _check_time_zone(name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(
            f"TIME_ZONE must be an IANA time zone such as Asia/Shanghai, not {name!r}"
        ) from None
