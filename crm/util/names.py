"""Company names reduced to what distinguishes them, to catch duplicates.

Counties share company master data, so before a new company is created the
user is shown existing ones that look the same: ``宁德时代新能源科技股份有限公司``,
``宁德时代新能源科技（股份）有限公司`` and ``宁德时代新能源科技`` are one firm.

>>> normalise_company_name('宁德时代新能源科技（股份）有限公司')
'宁德时代新能源科技'
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Hashable, Iterable

__all__ = ["normalise_company_name", "similar_names", "LEGAL_FORM_SUFFIXES"]

#: Legal-form words removed from the end of a name, longest first so that
#: ``集团股份有限公司`` goes in one step rather than leaving ``集团股份``.
LEGAL_FORM_SUFFIXES = tuple(
    sorted(
        [
            "集团股份有限公司",
            "集团有限责任公司",
            "集团有限公司",
            "股份有限公司",
            "有限责任公司",
            "有限公司",
            "集团公司",
            "总公司",
            "集团",
            "公司",
            "股份",
        ],
        key=len,
        reverse=True,
    )
)

# After NFKC the full-width （） become ( ) and 【】 stay as they are.
_BRACKETS = re.compile(r"[()\[\]【】〔〕〖〗{}<>《》「」『』]")
_SIMILARITY_THRESHOLD = 0.8
# Containment of very short names ("华为" in everything) is not evidence.
_MIN_CONTAINED_LENGTH = 2


def normalise_company_name(name: str | None) -> str:
    """Return the distinguishing core of a company name.

    Full-width characters become half-width (NFKC), Latin letters lower-case,
    brackets are removed but their content kept, whitespace is removed, and
    legal-form suffixes (有限公司, 股份有限公司, 集团 …) are stripped repeatedly
    from the end. A name made only of a suffix is kept rather than emptied.

    Examples
    --------
    >>> normalise_company_name('华为技术（深圳）有限公司')
    '华为技术深圳'
    >>> normalise_company_name('【ＡＢＣ】 新材料 集团股份有限公司')
    'abc新材料'
    >>> normalise_company_name('福建三钢集团有限公司')
    '福建三钢'
    >>> normalise_company_name('有限公司')
    '有限公司'
    """
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _BRACKETS.sub("", text)
    text = "".join(text.split())
    if text in LEGAL_FORM_SUFFIXES:
        return text
    stripped = True
    while stripped:
        stripped = False
        for suffix in LEGAL_FORM_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                stripped = True
                break
    return text


def similar_names(
    name: str,
    candidates: Iterable[tuple[Hashable, str]],
    limit: int = 5,
) -> list[tuple[Hashable, str, float]]:
    """Find existing companies whose names look like ``name``.

    Parameters
    ----------
    name : str
        The name being entered.
    candidates : iterable of (id, name)
        Existing companies.
    limit : int
        At most this many results.

    Returns
    -------
    list of (id, name, score)
        Exact matches of the normalised names first (score 1.0), then names
        with a :class:`difflib.SequenceMatcher` ratio of at least 0.8 or where
        one normalised name contains the other, best score first, ties by name.

    Examples
    --------
    >>> existing = [(1, '宁德时代新能源科技股份有限公司'), (2, '宁德时代电池有限公司'),
    ...             (3, '福建三钢集团有限公司'), (4, '宁德时代新能源科技（福鼎）有限公司')]
    >>> similar_names('宁德时代新能源科技有限公司', existing)
    [(1, '宁德时代新能源科技股份有限公司', 1.0), (4, '宁德时代新能源科技（福鼎）有限公司', 0.9)]
    """
    wanted = normalise_company_name(name)
    if not wanted or limit <= 0:
        return []
    exact: list[tuple[Hashable, str, float]] = []
    near: list[tuple[Hashable, str, float]] = []
    for candidate_id, candidate_name in candidates:
        other = normalise_company_name(candidate_name)
        if not other:
            continue
        if other == wanted:
            exact.append((candidate_id, candidate_name, 1.0))
            continue
        ratio = difflib.SequenceMatcher(None, wanted, other).ratio()
        shorter = min(wanted, other, key=len)
        contained = len(shorter) >= _MIN_CONTAINED_LENGTH and (wanted in other or other in wanted)
        if ratio >= _SIMILARITY_THRESHOLD or contained:
            near.append((candidate_id, candidate_name, round(ratio, 3)))
    exact.sort(key=lambda row: row[1])
    near.sort(key=lambda row: (-row[2], row[1]))
    return (exact + near)[:limit]
