r"""Where a ``next=`` parameter may send the browser: a path on this site, nothing else.

Browsers forgive a lot in a ``Location``: they drop tabs and newlines, read ``\`` as
``/`` and take ``//host`` or ``/\host`` as another site, so ``/%09/evil.example`` (a tab)
lands on ``//evil.example``. Rather than clean such a target, anything unusual is refused
and the default is used.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, url_for

__all__ = ["is_safe_next", "next_or", "safe_next"]


def is_safe_next(target: str | None) -> bool:
    r"""True for a plain same-site path such as ``/projects?page=2``.

    >>> [is_safe_next(t) for t in ("/projects?page=2", "/", "/lang/en#top")]
    [True, True, True]
    >>> [is_safe_next(t) for t in ("//evil.example", "/\t/evil.example", "/\\evil.example",
    ...     "https://evil.example/", " /x", "/x\r\nSet-Cookie: a=b", "projects", "", None, "/\x7f")]
    [False, False, False, False, False, False, False, False, False, False]
    """
    if not target or not isinstance(target, str):
        return False
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target) or "\\" in target:
        return False
    if target != target.strip() or not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default_endpoint: str = "home.index") -> str:
    """``target`` when it is a same-site path, else the URL of ``default_endpoint``."""
    return target if is_safe_next(target) else url_for(default_endpoint)


def next_or(default: str) -> str:
    """The request's ``next=`` when it is a same-site path, else ``default`` (a URL).

    The create forms post to their own address, query string included, so a ``next`` given
    on the way in (e.g. from a project's page) is still there when the form is saved."""
    target = request.args.get("next")
    return target if is_safe_next(target) else default
