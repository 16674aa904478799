"""Demo projects: each county gets a working pipeline with consistent history.

Records are written directly (under the demo's system scope) but follow the pipeline
rules: every stage from 签约 on has its evidence, dates are in order and none is after
today, each project's stage history walks the path it took, and a local company's credit
code names the county. A bureau should believe them: the investor works in the project's
industry (``PATTERN_PROFILES``), the capital's origin is where the investor is registered,
and the land fits the investment (投资强度 per 亩 in the range the industry shows).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from crm.companies.demo import CITIES, COMPANIES, make_code
from crm.companies.models import Company
from crm.core.db import db
from crm.files.generated import DEMO_NOTE, attach_generated_pdf, chinese_date
from crm.projects.confidential import real_name_visible
from crm.projects.models import PROJECT_KINDS, SOURCE_CHANNELS, STAGES, Project, StageChange
from crm.util.names import normalise_company_name
from crm.util.uscc import make_uscc

# How many demo projects stand at each stage (per county): 62 in all.
STAGE_COUNTS = {
    "lead": 10,
    "contacted": 8,
    "visited": 7,
    "negotiating": 8,
    "signed": 7,
    "registered": 5,
    "started": 6,
    "producing": 5,
    "on_hold": 3,
    "lost": 3,
}
NAME_PATTERNS = (
    ("年产{n}GWh动力电池项目", "新能源汽车", (5, 40)),
    ("年产{n}万套汽车零部件项目", "汽车零部件", (10, 120)),
    ("{n}万吨再生铝项目", "新材料", (5, 30)),
    ("年产{n}台智能装备制造基地项目", "装备制造", (500, 5000)),
    ("{n}MW分布式光伏项目", "新能源", (20, 200)),
    ("年产{n}吨特种钛材项目", "新材料", (1000, 20000)),
    ("年产{n}万吨面制品加工项目", "食品加工", (1, 10)),
    ("{n}万头生猪全产业链项目", "现代农业", (5, 50)),
    ("年产{n}万件智能家居项目", "家居制造", (10, 200)),
    ("{n}万平方米冷链物流园项目", "现代物流", (2, 20)),
    ("年产{n}万吨苹果深加工项目", "食品加工", (1, 8)),
    ("{n}亩中药材种植加工项目", "生物医药", (500, 5000)),
    ("年产{n}套风电装备项目", "新能源", (100, 800)),
    ("年产{n}万吨新型建材项目", "新材料", (10, 100)),
    ("{n}万台电机及控制器项目", "汽车零部件", (5, 60)),
    ("文旅康养综合体项目（一期{n}亩）", "文化旅游", (100, 600)),
)
# For each name pattern: the GB/T 4754 codes an investor in it works under (prefixes), and
# the plausible investment intensity in 万元 per 亩 (industrial land in Shaanxi counties
# asks 150–450; a rooftop solar project needs little land, a pig farm or herb plantation
# a lot). Patterns naming their 亩 take that area; the investment follows from it.
PATTERN_PROFILES = {
    "年产{n}GWh动力电池项目": (("3841", "38", "3612"), (250, 500)),
    "年产{n}万套汽车零部件项目": (("3670", "3612", "39"), (200, 400)),
    "{n}万吨再生铝项目": (("32",), (150, 350)),
    "年产{n}台智能装备制造基地项目": (("34", "35"), (200, 400)),
    "{n}MW分布式光伏项目": (("3825", "44"), (300, 600)),
    "年产{n}吨特种钛材项目": (("32",), (200, 450)),
    "年产{n}万吨面制品加工项目": (("13", "14"), (150, 300)),
    "{n}万头生猪全产业链项目": (("13",), (30, 80)),
    "年产{n}万件智能家居项目": (("38", "39"), (180, 350)),
    "{n}万平方米冷链物流园项目": (("13", "14"), (120, 250)),
    "年产{n}万吨苹果深加工项目": (("14", "15"), (150, 300)),
    "{n}亩中药材种植加工项目": (("27",), (2, 8)),
    "年产{n}套风电装备项目": (("34", "35", "38"), (200, 400)),
    "年产{n}万吨新型建材项目": (("30",), (150, 300)),
    "{n}万台电机及控制器项目": (("38", "3670"), (200, 400)),
    "文旅康养综合体项目（一期{n}亩）": (("61", "70", "78", "90"), (60, 200)),
}
LOST_REASONS = (
    "企业投资计划调整，转投外省",
    "用地指标无法落实",
    "企业资金链紧张，项目取消",
    "竞争地区给出更优条件",
)
LOCAL_BRANDS = (
    "瑞能",
    "秦川",
    "周原",
    "岐丰",
    "凤鸣",
    "华源",
    "嘉禾",
    "恒信",
    "博远",
    "盛邦",
    "新驰",
    "汇通",
    "德润",
    "鼎泰",
    "天成",
    "宏达",
    "正和",
    "益康",
    "安泰",
    "启明",
)


def _investors() -> list[Company]:
    """Every company the demo knows (the companies demo's firms; made here when the
    projects demo runs alone)."""
    companies = list(db.session.execute(select(Company).order_by(Company.id)).scalars())
    if companies:
        return companies
    for seed, (name, region, industry, _size, tags) in enumerate(COMPANIES, start=1):
        company = Company(
            name=name,
            name_key=normalise_company_name(name),
            uscc=make_code(region, seed),
            industry_code=industry,
            headquarters=CITIES[region],
            tags=tags,
        )
        db.session.add(company)
        companies.append(company)
    db.session.flush()
    return companies


def investors_for(pattern: str, investors: list[Company]) -> list[Company]:
    """The companies that could invest in a project of this pattern: those whose industry
    code starts with one of the pattern's (all of them if none does)."""
    prefixes = PATTERN_PROFILES[pattern][0]
    fitting = [c for c in investors if c.industry_code and c.industry_code.startswith(prefixes)]
    return fitting or investors


