from __future__ import annotations

import re

from sqlalchemy import select

from crm.core.db import db
from crm.core.errors import ServiceError
from crm.regions.models import PARENT_LEVEL, Region, RegionLevel

CODE_RE = re.compile(r"^\d{6}$")


def region_by_code(code: str) -> Region | None:
    return db.session.execute(select(Region).where(Region.code == code)).scalar_one_or_none()


def create_region(code: str, name: str, level: str | RegionLevel, parent_code: str | None = None) -> Region:
    """Create a region after checking its GB/T 2260 code against its level and parent."""
    code, name = (code or "").strip(), (name or "").strip()
    level = RegionLevel(level)
    errors: dict[str, list[str]] = {}
    if not CODE_RE.match(code):
        errors["code"] = ["行政区划代码应为 6 位数字（GB/T 2260）"]
    elif level == RegionLevel.province and not code.endswith("0000"):
        errors["code"] = ["省级代码应以 0000 结尾"]
    elif level == RegionLevel.city and (code.endswith("0000") or not code.endswith("00")):
        errors["code"] = ["市级代码应以 00 结尾且不以 0000 结尾"]
    elif level == RegionLevel.county and code.endswith("00"):
        errors["code"] = ["县级代码不应以 00 结尾"]
    if not name:
        errors["name"] = ["名称不能为空"]
    parent = None
    if level == RegionLevel.province:
        if parent_code:
            errors["parent_code"] = ["省级区划没有上级"]
    else:
        parent = region_by_code(parent_code) if parent_code else None
        if parent is None:
            errors["parent_code"] = [
                f"请填写已存在的上级区划代码（{'省' if level == RegionLevel.city else '市'}）"
            ]
        elif parent.level != PARENT_LEVEL[level]:
            errors["parent_code"] = ["上级区划级别不对"]
        elif "code" not in errors and code[:2] != parent.code[:2]:
            errors["code"] = ["代码前两位应与上级省份一致"]
    if "code" not in errors and region_by_code(code):
        errors["code"] = [f"代码 {code} 已存在"]
    if errors:
        raise ServiceError("行政区划信息有误", errors)
    region = Region(code=code, name=name, level=level, parent=parent)
    db.session.add(region)
    db.session.flush()
    return region


def all_regions() -> list[Region]:
    """Every region in code order (the administrator's list)."""
    return list(db.session.execute(select(Region).order_by(Region.code)).scalars())


def counties() -> list[Region]:
    return list(
        db.session.execute(
            select(Region).where(Region.level == RegionLevel.county).order_by(Region.code)
        ).scalars()
    )
