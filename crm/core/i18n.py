"""Language: 简体中文 by default, English selectable and remembered in the session."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from flask import Blueprint, current_app, has_request_context, redirect, request, session
from flask_babel import Babel, gettext

from crm.core.access import public
from crm.core.redirects import safe_next

__all__ = ["N_", "babel", "init_app", "select_locale", "translator"]

babel = Babel()
bp = Blueprint("i18n", __name__)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now: code tables and menu
    labels are defined at import time, before any request has a language, and are
    translated where they are shown (``_(label)`` or ``{{ _(label) }}``)."""
    return message


def translator() -> Callable[[str], str]:
    """gettext remembering what it translated, for one request: a spreadsheet or a graph asks
    for the same few labels thousands of times (a cell per row, a tooltip per firm), and each
    Flask-Babel call is slow."""
    return cache(gettext)


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    # Outside a request (CLI, scripts) there is no session: use the default language.
    chosen = session.get("lang") if has_request_context() else None
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.route("/lang/<code>")
@public
def set_language(code: str):
    """Switch the interface language (kept in the session) and go back where the user was."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    # Only same-site paths: an open redirect would help phishing.
    return redirect(safe_next(request.args.get("next")))


def init_app(app) -> None:
    import os

    translations = os.path.join(os.path.dirname(os.path.dirname(__file__)), "translations")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", translations)
    babel.init_app(app, locale_selector=select_locale)
    from flask_babel import get_locale

    app.jinja_env.globals["get_locale"] = get_locale
    app.register_blueprint(bp)
