"""One page of a list page: its rows, and what the ``pager`` macro of
``templates/_macros.html`` reads (``page``, ``per_page``, ``total``)::

    records, pager = paged(lambda page, per_page: queries.pending_page(current_user, page, per_page))
    return render_template("funds/pending.html", records=records, origins=FUND_ORIGINS, **pager)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from crm.core.pagination import page_args

__all__ = ["paged"]


def paged(fetch: Callable[[int, int], tuple[list, Any]]) -> tuple[list, dict]:
    """``fetch(page, per_page)``'s rows for the page ``?page=`` asks for (``page_args``),
    and ``{"page", "per_page", "total"}`` for the page's template."""
    page, per_page = page_args()
    rows, total = fetch(page, per_page)
    return rows, {"page": page, "per_page": per_page, "total": total}
