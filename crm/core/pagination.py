"""Counting rows for a pager without reading them all.

An officer's list holds a few thousand rows, but a province coordinator's activity list
holds half a million, and an exact count of them costs more than the page itself. Lists
that can grow that large count at most ``COUNT_CAP`` rows and show "10,000+".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, request
from sqlalchemy import Select, func, select

from crm.core.db import db

__all__ = [
    "bounded_count",
    "BoundedCount",
    "COUNT_CAP",
    "count_rows",
    "entity_page",
    "MAX_PAGE",
    "MAX_PER_PAGE",
    "page_args",
    "page_number",
    "page_slice",
    "paged",
    "page_window",
    "query_args",
]

COUNT_CAP = 10_000
# The highest page number any list takes. Far beyond the end of the largest list (half a
# million rows is 20,000 pages), and (MAX_PAGE - 1) × a page of 200 rows still fits the
# 64-bit OFFSET of both databases: ?page=9223372036854775807 must not overflow the driver.
MAX_PAGE = 1_000_000_000
# The most rows one API page answers (``per_page``).
MAX_PER_PAGE = 200


def page_number(text: str | None) -> int:
    """The page a list page shows for ``?page=``: anything but a positive whole number
    shows the first page, and a number beyond ``MAX_PAGE`` the (empty) page ``MAX_PAGE``.

    >>> page_number("3"), page_number("-2"), page_number("x"), page_number(None)
    (3, 1, 1, 1)
    >>> page_number("9223372036854775807") == MAX_PAGE
    True
    """
    try:
        page = int(text or 1)
    except ValueError:
        return 1
    return min(max(1, page), MAX_PAGE)


def page_window(page: int, pages: int, around: int = 2) -> list[int | None]:
    """The page numbers a pager shows: the first, the last and ``around`` either side of
    ``page``; ``None`` stands for the pages left out (an ellipsis). A gap of one page
    shows that page rather than an ellipsis in its place.

    >>> page_window(6, 20)
    [1, None, 4, 5, 6, 7, 8, None, 20]
    >>> page_window(1, 3), page_window(4, 7)
    ([1, 2, 3], [1, 2, 3, 4, 5, 6, 7])
    >>> page_window(1, 20), page_window(20, 20)
    ([1, 2, 3, None, 20], [1, None, 18, 19, 20])
    >>> page_window(99, 5)  # past the end: the window of the last page
    [1, 2, 3, 4, 5]
    """
    if pages < 1:
        return []
    centre = min(max(page, 1), pages)
    shown = {1, pages, *range(max(1, centre - around), min(pages, centre + around) + 1)}
    window: list[int | None] = []
    previous = 0
    for number in sorted(shown):
        if number - previous == 2:
            window.append(number - 1)
        elif number - previous > 2:
            window.append(None)
        window.append(number)
        previous = number
    return window


# Names ``url_for`` reads itself: a query argument with one of them would be taken as the
# endpoint or an option of the link (``?endpoint=x``, ``?_method=x`` ended in a 500).
URL_FOR_NAMES = frozenset({"endpoint", "_anchor", "_method", "_scheme", "_external"})


def query_args(args, *leave_out: str, repeated: bool = False) -> dict:
    """The query arguments ``args`` that a link to the same list keeps (filters, sort), as
    keywords for ``url_for``: without ``leave_out`` (the ones the link sets itself) and
    without the names ``url_for`` takes for its own. ``repeated`` keeps every value of a
    repeated argument (a list each).

    >>> from werkzeug.datastructures import MultiDict
    >>> query_args(MultiDict([("stage", "signed"), ("page", "2"), ("endpoint", "x")]), "page")
    {'stage': 'signed'}
    >>> query_args(MultiDict([("tag", "a"), ("tag", "b")]), repeated=True)
    {'tag': ['a', 'b']}
    """
    kept = args.to_dict(flat=not repeated)
    return {key: value for key, value in kept.items() if key not in URL_FOR_NAMES and key not in leave_out}


def init_app(app) -> None:
    """``page_window`` for the ``pager`` macro of ``templates/_macros.html``, and
    ``query_args`` of the request for every link that keeps a list's filters (globals:
    imported macros see globals, not the context)."""
    app.jinja_env.globals["page_window"] = page_window
    app.jinja_env.globals["query_args"] = lambda *leave_out, repeated=False: query_args(
        request.args, *leave_out, repeated=repeated
    )


def page_args() -> tuple[int, int]:
    """``(page, per_page)`` of a list page: ``page_number(?page=)`` and the ``PER_PAGE``
    setting."""
    return page_number(request.args.get("page")), current_app.config["PER_PAGE"]


def paged(fetch: Callable[[int, int], tuple[list, Any]]) -> tuple[list, dict]:
    """``fetch(page, per_page)``'s rows for the page ``?page=`` asks for (``page_args``),
    and what the ``pager`` macro of ``templates/_macros.html`` reads::

        records, pager = paged(lambda page, per_page: queries.pending_page(current_user, page, per_page))
        return render_template("funds/pending.html", records=records, **pager)
    """
    page, per_page = page_args()
    rows, total = fetch(page, per_page)
    return rows, {"page": page, "per_page": per_page, "total": total}


@dataclass(frozen=True)
class BoundedCount:
    value: int  # exact when not ``more``, else COUNT_CAP
    more: bool  # there are more than COUNT_CAP rows

    def __str__(self) -> str:
        return f"{self.value:,}+" if self.more else f"{self.value:,}"


def bounded_count(statement: Select, id_column, cap: int | None = None) -> BoundedCount:
    """Count the rows of ``statement``, stopping after ``cap``.

    ``id_column`` is a column of the statement's main entity; selecting it (rather than
    a literal) keeps the entity in the statement, so tenant scoping still applies.
    """
    cap = COUNT_CAP if cap is None else cap
    limited = statement.with_only_columns(id_column).order_by(None).limit(cap + 1).subquery()
    found = db.session.execute(select(func.count()).select_from(limited)).scalar_one()
    return BoundedCount(min(found, cap), found > cap)


def page_slice(statement: Select, page: int, per_page: int) -> Select:
    """``statement`` cut to its page ``page`` of ``per_page`` rows (1-based)."""
    return statement.limit(per_page).offset((page - 1) * per_page)


def count_rows(statement: Select) -> int:
    """How many rows ``statement`` selects (its ordering dropped). The statement keeps its
    entity, so tenant scoping applies to the count as it does to the page."""
    return db.session.execute(
        select(func.count()).select_from(statement.order_by(None).subquery())
    ).scalar_one()


def entity_page(statement: Select, page: int, per_page: int, *loader_options) -> tuple[list, int]:
    """One page of an ORM select's entities (loaded with ``loader_options``) and the number
    of all its rows: what every exactly counted list shows."""
    total = count_rows(statement)
    rows = db.session.execute(page_slice(statement.options(*loader_options), page, per_page)).scalars().all()
    return list(rows), total