def capital_origin(investor: Company, county) -> str | None:
    """Where the money comes from, as the statistics count it, from the division part of the
    investor's credit code: another province, another city of the province, another county
    of the city; none when the investor is registered in the county itself.

    >>> from types import SimpleNamespace as NS
    >>> county = NS(code="610323")
    >>> [capital_origin(NS(uscc=f"91{code}MA0000000X"), county) for code in ("310000", "610100", "610300", "610323")]
    ['out_of_province', 'in_province', 'in_city', None]
    """
    division = (investor.uscc or "")[2:8]
    if division == county.code:
        return None
    if division[:4] == county.code[:4]:
        return "in_city"
    if division[:2] == county.code[:2]:
        return "in_province"
    return "out_of_province"


def size_of(pattern: str, n: int, rng) -> tuple[Decimal, Decimal]:
    """(planned investment in 万元, land in 亩) at an intensity the industry shows. A
    pattern naming its 亩 takes that area; otherwise the land follows the investment."""
    low, high = PATTERN_PROFILES[pattern][1]
    intensity = Decimal(rng.randint(low, high))
    if "亩" in pattern:
        land = Decimal(n)
        return (land * intensity / 100).quantize(Decimal("1")) * 100, land
    amount = Decimal(rng.choice((3000, 5000, 8000, 12000, 20000, 35000, 50000, 80000, 120000, 200000)))
    return amount, max(Decimal(5), (amount / intensity).quantize(Decimal("1")))


def _local_company(county, index: int, industry: str) -> Company:
    seed = 700_000 + int(county.code) % 1000 * 100 + index
    uscc = make_uscc(county.code, seed)
    existing = db.session.execute(select(Company).where(Company.uscc == uscc)).scalar_one_or_none()
    if existing is not None:
        return existing
    name = f"{county.name[:2]}{LOCAL_BRANDS[index % len(LOCAL_BRANDS)]}{industry[:2]}科技有限公司"
    if index >= len(LOCAL_BRANDS):
        name = name.replace("科技", f"{index // len(LOCAL_BRANDS) + 1}号科技")
    company = Company(
        name=name,
        name_key=normalise_company_name(name),
        uscc=uscc,
        tags=[],
        headquarters=county.name,
        created_by_county_id=county.id,
    )
    db.session.add(company)
    db.session.flush()
    return company


def at_time(day: date, rng) -> datetime:
    return datetime.combine(day, time(hour=rng.randint(1, 9), minute=rng.randint(0, 59)))


