"""The demo dataset: a province, two cities (宝鸡市 with two counties, 汉中市 with one), a
coordinator for each, a user of every role in each county, and each module's own demo
records (via its ``load_demo(ctx)``)."""

from __future__ import annotations

import importlib
import os
import random
import secrets
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from crm.auth.models import User
from crm.auth.passwords import weakness
from crm.auth.services import create_user
from crm.core import clock
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.modules import MODULES
from crm.regions.models import Region
from crm.regions.services import create_region

PROVINCE = ("610000", "陕西省")
CITY = ("610300", "宝鸡市")
SECOND_CITY = ("610700", "汉中市")
# (code, name, username prefix, city code). Modules build on the first two (岐山县, 扶风县:
# neighbours in one city, so transfers and collisions between them are the city's matter).
COUNTIES = (
    ("610323", "岐山县", "qishan", CITY[0]),
    ("610324", "扶风县", "fufeng", CITY[0]),
    ("610722", "城固县", "chenggu", SECOND_CITY[0]),
)
# The coordinators above the counties: (username, region code, title).
COORDINATORS = (
    ("province", PROVINCE[0], "省商务厅协调员"),
    ("city", CITY[0], "市投资促进局协调员"),
    ("hanzhong", SECOND_CITY[0], "汉中市投资促进局协调员"),
)
COUNTY_ACCOUNTS = (  # per county: (username suffix, role, title after the county's name)
    ("manager", "manager", "投资促进局局长"),
    ("staff", "staff", "招商专员"),
    ("staff2", "staff", "招商专员二"),
    ("leader", "leader", "县领导"),
)


@dataclass
class DemoContext:
    """What module demo loaders build on."""

    counties: list[Region]
    users: dict[str, User]  # by username
    today: date
    rng: random.Random
    county_users: dict[int, dict[str, User]] = field(default_factory=dict)  # county id -> role -> user


def demo_usernames() -> list[str]:
    return (
        ["admin"]
        + [username for username, _, _ in COORDINATORS]
        + [f"{slug}_{suffix}" for _, _, slug, _ in COUNTIES for suffix, _, _ in COUNTY_ACCOUNTS]
    )


def demo_password_problem() -> str | None:
    """Why CHAINCRM_DEMO_PASSWORD cannot be every demo account's password (one line, the
    password policy's own words), or None when it can or is not set."""
    password = os.environ.get("CHAINCRM_DEMO_PASSWORD")
    if not password:
        return None
    problem = weakness(password)
    if problem:
        return f"CHAINCRM_DEMO_PASSWORD 不可用：{problem} (demo password refused)"
    for username in demo_usernames():
        problem = weakness(password, username)
        if problem:
            return f"CHAINCRM_DEMO_PASSWORD 不可用于账号 {username}：{problem} (demo password refused)"
    return None


def _password(username: str) -> str:
    chosen = os.environ.get("CHAINCRM_DEMO_PASSWORD")
    if chosen:
        return chosen
    while True:  # a random one may, very rarely, contain the username
        password = secrets.token_urlsafe(9)
        if weakness(password, username) is None:
            return password


def load_demo(today: date | None = None) -> list[tuple[str, str, str, str]] | None:
    """Load the demo data into an empty database and return the accounts
    ``(username, password, role, region)``; return None if data is already there."""
    with system_scope():
        if db.session.execute(select(Region.id).limit(1)).first():
            return None
        province = create_region(*PROVINCE, "province")
        cities = [create_region(code, name, "city", PROVINCE[0]) for code, name in (CITY, SECOND_CITY)]
        counties = [create_region(code, name, "county", city) for code, name, _, city in COUNTIES]
        regions = {region.code: region for region in (province, *cities)}
        accounts, users = [], {}

        def add(username, role, region, display):
            password = _password(username)
            users[username] = create_user(username, password, role, region, display)
            accounts.append((username, password, role, f"{region.code} {region.name}"))

        add("admin", "admin", province, "系统管理员")
        for username, code, title in COORDINATORS:
            add(username, "coordinator", regions[code], title)
        ctx = DemoContext(
            counties=counties, users=users, today=today or clock.today(), rng=random.Random(2260)
        )
        for county, (_, name, slug, _) in zip(counties, COUNTIES):
            for suffix, role, title in COUNTY_ACCOUNTS:
                add(f"{slug}_{suffix}", role, county, f"{name}{title}")
            ctx.county_users[county.id] = {
                suffix: users[f"{slug}_{suffix}"] for suffix, _, _ in COUNTY_ACCOUNTS
            }
        for name in MODULES:
            loader = getattr(importlib.import_module(name), "load_demo", None)
            if loader is not None:
                loader(ctx)
                db.session.flush()
        db.session.commit()
    return accounts
