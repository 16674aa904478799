"""统一社会信用代码 (unified social credit code, GB 32100-2015).

An 18-character code: registration authority (1), entity type (1), the GB/T 2260
code of the registration authority's region (6), the GB 11714 organisation code
(9, its own check character last) and a check character over the first 17.

A right check character is not enough: ``000000000000000000`` has one. The first two
characters must be a pair of the standard's table (``REGISTRATION_AUTHORITIES``), the
division part six digits of a region, the organisation code not all zeros.

Where the code was issued, compared with a county (:func:`registration_place`), is what
the projects check a 本地注册企业 against (docs/design.md "Regions").

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
    "REGISTRATION_AUTHORITIES",
    "USCC_CHARSET",
    "UsccResult",
    "entity_label",
    "make_uscc",
    "normalise_uscc",
    "org_code_check_char",
    "registration_place",
    "uscc_check_char",
    "validate_uscc",
]

#: The 31 characters a USCC may use: digits and capitals without I, O, Z, S, V.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {char: value for value, char in enumerate(USCC_CHARSET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 11714 values digits 0-9 and letters A=10 … Z=35.
_ORG_VALUE = {char: int(char, 36) for char in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

USCC_LENGTH = 18

#: Characters 1 and 2: the registration authority (登记管理部门) and, under it, the
#: entity type (机构类别), as GB 32100-2015 table 1 and the codes assigned since list them.
#: Investment projects meet ``9`` (market regulation, formerly 工商) nearly always.
REGISTRATION_AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"},
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("市场监管（工商）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": ("农业", {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}

#: :func:`registration_place` answers: issued in the county itself, elsewhere in its city
#: (another county, or the city's own authority), or outside the city.
IN_COUNTY, IN_CITY, ELSEWHERE = "county", "city", "elsewhere"


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

    result.errors.extend(_authority_errors(normalised[0], normalised[1]))
    division = normalised[2:8]
    if not division.isdigit():
        result.errors.append(_("第3–8位应为登记管理机关的6位行政区划代码（数字）"))
    elif division.startswith("00"):
        result.errors.append(_("第3–8位行政区划代码“%(division)s”不存在", division=division))
    if normalised[8:17] == "0" * 9:
        result.errors.append(_("第9–17位主体标识码（组织机构代码）不能全为 0"))
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


def _authority_errors(authority: str, kind: str) -> list[str]:
    """Characters 1–2 against :data:`REGISTRATION_AUTHORITIES`.

    >>> _authority_errors("9", "1")
    []
    >>> _authority_errors("9", "4")
    ['第2位机构类别代码“4”不属于登记管理部门“市场监管（工商）”（可为：1 企业、2 个体工商户、3 农民专业合作社）']
    """
    if authority not in REGISTRATION_AUTHORITIES:
        known = "、".join(f"{code} {name}" for code, (name, _kinds) in REGISTRATION_AUTHORITIES.items())
        return [_("第1位登记管理部门代码“%(char)s”不存在（可为：%(known)s）", char=authority, known=known)]
    name, kinds = REGISTRATION_AUTHORITIES[authority]
    if kind not in kinds:
        known = "、".join(f"{code} {label}" for code, label in kinds.items())
        return [
            _(
                "第2位机构类别代码“%(char)s”不属于登记管理部门“%(name)s”（可为：%(known)s）",
                char=kind,
                name=name,
                known=known,
            )
        ]
    return []


def entity_label(code: str | None) -> str:
    """The registration authority and entity type a code names, for showing beside it.

    >>> entity_label('91350100M000100Y43')
    '市场监管（工商） · 企业'
    >>> entity_label('0000')
    ''
    """
    normalised = normalise_uscc(code)
    authority = REGISTRATION_AUTHORITIES.get(normalised[:1])
    if authority is None or normalised[1:2] not in authority[1]:
        return ""
    return f"{authority[0]} · {authority[1][normalised[1]]}"


def registration_place(code: str | None, county_code: str, city_code: str | None) -> str:
    """Where the registration authority that issued ``code`` sits, seen from a county.

    The division part (characters 3–8) is the GB/T 2260 code of the authority's region:
    the county's own code → ``IN_COUNTY``; the same first four digits as the county's
    city (another county of the city, or the city's own authority, e.g. ``610300``) →
    ``IN_CITY``; anything else → ``ELSEWHERE``. A county directly under its province
    (``city_code`` None: the x90xxx codes) has no city around it: only its own code is in.

    >>> registration_place('91610323MA6X00000X', '610323', '610300')
    'county'
    >>> registration_place('91610324MA6X00000X', '610323', '610300'), registration_place('91610300MA6X00000X', '610323', '610300')
    ('city', 'city')
    >>> registration_place('91310000MA6X00000X', '610323', '610300'), registration_place('91429005MA6X00000X', '429004', None)
    ('elsewhere', 'elsewhere')
    """
    division = normalise_uscc(code)[2:8]
    if division == county_code:
        return IN_COUNTY
    if city_code and len(division) == 6 and division[:4] == city_code[:4]:
        return IN_CITY
    return ELSEWHERE


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