def _between(rng, start: date, end: date, low: float, high: float) -> date:
    span = max((end - start).days, 0)
    return start + timedelta(days=int(span * rng.uniform(low, high)))


def plan_history(stage: str, rng, today: date) -> dict:
    """Dates for a project standing at ``stage``; returns the path stages it went through."""
    held = stage
    if stage in ("on_hold", "lost"):
        held = rng.choice(("contacted", "visited", "negotiating", "negotiating", "signed"))
    reach = STAGES.index(held)
    earliest = {0: 40, 1: 80, 2: 120, 3: 160, 4: 250, 5: 330, 6: 420, 7: 560}[reach]
    first_contact = today - timedelta(days=rng.randint(earliest, earliest + 200))
    dates = {"first_contact_on": first_contact}
    if reach >= 4:
        dates["signed_on"] = _between(rng, first_contact, today, 0.35, 0.55 if reach > 4 else 0.95)
    if reach >= 5:
        dates["registered_on"] = _between(rng, dates["signed_on"], today, 0.05, 0.2)
    if reach >= 6:
        dates["construction_started_on"] = _between(rng, dates["registered_on"], today, 0.1, 0.3)
    if reach >= 7:
        dates["production_started_on"] = _between(rng, dates["construction_started_on"], today, 0.4, 0.9)
    # Courting stages are spread between the first contact and the signing (or today).
    courting_end = dates.get("signed_on", today - timedelta(days=rng.randint(1, 30)))
    reached = {"lead": first_contact}
    for i, step in enumerate(("contacted", "visited", "negotiating")[: max(reach, 0)], start=1):
        reached[step] = _between(rng, first_contact, courting_end, 0.2 * i, 0.25 * i)
    for step, key in (
        ("signed", "signed_on"),
        ("registered", "registered_on"),
        ("started", "construction_started_on"),
        ("producing", "production_started_on"),
    ):
        if key in dates:
            reached[step] = dates[key]
    path = [s for s in STAGES[: reach + 1]]
    # Real pipelines skip stages now and then (a visit straight to signing).
    if reach >= 4 and rng.random() < 0.3:
        path.remove("visited")
    off_day = None
    if stage != held:
        off_day = min(today, reached[held] + timedelta(days=rng.randint(10, 90)))
    return {"dates": dates, "path": path, "reached": reached, "off_day": off_day}


def _unique_name(pattern: str, n: int, used: set[str]) -> tuple[str, int]:
    """``pattern`` filled with ``n``, or the next number not yet used, and that number: two
    demo projects never share a name (a confidential project's name must not be another
    project's)."""
    while (name := pattern.format(n=n)) in used:
        n += 1
    used.add(name)
    return name, n


