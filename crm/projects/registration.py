"""注册落地: what a project's registration evidence means (docs/design.md "Pipeline", "Regions").

The evidence of 注册落地 is the project's local company (本地注册企业), new or existing as
the project's kind says:

* Its credit code must be valid (``crm.util.uscc``) and issued where the project is. The
  code's division part (characters 3–8) names the registration authority's region: the
  county itself is right; another county of the same city, or the city's own authority,
  is a warning, never a refusal (companies re-register, city authorities register county
  firms); outside the city is refused unless a manager confirms it with a stated reason
  (e.g. moved in and not yet re-coded, registered by the province's authority). The
  confirmation is stored on the project (who, when, why) and lapses when the local
  company changes.
* ``registered_on``: for the kinds that found a new legal entity (``NEW_ENTITY_KINDS``:
  新建, 合资) it is the new local company's registration date, which cannot precede the
  signing. An expansion (扩建/增资) or relocation (搬迁) builds on a company that exists
  already, registered perhaps years ago: there ``registered_on`` is the date the project
  was registered locally (增资、变更或迁入登记), and it is not compared with the signing.
  Like every evidence date it is never in the future (``pipeline.future_date_errors``).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from crm.core.db import db, utcnow
from crm.regions.models import Region, RegionLevel
from crm.util.uscc import ELSEWHERE, IN_CITY, registration_place

__all__ = [
    "CONFIRMATION_FIELDS",
    "NEW_ENTITY_KINDS",
    "confirmation_change",
    "county_codes",
    "founds_new_entity",
    "local_company_notes",
    "missing_local_company",
    "outside_city_error",
    "place_of",
]

NEW_ENTITY_KINDS = ("new", "joint_venture")
CONFIRMATION_FIELDS = (
    "local_company_confirmation",
    "local_company_confirmed_by_id",
    "local_company_confirmed_at",
)


def founds_new_entity(kind: str | None) -> bool:
    """Whether a project of this kind founds a new local company (the kind defaults to 新建).

    >>> founds_new_entity("joint_venture"), founds_new_entity("expansion"), founds_new_entity(None)
    (True, False, True)
    """
    return (kind or "new") in NEW_ENTITY_KINDS


def missing_local_company(kind: str | None) -> str:
    """The refusal when a project reaches 注册落地 without its local company, worded for
    the company its kind expects: a new one, or the existing one that expands or moves in."""
    if founds_new_entity(kind):
        return _("注册落地须选择新设立的本地注册企业")
    return _("注册落地须选择在本地登记的企业（扩建、搬迁项目为已有企业）")


def county_codes(county_id: int | None) -> tuple[str, str | None] | None:
    """(the county's code, its city's code or None for a county directly under its
    province), or None when the county is unknown."""
    if county_id is None:
        return None
    county = db.session.get(Region, county_id)
    if county is None:
        return None
    parent = county.parent
    city_code = parent.code if parent is not None and parent.level == RegionLevel.city else None
    return county.code, city_code


def place_of(uscc: str | None, county_id: int | None) -> str | None:
    """``registration_place`` of a code seen from a county (None: nothing to compare)."""
    codes = county_codes(county_id)
    if not uscc or codes is None:
        return None
    return registration_place(uscc, *codes)


def _region_label(uscc: str) -> str:
    """The region a code's division part names, as 名称（代码） when the database knows it."""
    division = uscc[2:8]
    names = dict(
        db.session.execute(
            select(Region.code, Region.name).where(Region.code.in_((division, division[:2] + "0000")))
        ).all()
    )
    if division in names:
        return f"{names[division]}（{division}）"
    if division[:2] + "0000" in names:
        return f"{names[division[:2] + '0000']}（{division}）"
    return division


def outside_city_error(company) -> str:
    return _(
        "本地注册企业“%(name)s”的统一社会信用代码显示在本市以外登记（%(region)s）：请核对；"
        "确在本县登记的（如迁入后尚未换码、由省级登记机关登记），须由局长（科长）填写异地登记确认说明",
        name=company.name,
        region=_region_label(company.uscc),
    )


def confirmation_change(project, local_company_id, text, text_given: bool, actor, errors: dict):
    """Whether the local company stands confirmed after this change, and the confirmation
    columns to write (None: unchanged).

    A confirmation is a manager's (``actor`` None is system work, an import: recorded
    without a person). It counts while ``local_company_confirmed_at`` is set.
    Sending back the stored text for the same company changes nothing, so an officer can
    save a confirmed project's form; a new or changed text from anyone else is refused on
    the field. A different local company drops the confirmation unless it is confirmed
    anew in the same change.
    """
    text = (text or "").strip() or None
    confirmed_before = project is not None and project.local_company_confirmed_at is not None
    stored_text = project.local_company_confirmation if confirmed_before else None
    company_changed = project is None or local_company_id != project.local_company_id
    if text_given and (text != stored_text or company_changed):
        if text is None:
            return False, dict.fromkeys(CONFIRMATION_FIELDS)
        if actor is not None and not actor.has_role("manager"):
            errors.setdefault("local_company_confirmation", []).append(
                _("异地登记企业须由局长（科长）确认，请保存后请局长确认")
            )
            return False, None
        confirmed_at: datetime = utcnow()
        return True, {
            "local_company_confirmation": text,
            "local_company_confirmed_by_id": getattr(actor, "id", None),
            "local_company_confirmed_at": confirmed_at,
        }
    if company_changed and confirmed_before:
        return False, dict.fromkeys(CONFIRMATION_FIELDS)
    return confirmed_before and not company_changed, None


def local_company_notes(project) -> list[str]:
    """What the detail page, the API answer and the save message say about where the
    project's local company was registered (nothing when it is the county itself)."""
    company = project.local_company
    if company is None or not company.uscc:
        return []
    place = place_of(company.uscc, project.county_id)
    if place == IN_CITY:
        return [
            _(
                "本地注册企业的统一社会信用代码由同市其他登记机关颁发（%(region)s）：企业可能已迁入本县，请核对",
                region=_region_label(company.uscc),
            )
        ]
    if place == ELSEWHERE:
        if project.local_company_confirmed_at is not None:
            who = project.local_company_confirmed_by
            return [
                _(
                    "本地注册企业在本市以外登记（%(region)s），已由%(who)s确认：%(why)s",
                    region=_region_label(company.uscc),
                    who=who.display_name if who is not None else _("系统导入"),
                    why=project.local_company_confirmation or "",
                )
            ]
        return [outside_city_error(company)]
    return []
