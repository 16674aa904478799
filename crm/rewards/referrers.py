"""Several referrers of one project sharing one reward by agreed shares (docs/design.md "Rewards").

The referral's own referrer holds ``share_percent``; each co-referrer holds theirs; together
they make 100. Co-referrers are typed one per line on the referral form:

>>> parse_co_referrers_text('李秀梅, 个人, 40\\n宝鸡商会，单位，20，关联方')[1]['is_investor_related']
True
>>> parse_co_referrers_text('李秀梅 40')
Traceback (most recent call last):
...
ValueError: 合作引荐人第1行应写成“姓名, 类型, 比例%”，如 李秀梅, 个人, 40
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from crm.rewards.models import REFERRER_KINDS

__all__ = ["clean_shares", "co_referrers_to_text", "parse_co_referrers_text"]

PERSON_FLAGS = {
    "公职人员": "is_public_official",
    "事业单位": "is_public_institution_staff",
    "关联方": "is_investor_related",
}
_KIND_BY_LABEL = {label: code for code, label in REFERRER_KINDS.items()}
_SEPARATORS = re.compile(r"[,;\t]+")
HUNDRED = Decimal("100")


def parse_co_referrers_text(text: str | None) -> list[dict]:
    """One co-referrer per line: ``姓名, 类型, 比例%`` and any of 公职人员、事业单位、关联方."""
    people = []
    for number, raw in enumerate([line for line in (text or "").splitlines() if line.strip()], start=1):
        parts = [p.strip() for p in _SEPARATORS.split(unicodedata.normalize("NFKC", raw)) if p.strip()]
        if len(parts) < 3:
            raise ValueError(
                _("合作引荐人第%(n)d行应写成“姓名, 类型, 比例%%”，如 李秀梅, 个人, 40", n=number)
            )
        name, kind, share, *flags = parts
        unknown = [flag for flag in flags if flag not in PERSON_FLAGS]
        if unknown:
            raise ValueError(
                _(
                    "合作引荐人第%(n)d行的“%(flag)s”应为 公职人员、事业单位 或 关联方",
                    n=number,
                    flag=unknown[0],
                )
            )
        people.append(
            {
                "referrer_name": name,
                "referrer_kind": _KIND_BY_LABEL.get(kind, kind),
                "share_percent": share.rstrip("%"),
                **{key: label in flags for label, key in PERSON_FLAGS.items()},
            }
        )
    return people


def co_referrers_to_text(co_referrers) -> str:
    lines = []
    for person in co_referrers:
        flags = [label for label, key in PERSON_FLAGS.items() if getattr(person, key)]
        kind = REFERRER_KINDS.get(person.referrer_kind, person.referrer_kind)
        lines.append(", ".join([person.referrer_name, kind, f"{person.share_percent.normalize():f}", *flags]))
    return "\n".join(lines)


def _percent(raw) -> Decimal | None:
    if isinstance(raw, bool) or raw is None:
        return None
    try:
        value = Decimal(str(raw).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() and 0 < value <= 100 else None


def clean_shares(values: dict, errors: dict) -> dict:
    """The referrer's share, the agreement and the co-referrers, checked: each share above 0,
    all of them 100 together, and an agreement named when there are co-referrers."""
    raw_people = values.get("co_referrers") or []
    if not isinstance(raw_people, list) or not all(isinstance(p, dict) for p in raw_people):
        errors["co_referrers"] = [_("合作引荐人应为列表")]
        raw_people = []
    people = []
    for number, raw in enumerate(raw_people, start=1):
        name = (raw.get("referrer_name") or "").strip() if isinstance(raw.get("referrer_name"), str) else ""
        share = _percent(raw.get("share_percent"))
        kind = raw.get("referrer_kind") or "individual"
        if not name or share is None or kind not in REFERRER_KINDS:
            errors["co_referrers"] = [
                _(
                    "第%(n)d位合作引荐人须有姓名、类型（个人、单位或中介机构）和大于0、不超过100的比例",
                    n=number,
                )
            ]
            continue
        people.append(
            {
                "referrer_name": name[:200],
                "referrer_kind": kind,
                "share_percent": share,
                **{key: bool(raw.get(key)) for key in PERSON_FLAGS.values()},
            }
        )
    agreement = (values.get("share_agreement") or "").strip() or None
    if not people:
        return {"share_percent": HUNDRED, "share_agreement": agreement, "co_referrers": []}
    own = _percent(values.get("share_percent"))
    if own is None:
        errors["share_percent"] = [_("有合作引荐人时请填写本引荐人的分成比例（大于0，不超过100）")]
    elif (total := own + sum(p["share_percent"] for p in people)) != HUNDRED:
        shown = f"{total.normalize():f}"
        errors["share_percent"] = [_("各引荐人的分成比例合计应为 100%%，现为 %(total)s%%", total=shown)]
    if agreement is None:
        errors["share_agreement"] = [_("有合作引荐人时请填写分成协议（文号或存档位置）")]
    return {"share_percent": own, "share_agreement": agreement, "co_referrers": people}