def load_demo(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    investors = _investors()
    used_names: set[str] = set()
    for county_number, county in enumerate(ctx.counties):
        people = ctx.county_users[county.id]
        owners = [people["staff"], people["staff"], people["staff2"], people["manager"]]
        local_index = 0
        number = 0
        for stage, how_many in STAGE_COUNTS.items():
            for _ in range(how_many):
                number += 1
                pattern, industry, (low, high) = NAME_PATTERNS[rng.randrange(len(NAME_PATTERNS))]
                plan = plan_history(stage, rng, today)
                name, n = _unique_name(pattern, rng.randint(low, high), used_names)
                amount, land = size_of(pattern, n, rng)
                investor = rng.choice(investors_for(pattern, investors))
                project = Project(
                    county_id=county.id,
                    name=name,
                    industry=industry,
                    investor_company=investor,
                    kind=rng.choice(list(PROJECT_KINDS)),
                    source_channel=rng.choice(list(SOURCE_CHANNELS)),
                    owner=rng.choice(owners),
                    responsible_unit=rng.choice(
                        (
                            f"{county.name}投资促进局",
                            f"{county.name}经济技术开发区管委会",
                            f"{county.name}工业和信息化局",
                        )
                    ),
                    leader_in_charge=rng.choice(("县委书记", "县长", "常务副县长", "分管副县长")),
                    planned_investment_wan=amount,
                    fixed_asset_investment_wan=(amount * Decimal("0.7")).quantize(Decimal("1")),
                    expected_annual_output_wan=(amount * Decimal(rng.choice(("0.8", "1.2", "1.5")))).quantize(
                        Decimal("1")
                    ),
                    expected_annual_tax_wan=(amount * Decimal("0.05")).quantize(Decimal("1")),
                    expected_jobs=rng.randint(30, 1200),
                    land_mu=land,
                    capital_origin=capital_origin(investor, county),
                    stage=stage,
                    **plan["dates"],
                )
                if STAGES.index(plan["path"][-1]) >= 4:
                    project.contract_no = f"{county.code}-{plan['dates']['signed_on'].year}-{number:03d}"
                if STAGES.index(plan["path"][-1]) >= 5:
                    project.local_company = _local_company(county, local_index, industry)
                    local_index += 1
                if stage == "lost":
                    project.lost_reason = rng.choice(LOST_REASONS)
                if stage not in ("lost", "producing"):
                    # A few officers are behind on their follow-ups.
                    offset = rng.randint(-20, -1) if number % 9 == 0 else rng.randint(1, 45)
                    project.next_follow_up_on = today + timedelta(days=offset)
                if number % 20 == 3:
                    project.code_name = f"{county.name[:2]}-{2024 + county_number}-{number:02d}号项目"
                db.session.add(project)
                db.session.flush()
                last_at = _add_history(project, plan, people, rng)
                project.created_at = at_time(plan["reached"]["lead"], rng)
                project.updated_at = last_at
        db.session.flush()
    _attach_contracts(ctx)


def first_on_open_project(statement):
    """The first record ``statement`` (a select joined to its Project, ordered) finds on a project
    that is not confidential, or None: a demo document names its project."""
    return db.session.execute(statement.where(real_name_visible(None)).limit(1)).scalar_one_or_none()


def investor_name(project: Project) -> str:
    """The investor's name as a demo document prints it: blank when the project names none."""
    return project.investor_company.name if project.investor_company else ""


def _attach_contracts(ctx) -> None:
    """The signed contract's first page (合同, a generated PDF) on each county's first signed
    project that is not confidential, uploaded by its owner."""
    for county in ctx.counties:
        project = first_on_open_project(
            select(Project)
            .where(
                Project.county_id == county.id,
                Project.stage == "signed",
                Project.contract_no.is_not(None),
            )
            .order_by(Project.id)
        )
        if project is None:
            continue
        attach_generated_pdf(
            "project",
            project,
            kind="contract",
            filename=f"{project.contract_no} 投资合作协议.pdf",
            title="投资合作协议",
            lines=[
                f"合同编号：{project.contract_no}",
                f"甲方：{county.name}人民政府",
                f"乙方：{investor_name(project)}",
                f"项目名称：{project.name}",
                f"计划总投资：{project.planned_investment_wan} 万元",
                f"签约日期：{chinese_date(project.signed_on)}",
                DEMO_NOTE,
            ],
            by=project.owner,
        )


def history_rows(
    plan: dict, stage: str, owner_id: int, manager_id: int, rng, off_note: str | None
) -> tuple[list[dict], datetime]:
    """The stage_changes values (without project and county) of a project standing at
    ``stage`` that went through ``plan``, and when the last change happened. The manager
    signs; the owner moves every other stage."""
    rows: list[dict] = []
    previous = changed_at = None
    for step in plan["path"]:
        day = plan["reached"][step]
        changed_at = at_time(day, rng)
        rows.append(
            {
                "from_stage": previous,
                "to_stage": step,
                "changed_at": changed_at,
                "reached_on": day,
                "changed_by_id": manager_id if step == "signed" else owner_id,
                "note": None,
            }
        )
        previous = step
    if plan["off_day"] is not None:
        changed_at = at_time(plan["off_day"], rng)
        rows.append(
            {
                "from_stage": previous,
                "to_stage": stage,
                "changed_at": changed_at,
                "reached_on": plan["off_day"],
                "changed_by_id": owner_id,
                "note": off_note,
            }
        )
    return rows, changed_at


def _add_history(project: Project, plan: dict, people: dict, rng) -> datetime:
    off_note = project.lost_reason if project.stage == "lost" else "企业暂缓投资决策，待明年再议"
    rows, last_at = history_rows(plan, project.stage, project.owner.id, people["manager"].id, rng, off_note)
    for row in rows:
        db.session.add(StageChange(project_id=project.id, county_id=project.county_id, **row))
    return last_at
