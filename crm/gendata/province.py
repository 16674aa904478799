"""The synthetic province's regions and users.

Codes are GB/T 2260 shaped but in a province prefix (91–99) no real province uses, and
the first prefix the database does not hold yet, so a synthetic province never collides
with real regions. Names say 模拟 so nobody mistakes them for a real county.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, select

from crm.gendata.writer import BulkWriter

COUNTIES_PER_CITY = 10
MAX_COUNTIES = 99 * COUNTIES_PER_CITY
SYLLABLES = "安宝昌长川丰福高和华嘉金康乐临龙宁平庆仁瑞山顺泰通万文武西祥新兴阳永裕云泽昭正中"
STAFF_PER_COUNTY = 4


class NoFreePrefix(Exception):
    """Every synthetic province prefix (91–99) is already in the database."""


@dataclass
class County:
    id: int
    code: str
    name: str
    users: dict[str, int] = field(default_factory=dict)  # manager, leader, staff1.. -> user id

    @property
    def staff_ids(self) -> list[int]:
        return [self.users[f"staff{n}"] for n in range(1, STAFF_PER_COUNTY + 1)]


@dataclass
class Province:
    id: int
    code: str
    counties: list[County]
    usernames: list[str]


def free_prefix(connection: Connection, regions) -> str:
    codes = {code[:2] for code in connection.execute(select(regions.c.code)).scalars()}
    for prefix in range(91, 100):
        if str(prefix) not in codes:
            return str(prefix)
    raise NoFreePrefix("省级代码 91–99 均已占用，无法再生成模拟省")


def place_name(index: int, suffix: str) -> str:
    """A two-character place name, different for every index below 1,600.

    >>> place_name(0, '县'), place_name(1, '县'), place_name(40, '县')
    ('安兴县', '宝兴县', '安阳县')
    """
    first = SYLLABLES[index % len(SYLLABLES)]
    second = SYLLABLES[(index // len(SYLLABLES) + 31) % len(SYLLABLES)]
    return f"{first}{second}{suffix}"


def username(code: str, role: str) -> str:
    return f"u{code}_{role}"


def write_province(
    writer: BulkWriter, prefix: str, county_count: int, password_hash: str, now: datetime
) -> Province:
    """Write the province, its cities (ten counties each), counties and users."""
    usernames: list[str] = []

    def region(code, name, level, parent_id):
        return writer.add(
            "regions",
            {
                "code": code,
                "name": name,
                "level": level,
                "parent_id": parent_id,
                "created_at": now,
                "updated_at": now,
            },
        )["id"]

    def user(code, role, kind, region_id, display):
        name = username(code, role)
        usernames.append(name)
        return writer.add(
            "users",
            {
                "username": name,
                "display_name": display,
                "password_hash": password_hash,
                "role": kind,
                "region_id": region_id,
                "is_active_user": True,
                "calendar_token_hash": None,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            },
        )["id"]

    province_code = f"{prefix}0000"
    province_id = region(province_code, "模拟省", "province", None)
    user(province_code, "coordinator", "coordinator", province_id, "模拟省商务厅协调员")
    user(province_code, "admin", "admin", province_id, "模拟省系统管理员")
    counties: list[County] = []
    city_id = None
    for index in range(county_count):
        city_number, county_number = divmod(index, COUNTIES_PER_CITY)
        city_code = f"{prefix}{city_number + 1:02d}00"
        if county_number == 0:
            city_name = place_name(city_number * 7 + 3, "市")
            city_id = region(city_code, city_name, "city", province_id)
            user(city_code, "coordinator", "coordinator", city_id, f"{city_name}投资促进局协调员")
        code = f"{prefix}{city_number + 1:02d}{county_number + 1:02d}"
        name = place_name(index, "县")
        county = County(id=region(code, name, "county", city_id), code=code, name=name)
        county.users["manager"] = user(code, "manager", "manager", county.id, f"{name}投资促进局局长")
        county.users["leader"] = user(code, "leader", "leader", county.id, f"{name}县领导")
        for number in range(1, STAFF_PER_COUNTY + 1):
            county.users[f"staff{number}"] = user(
                code, f"staff{number}", "staff", county.id, f"{name}招商专员{number}"
            )
        counties.append(county)
    return Province(id=province_id, code=province_code, counties=counties, usernames=usernames)
