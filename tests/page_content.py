"""What a page shows, for tests that compare two renderings of one page.

A whole page differs between two requests even when nothing changed: the CSRF token
carries a timestamp (it changes when the second ticks over) and each response has its own
CSP nonce. ``shown_content`` keeps what the user reads: the ``<main>`` element, with those
per-request values blanked.

>>> shown_content('<nav>x</nav><main><input name="csrf_token" value="a.b"><p>1</p></main>')
'<input name="csrf_token" value=""><p>1</p>'
"""

from __future__ import annotations

import re

_MAIN = re.compile(r"<main\b[^>]*>(.*)</main>", re.S)
_PER_REQUEST = (
    (re.compile(r'(name="csrf_token"[^>]*value=")[^"]*'), r"\1"),
    (re.compile(r'(nonce=")[^"]*'), r"\1"),
)


def shown_content(html: str) -> str:
    found = _MAIN.search(html)
    content = found.group(1) if found else html
    for pattern, blank in _PER_REQUEST:
        content = pattern.sub(blank, content)
    return content


def conflict_box(html: str) -> dict[str, str]:
    """The box's stored values, label → value, as the user reads them."""
    box = re.search(r'data-testid="conflict">(.*?)</dl>', html, re.S)
    assert box, "no conflict box on the page"
    pairs = re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", box.group(1), re.S)
    return {label.strip(): value.strip() for label, value in pairs}
