"""Synthetic companies, contacts and chain maps of one county.

A county's companies are a tenth outside investors (groups with tags and a headquarters
elsewhere) and the rest local or regional firms; three chains come from the built-in
templates, with firms placed on segments as leaders, supporting and service firms.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from chains.catalog import TEMPLATE_KEYS, load_template
from crm.companies.models import COMPANY_SIZES, COMPANY_TAGS
from crm.gendata.province import County
from crm.gendata.writer import BulkWriter
from crm.projects.demo import LOCAL_BRANDS
from crm.util.names import normalise_company_name
from crm.util.uscc import make_uscc

BRANDS = LOCAL_BRANDS + ("中科", "远航", "海川", "金石", "聚力", "同创")
TRADES = (
    ("新能源", "4416"),
    ("汽车零部件", "3670"),
    ("新材料", "3985"),
    ("智能装备", "3499"),
    ("光伏", "3825"),
    ("生物医药", "2720"),
    ("食品", "1391"),
    ("电子", "3972"),
    ("物流", "5990"),
    ("建材", "3021"),
    ("农业", "0141"),
    ("文旅", "9030"),
)
FORMS = ("科技有限公司", "股份有限公司", "实业有限公司", "制造有限公司", "集团有限公司", "发展有限公司")
HEADQUARTERS = (
    "北京",
    "上海",
    "深圳",
    "杭州",
    "苏州",
    "西安",
    "成都",
    "武汉",
    "宁波",
    "合肥",
    "广州",
    "天津",
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ("建国", "秀梅", "志强", "海燕", "伟", "静", "磊", "敏", "军", "丽", "涛", "婷", "斌", "洁")
TITLES = ("董事长", "总经理", "投资总监", "副总裁", "战略发展部经理", "行政总监")
INVESTOR_SHARE = 10  # one company in ten is an outside investor
ROLE_WEIGHTS = {"leader": 1, "supporting": 4, "service": 1}
PRESENCE_WEIGHTS = {"local": 5, "target": 3, "external": 2}


@dataclass
class CountyFirms:
    company_ids: list[int]
    investor_ids: list[int]
    local_ids: list[int]
    # chain id -> list of (segment id, importance)
    segments: dict[int, list[tuple[int, str]]] = field(default_factory=dict)


def write_companies(
    writer: BulkWriter, county: County, count: int, rng: random.Random, now: datetime, used_usccs: set[str]
) -> CountyFirms:
    investors, locals_ = [], []
    names: set[str] = set()
    for number in range(count):
        trade, industry_code = TRADES[rng.randrange(len(TRADES))]
        is_investor = number % INVESTOR_SHARE == 0
        place = HEADQUARTERS[rng.randrange(len(HEADQUARTERS))] if is_investor else county.name[:2]
        for _attempt in range(5):
            brand = BRANDS[rng.randrange(len(BRANDS))][0] + BRANDS[rng.randrange(len(BRANDS))][1]
            name = f"{place}{brand}{trade}{FORMS[rng.randrange(len(FORMS))]}"
            if name not in names:
                break
        else:
            name = name.replace("有限公司", f"第{number}分公司")
        names.add(name)
        if is_investor:
            tags = rng.sample(COMPANY_TAGS, rng.randint(1, 2))
            size = rng.choice(("large", "medium"))
        else:
            place = county.name
            tags = ["专精特新"] if rng.random() < 0.05 else []
            size = COMPANY_SIZES[rng.randrange(len(COMPANY_SIZES))]
        uscc = make_uscc(county.code, rng.getrandbits(40))
        while uscc in used_usccs:
            uscc = make_uscc(county.code, rng.getrandbits(40))
        used_usccs.add(uscc)
        row = writer.add(
            "companies",
            {
                "name": name,
                "name_key": normalise_company_name(name),
                "uscc": uscc,
                "industry_code": industry_code,
                "headquarters": place,
                "size": size,
                "tags": tags,
                "website": None,
                "description": None,
                "created_by_county_id": county.id,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            },
        )
        (investors if is_investor else locals_).append(row["id"])
    return CountyFirms(company_ids=investors + locals_, investor_ids=investors, local_ids=locals_)


def write_contacts(
    writer: BulkWriter, county: County, company_ids: list[int], rng: random.Random, now: datetime
) -> None:
    for company_id in company_ids:
        writer.add(
            "contacts",
            {
                "company_id": company_id,
                "county_id": county.id,
                "name": SURNAMES[rng.randrange(len(SURNAMES))] + GIVEN[rng.randrange(len(GIVEN))],
                "title": TITLES[rng.randrange(len(TITLES))],
                "phone": f"1{rng.randint(3, 9)}{rng.randint(0, 10**9 - 1):09d}",
                "email": None,
                "wechat": None,
                "note": None,
                "created_by_id": county.staff_ids[0],
                "version": 1,
                "created_at": now,
                "updated_at": now,
            },
        )


def write_chains(
    writer: BulkWriter,
    county: County,
    firms: CountyFirms,
    chain_count: int,
    firms_per_segment: int,
    rng: random.Random,
    now: datetime,
) -> None:
    """Write ``chain_count`` chains from the templates, each segment holding about
    ``firms_per_segment`` firms (fewer on some, none on a few: those are the gaps)."""
    first_template = rng.randrange(len(TEMPLATE_KEYS))
    roles, role_weights = list(ROLE_WEIGHTS), list(ROLE_WEIGHTS.values())
    presences, presence_weights = list(PRESENCE_WEIGHTS), list(PRESENCE_WEIGHTS.values())
    for number in range(chain_count):
        key = TEMPLATE_KEYS[(first_template + number) % len(TEMPLATE_KEYS)]
        doc = load_template(key)
        chain_id = writer.add(
            "chains",
            {
                "name": f"{doc['name']}产业链"
                if number < len(TEMPLATE_KEYS)
                else f"{doc['name']}产业链{number}",
                "leader_official": rng.choice(("县长", "常务副县长", "分管副县长")),
                "description": doc.get("description"),
                "template_key": key,
                "county_id": county.id,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            },
        )["id"]
        ids: dict[str, int] = {}
        chain_segments = []
        # Parents come before their children in a template, so the parent id is known.
        for segment in doc["segments"]:
            ids[segment["name"]] = writer.add(
                "chain_segments",
                {
                    "chain_id": chain_id,
                    "name": segment["name"],
                    "stage": segment["stage"],
                    "importance": segment.get("importance", "general"),
                    "parent_id": ids.get(segment.get("parent")) if segment.get("parent") else None,
                    "sort_order": segment.get("order", 0),
                    "county_id": county.id,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                },
            )["id"]
            chain_segments.append((ids[segment["name"]], segment.get("importance", "general")))
        for supplier, consumer in doc.get("links", []):
            writer.add(
                "chain_segment_links",
                {
                    "chain_id": chain_id,
                    "supplier_id": ids[supplier],
                    "consumer_id": ids[consumer],
                    "county_id": county.id,
                    "created_at": now,
                    "updated_at": now,
                },
            )
        firms.segments[chain_id] = chain_segments
        for segment_id, _importance in chain_segments:
            # About one segment in six is a gap: no local firm at all.
            how_many = 0 if rng.random() < 0.15 else rng.randint(1, max(1, 2 * firms_per_segment - 1))
            for company_id in rng.sample(firms.company_ids, min(how_many, len(firms.company_ids))):
                writer.add(
                    "chain_firms",
                    {
                        "chain_id": chain_id,
                        "segment_id": segment_id,
                        "company_id": company_id,
                        "role": rng.choices(roles, role_weights)[0],
                        "presence": rng.choices(presences, presence_weights)[0],
                        "note": None,
                        "county_id": county.id,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    },
                )
