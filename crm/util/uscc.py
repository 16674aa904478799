"""统一社会信用代码 (unified social credit code, GB 32100-2015).

An 18-character code: registration authority (1), organisation type (1),
GB/T 2260 region code (6), GB 11714 organisation code (9, its own check
character last) and a check character over the first 17.

>>> validate_uscc('91350100M000100Y43').ok
True
>>> validate_uscc('91350100M000100Y44').errors
['第18位校验码应为 3']
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

from flask_babel import gettext as _

__all__ = [
    "USCC_CHARSET",
    "UsccResult",
    "normalise_uscc",
    "uscc_check_char",
    "org_code_check_char",
    "validate_uscc",
    "make_uscc",
]

#: The 31 characters a USCC may use: digits and capitals without I, O, Z, S, V.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {char: value for value, char in enumerate(USCC_CHARSET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 11714 values digits 0-9 and letters A=10 … Z=35.
_ORG_VALUE = {char: int(char, 36) for char in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

USCC_LENGTH = 18


@dataclass
class UsccResult:
    """Outcome of :func:`validate_uscc`.

    Attributes
    ----------
    code : str
        The normalised code that was checked.
    errors : list of str
        Reasons the code is invalid (Chinese, ready to show).
    warnings : list of str
        Doubts that do not make the code invalid, e.g. a mismatching embedded
        organisation-code check character (some early codes carry one).
    """

    code: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not self.errors

    def __bool__(self) -> bool:
        return self.ok


def normalise_uscc(text: str | None) -> str:
    """Return ``text`` as a user most likely meant the code.

    Full-width characters become half-width, all whitespace is removed and
    letters are upper-cased.

    >>> normalise_uscc(' 9135 0100ｍ000100Ｙ43　')
    '91350100M000100Y43'
    >>> normalise_uscc(None)
    ''
    """
    if not text:
        return ""
    half_width = unicodedata.normalize("NFKC", text)
    return "".join(half_width.split()).upper()


def uscc_check_char(first17: str) -> str:
    """Return the 18th (check) character for the first 17 characters.

    Raises
    ------
    ValueError
        If ``first17`` is not 17 characters of :data:`USCC_CHARSET`.

    >>> uscc_check_char('91110000600037341')
    'L'
    """
    if len(first17) != USCC_LENGTH - 1 or any(c not in _USCC_VALUE for c in first17):
        raise ValueError(_("需要17位合法字符才能计算校验码"))
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def org_code_check_char(body: str) -> str:
    """Return the GB 11714 check character for an 8-character organisation code body.

    >>> org_code_check_char('60003734')
    '1'
    >>> org_code_check_char('M000100Y')
    '4'
    """
    body = body.upper()
    if len(body) != 8 or any(c not in _ORG_VALUE for c in body):
        raise ValueError(_("组织机构代码本体应为8位数字或字母"))
    remainder = 11 - sum(_ORG_VALUE[c] * w for c, w in zip(body, _ORG_WEIGHTS)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def validate_uscc(code: str | None) -> UsccResult:
    """Check a 统一社会信用代码 and explain every problem in Chinese.

    Parameters
    ----------
    code : str
        As typed by a user; it is normalised first (see :func:`normalise_uscc`).

    Returns
    -------
    UsccResult
        ``errors`` name the length, the position of an illegal character or
        the expected check character; ``warnings`` report a mismatching
        embedded organisation code (positions 9–17).

    Examples
    --------
    >>> validate_uscc('９１１１００００６０００３７３４１Ｌ').ok
    True
    >>> validate_uscc('91110000600O37341L').errors
    ['第12位字符“O”不合法（统一社会信用代码不使用 I、O、Z、S、V）']
    >>> validate_uscc('9111000060003734').errors
    ['长度应为18位，实际为16位']
    """
    normalised = normalise_uscc(code)
    result = UsccResult(code=normalised)
    if not normalised:
        result.errors.append(_("统一社会信用代码不能为空"))
        return result
    if len(normalised) != USCC_LENGTH:
        result.errors.append(_("长度应为18位，实际为%(length)d位", length=len(normalised)))
    for position, char in enumerate(normalised, start=1):
        if char not in _USCC_VALUE:
            result.errors.append(
                _(
                    "第%(position)d位字符“%(char)s”不合法（统一社会信用代码不使用 I、O、Z、S、V）",
                    position=position,
                    char=char,
                )
            )
    if result.errors:
        return result

    if not normalised[2:8].isdigit():
        result.warnings.append(_("第3–8位应为6位行政区划代码"))
    org_body, org_check = normalised[8:16], normalised[16]
    expected_org_check = org_code_check_char(org_body)
    if org_check != expected_org_check:
        result.warnings.append(
            _("第17位（组织机构代码校验码）应为 %(expected)s", expected=expected_org_check)
        )
    expected = uscc_check_char(normalised[:17])
    if normalised[17] != expected:
        result.errors.append(_("第18位校验码应为 %(expected)s", expected=expected))
    return result


def make_uscc(region_code: str, seed: int) -> str:
    """Make a valid-looking code for demo data, the same for the same seed.

    Registration authority ``9`` (market regulation), type ``1`` (enterprise),
    the given region code, a random organisation code with a correct GB 11714
    check character, and a correct final check character.

    Parameters
    ----------
    region_code : str
        Six-digit GB/T 2260 code, e.g. ``'350100'``.
    seed : int
        Any integer; different seeds give different codes.

    Examples
    --------
    >>> code = make_uscc('350100', 7)
    >>> code[:8], validate_uscc(code).ok, validate_uscc(code).warnings
    ('91350100', True, [])
    >>> make_uscc('350100', 7) == code
    True
    """
    if len(region_code) != 6 or not region_code.isdigit():
        raise ValueError(_("行政区划代码应为6位数字"))
    rng = random.Random(seed)
    # Demo organisation codes stay within characters both standards accept.
    alphabet = "0123456789" * 3 + "ABCDEFGHJKLMNPQRTUWXY"
    org_body = "".join(rng.choice(alphabet) for _unused in range(8))
    first17 = "91" + region_code + org_body + org_code_check_char(org_body)
    return first17 + uscc_check_char(first17)
