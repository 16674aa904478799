"""The global search (搜索) of the navigation bar: one page, ``/search?q=``, with a group of
hits per kind of record (企业, 项目, 联系人, ...).

Each domain supplies its own search in its ``queries`` and registers it here in its
``init_app`` (``register_searcher``); this module imports no domain. A searcher runs inside
the request's tenant scope, so another county's records never appear; it must also never
match a record by what the user would not be shown (a confidential project's real name:
``crm/projects/confidential.py``). Each group shows at most ``PER_GROUP`` hits and, when
there are more, a link to the domain's list filtered by the same text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_login import current_user

__all__ = [
    "init_app",
    "MAX_QUERY",
    "PER_GROUP",
    "register_searcher",
    "run_search",
    "SearchGroup",
    "Searcher",
    "searchers_for",
    "SearchHit",
]

PER_GROUP = 10  # hits shown per kind of record (setting ``SEARCH_PER_GROUP``)
MAX_QUERY = 100  # characters of the search text used

bp = Blueprint("search", __name__)


@dataclass(frozen=True)
class SearchHit:
    title: str  # the name the user may read
    url: str
    detail: str = ""  # a second line: credit code, stage, company, ...


@dataclass(frozen=True)
class Searcher:
    key: str
    label: str  # a msgid, translated where shown
    # ``find(text, user, limit) -> list[SearchHit]``: at most ``limit`` hits, best first.
    find: Callable[[str, object, int], list[SearchHit]]
    roles: frozenset[str]
    # The endpoint of the domain's list, which filters by ``?q=text``; None: no such list.
    more: str | None = None
    order: int = 100


@dataclass(frozen=True)
class SearchGroup:
    searcher: Searcher
    hits: list[SearchHit]
    more_url: str | None  # set when there are more hits than shown and a list shows them
    truncated: bool  # more hits than shown


def register_searcher(app, key: str, label: str, find, roles, more=None, order: int = 100) -> None:
    """Add a group to the global search; see :class:`Searcher` for ``find`` and ``more``."""
    app.extensions.setdefault("chaincrm_searchers", []).append(
        Searcher(key, label, find, frozenset(roles), more, order)
    )


def searchers_for(app, user) -> list[Searcher]:
    """The groups ``user``'s role may search, in order (none for nobody logged in)."""
    if not getattr(user, "is_authenticated", False):
        return []
    found = [s for s in app.extensions.get("chaincrm_searchers", []) if user.role.value in s.roles]
    return sorted(found, key=lambda s: (s.order, s.key))


def clean_query(text: str | None) -> str:
    """The search text as used: surrounding blanks dropped, at most ``MAX_QUERY`` characters.

    >>> clean_query("  宝鸡  "), clean_query(None), len(clean_query("x" * 500))
    ('宝鸡', '', 100)
    """
    return (text or "").strip()[:MAX_QUERY].strip()


def run_search(app, user, text: str, per_group: int = PER_GROUP) -> list[SearchGroup]:
    """Every group ``user`` may search, with its first ``per_group`` hits for ``text``."""
    text = clean_query(text)
    if not text:
        return []
    groups = []
    for searcher in searchers_for(app, user):
        hits = searcher.find(text, user, per_group + 1)
        truncated = len(hits) > per_group
        more_url = url_for(searcher.more, q=text) if truncated and searcher.more else None
        groups.append(SearchGroup(searcher, hits[:per_group], more_url, truncated))
    return groups


@bp.route("/search")
def index():
    """The global search's results, grouped by kind of record."""
    if not searchers_for(current_app, current_user):
        abort(403)
    q = clean_query(request.args.get("q"))
    per_group = current_app.config.get("SEARCH_PER_GROUP", PER_GROUP)
    groups = run_search(current_app, current_user, q, per_group)
    return render_template("search.html", q=q, groups=groups, per_group=per_group)


def _search_box() -> dict:
    return {"search_box": bool(searchers_for(current_app, current_user))}


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.context_processor(_search_box)
