"""The application factory."""

from __future__ import annotations

import importlib
import os

from flask import Flask, current_app, request
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.routing import IntegerConverter

from config import load_config
from crm.core.db import MAX_INTEGER, db
from crm.core.resources import DEFAULT_INSTANCE_PATH, RESOURCE_ROOT
from crm.modules import MODULES


class BoundedIntConverter(IntegerConverter):
    """Ids past any id column (``MAX_INTEGER``) reach the view as 0, which names no record,
    so the view answers its own 404 instead of the database refusing the number. Refusing
    them here instead would make werkzeug answer 405 when the URL has another method."""

    regex = r"\d{1,30}"  # longer numbers match no route at all: 404

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if number <= MAX_INTEGER else 0


login_manager = LoginManager()
csrf = CSRFProtect()
# templates/ and static/: beside crm/ in a checkout, under <prefix>/share/chaincrm installed.
PROJECT_ROOT = RESOURCE_ROOT


def database_url(app: Flask) -> str:
    url = app.config.get("DATABASE_URL")
    if url:
        return url
    os.makedirs(app.instance_path, exist_ok=True)
    return "sqlite:///" + os.path.join(app.instance_path, "chaincrm.sqlite")


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("CHAINCRM_INSTANCE_PATH") or DEFAULT_INSTANCE_PATH,
        template_folder=os.path.join(PROJECT_ROOT, "templates"),
        static_folder=os.path.join(PROJECT_ROOT, "static"),
    )
    # Ids past any database integer are 404 at routing, not an overflow in the driver.
    app.url_map.converters["int"] = BoundedIntConverter
    load_config(app, test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app)
    # Copies: the settings class holds one dict for every app, and Flask-SQLAlchemy adds
    # driver defaults (SQLite's check_same_thread) into connect_args in place.
    engine_options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    engine_options["connect_args"] = dict(engine_options.get("connect_args") or {})
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # PostgreSQL's JIT spends 0.3–0.7 s compiling each of the dashboard's grouped
        # statements at province scale, for queries that run in milliseconds without it.
        engine_options["connect_args"].setdefault("options", "-c jit=off")
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options

    # Session listeners (the audit recorder imports the tenancy's, which must run first;
    # the column bounds' check puts itself before both).
    import crm.audit.recorder  # noqa: F401
    import crm.core.column_bounds  # noqa: F401
    import crm.models  # noqa: F401 - every table on the metadata

    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"

    from crm.core import (
        clock,
        commands,
        county_cache,
        errors,
        forms,
        input_guard,
        pagination,
        proxies,
        security,
        sqlcount,
    )

    proxies.init_app(app)
    clock.init_app(app)
    errors.init_app(app)
    forms.init_app(app)
    security.init_app(app)
    commands.init_app(app)
    county_cache.init_app(app)
    sqlcount.init_app(app)
    pagination.init_app(app)
    for name in MODULES:
        importlib.import_module(name).init_app(app)

    # After the API's token check (an anonymous caller learns 401, not what it sent wrong).
    input_guard.init_app(app)
    app.before_request(_require_login_and_scope)
    app.context_processor(_template_globals)
    return app


@login_manager.user_loader
def _load_user(session_secret: str):
    from crm.auth.sessions import user_for_session

    # The cookie holds a session secret; the database decides whether that session stands
    # (not logged out, not expired, user still active), in one statement with the user.
    return user_for_session(session_secret)


def _require_login_and_scope():
    """Login is required by default; a view opts out with ``@public``."""
    from crm.core.access import scope_for
    from crm.core.tenancy import set_scope

    if request.path.startswith("/api/") or request.endpoint in (None, "static"):
        return None
    view = current_app.view_functions.get(request.endpoint)
    if current_user.is_authenticated:
        set_scope(scope_for(current_user))
        return None
    if getattr(view, "is_public", False):
        return None
    return current_app.login_manager.unauthorized()


def _template_globals():
    from crm.core.nav import nav_for

    return {"nav_items": nav_for(current_app, current_user), "languages": current_app.config["LANGUAGES"]}
