from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select

from crm.core.db import db
from crm.core.errors import ServiceError, refuse_stale
from crm.regions.models import PARENT_LEVEL, Region, RegionLevel

CODE_RE = re.compile(r"^\d{6}$")
NAME_MAX = 100  # Region.name


def region_by_code(code: str) -> Region | None:
    return db.session.execute(select(Region).where(Region.code == code)).scalar_one_or_none()


def create_region(code: str, name: str, level: str | RegionLevel, parent_code: str | None = None) -> Region:
    """Create a region after checking its GB/T 2260 code against its level and parent.

    A city's code starts with its province's two digits; a county's first four digits are
    its city's. The one exception is a county-level unit the province administers itself
    (省直辖县级行政单位, e.g. 429004 仙桃市): its code is x90xxx and its parent is the province.
    """
    code, name = (code or "").strip(), (name or "").strip()
    level = RegionLevel(level)
    errors: dict[str, list[str]] = {}
    if not CODE_RE.match(code):
        errors["code"] = [_("行政区划代码应为 6 位数字（GB/T 2260）")]
    elif level == RegionLevel.province and not code.endswith("0000"):
        errors["code"] = [_("省级代码应以 0000 结尾")]
    elif level == RegionLevel.city and (code.endswith("0000") or not code.endswith("00")):
        errors["code"] = [_("市级代码应以 00 结尾且不以 0000 结尾")]
    elif level == RegionLevel.county and code.endswith("00"):
        errors["code"] = [_("县级代码不应以 00 结尾")]
    if not name:
        errors["name"] = [_("名称不能为空")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("不能超过 %(n)d 个字", n=NAME_MAX)]
    parent = None
    if level == RegionLevel.province:
        if parent_code:
            errors["parent_code"] = [_("省级区划没有上级")]
    else:
        parent = region_by_code(parent_code) if parent_code else None
        if parent is None:
            errors["parent_code"] = [
                _("请填写已存在的上级区划代码（省）")
                if level == RegionLevel.city
                else _("请填写已存在的上级区划代码（市；省直辖县级单位填省）")
            ]
        else:
            _check_parent(code, level, parent, errors)
    if "code" not in errors and region_by_code(code):
        errors["code"] = [_("代码 %(code)s 已存在", code=code)]
    if errors:
        raise ServiceError(_("行政区划信息有误"), errors)
    region = Region(code=code, name=name, level=level, parent=parent)
    db.session.add(region)
    db.session.flush()
    return region


def rename_region(region: Region, name: str, version: int | None) -> Region:
    """Rename ``region`` (撤县设区: 岐山县 → 岐山区); its code, level and parent stay. A
    rename at a stale ``version`` (someone renamed it meanwhile) is refused with the stored
    name; ``version`` None is the CLI's rename, which reads the region itself."""
    name = (name or "").strip()
    refuse_stale(
        region, version, _("该区划已被他人改名，当前名称已显示，请确认后重新保存。"), {"name": region.name}
    )
    if not name:
        raise ServiceError(_("行政区划信息有误"), {"name": [_("名称不能为空")]})
    if len(name) > NAME_MAX:
        raise ServiceError(_("行政区划信息有误"), {"name": [_("不能超过 %(n)d 个字", n=NAME_MAX)]})
    region.name = name
    db.session.flush()
    return region


def province_administered(code: str) -> bool:
    """A county-level code the province administers directly (x90xxx, e.g. 429004 仙桃市).

    >>> province_administered("429004"), province_administered("610423")
    (True, False)
    """
    return len(code) == 6 and code[2:4] == "90"


def _check_parent(code: str, level: RegionLevel, parent: Region, errors: dict) -> None:
    """The parent's level and the code's prefix: a city under its province (two digits), a
    county under its city (four digits), or an x90xxx county directly under its province."""
    under_province = level == RegionLevel.county and parent.level == RegionLevel.province
    if under_province and not province_administered(code):
        errors["parent_code"] = [_("县级区划的上级应为市；只有省直辖县级单位（代码第3–4位为90）直属省")]
        return
    if not under_province and parent.level != PARENT_LEVEL[level]:
        errors["parent_code"] = [_("上级区划级别不对")]
        return
    if "code" in errors:
        return
    if level == RegionLevel.county and parent.level == RegionLevel.city and province_administered(code):
        errors["parent_code"] = [_("省直辖县级单位（代码第3–4位为90）的上级应为省，不是市")]
    elif level == RegionLevel.city or under_province:
        if code[:2] != parent.code[:2]:
            errors["code"] = [_("代码前两位应与上级省份一致")]
    elif code[:4] != parent.code[:4]:
        errors["code"] = [
            _(
                "县级代码前四位应与上级市一致：%(code)s 不属于 %(parent)s（%(parent_code)s）",
                code=code,
                parent=parent.name,
                parent_code=parent.code,
            )
        ]


def all_regions() -> list[Region]:
    """Every region in code order (the administrator's list)."""
    return list(db.session.execute(select(Region).order_by(Region.code)).scalars())


def region_names() -> dict[int, str]:
    """Every region's name by id: the county column of the lists and exports a coordinator
    reads (one query, a few hundred rows at the most)."""
    return dict(db.session.execute(select(Region.id, Region.name)).all())


def county_ids() -> list[int]:
    """The ids of every county, in id order (the warm-up fills each county's figures)."""
    return list(
        db.session.execute(
            select(Region.id).where(Region.level == RegionLevel.county).order_by(Region.id)
        ).scalars()
    )


def counties() -> list[Region]:
    return list(
        db.session.execute(
            select(Region).where(Region.level == RegionLevel.county).order_by(Region.code)
        ).scalars()
    )
