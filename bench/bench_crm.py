"""Benchmark of the CRM pages on SQLite: list, board, detail and dashboard.

Builds one county at 1× (2,000 projects, 20,000 activities) and at 10× (20,000 projects,
200,000 activities), then times each page through the test client and counts the SQL
statements one request sends. The target (issue 3): every median under 150 ms at 10×,
and the same number of statements at 1× and 10×. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_crm.py            # both sizes
    .venv/bin/python bench/bench_crm.py --scale 1  # only 1×
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import event, insert, select  # noqa: E402

from crm import create_app  # noqa: E402
from crm.core.db import db  # noqa: E402

PROJECTS_PER_SCALE = 2_000
ACTIVITIES_PER_PROJECT = 10
STAGE_WEIGHTS = {
    "lead": 25,
    "contacted": 15,
    "visited": 12,
    "negotiating": 12,
    "signed": 10,
    "registered": 7,
    "started": 7,
    "producing": 6,
    "on_hold": 3,
    "lost": 3,
}
PASSWORD = "bench-password-1"


def build(app, scale: int, rng: random.Random) -> dict:
    """Fill an empty database; returns ids the timed requests use."""
    from crm.activities.models import Activity
    from crm.auth.services import create_user
    from crm.companies.models import Company
    from crm.core.tenancy import system_scope
    from crm.projects.models import Project, StageChange
    from crm.regions.services import create_region
    from crm.util.uscc import make_uscc

    today = date.today()
    now = datetime.now()
    with app.test_request_context(), system_scope():
        db.create_all()
        create_region("610000", "陕西省", "province")
        create_region("610300", "宝鸡市", "city", "610000")
        county = create_region("610323", "岐山县", "county", "610300")
        staff = [create_user(f"staff{i}", PASSWORD, "staff", county, f"专员{i}") for i in range(8)]
        create_user("manager", PASSWORD, "manager", county, "局长")
        db.session.commit()
        county_id, staff_ids = county.id, [u.id for u in staff]

    with app.app_context():
        engine = db.engine
        with engine.begin() as conn:
            conn.execute(
                insert(Company.__table__),
                [
                    {
                        "name": f"基准测试企业{i}有限公司",
                        "name_key": f"基准测试企业{i}",
                        "uscc": make_uscc("610300", i),
                        "tags": [],
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in range(500)
                ],
            )
            company_ids = [row[0] for row in conn.execute(select(Company.__table__.c.id))]
            stages = list(STAGE_WEIGHTS)
            weights = list(STAGE_WEIGHTS.values())
            projects, changes = [], []
            for i in range(PROJECTS_PER_SCALE * scale):
                stage = rng.choices(stages, weights)[0]
                signed = today - timedelta(days=rng.randint(30, 700))
                landed = stage in ("signed", "registered", "started", "producing")
                updated = now - timedelta(minutes=rng.randint(0, 500_000))
                projects.append(
                    {
                        "county_id": county_id,
                        "name": f"年产{rng.randint(1, 99)}万吨新材料项目{i}",
                        "investor_company_id": rng.choice(company_ids),
                        "kind": "new",
                        "source_channel": "expo",
                        "owner_id": rng.choice(staff_ids),
                        "stage": stage,
                        "planned_investment_wan": Decimal(rng.randint(100, 200_000)),
                        "signed_on": signed if landed else None,
                        "contract_no": f"HT-{i}" if landed else None,
                        "next_follow_up_on": today + timedelta(days=rng.randint(-30, 60)),
                        "version": 1,
                        "created_at": updated,
                        "updated_at": updated,
                    }
                )
            conn.execute(insert(Project.__table__), projects)
            project_ids = [row[0] for row in conn.execute(select(Project.__table__.c.id))]
            for pid, project in zip(project_ids, projects):
                changes.append(
                    {
                        "county_id": county_id,
                        "project_id": pid,
                        "from_stage": None,
                        "to_stage": "lead",
                        "changed_at": project["created_at"],
                        "reached_on": project["created_at"].date(),
                    }
                )
                if project["stage"] != "lead":
                    changes.append(
                        {
                            "county_id": county_id,
                            "project_id": pid,
                            "from_stage": "lead",
                            "to_stage": project["stage"],
                            "changed_at": project["updated_at"],
                            "reached_on": project["updated_at"].date(),
                        }
                    )
            conn.execute(insert(StageChange.__table__), changes)
            batch = []
            for n in range(len(project_ids) * ACTIVITIES_PER_PROJECT):
                day = today - timedelta(days=rng.randint(0, 700))
                batch.append(
                    {
                        "county_id": county_id,
                        "project_id": rng.choice(project_ids),
                        "kind": "visit",
                        "occurred_on": day,
                        "subject": f"拜访企业 {n}",
                        "version": 1,
                        "next_follow_up_on": day + timedelta(days=14) if n % 7 == 0 else None,
                        "created_by_id": rng.choice(staff_ids),
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                if len(batch) == 20_000:
                    conn.execute(insert(Activity.__table__), batch)
                    batch = []
            if batch:
                conn.execute(insert(Activity.__table__), batch)
        return {"project_ids": project_ids}


class StatementCounter:
    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, *args, **kwargs):
        self.count += 1


def measure(app, ids: dict, rounds: int, rng: random.Random) -> dict[str, tuple[float, int]]:
    pages = {
        "list": "/projects",
        "list (filtered, sorted)": "/projects?source=expo&sort=amount&min_amount=1000&page=3",
        "board": "/projects/board",
    }
    detail_ids = rng.sample(ids["project_ids"], rounds + 2)
    if "dashboard.index" in app.view_functions:
        pages["dashboard"] = "/dashboard"
    client = app.test_client()
    response = client.post("/login", data={"username": "staff0", "password": PASSWORD})
    assert response.status_code == 302, "login failed"
    with app.app_context():
        counter = StatementCounter(db.engine)
    results = {}

    def timed(url):
        counter.count = 0
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return elapsed, counter.count

    for name, url in pages.items():
        timed(url)  # warm caches (templates, statement cache)
        samples = [timed(url) for _ in range(rounds)]
        results[name] = (statistics.median(s[0] for s in samples), max(s[1] for s in samples))
    timed(f"/projects/{detail_ids[-1]}")
    samples = [timed(f"/projects/{pid}") for pid in detail_ids[:rounds]]
    results["detail"] = (statistics.median(s[0] for s in samples), max(s[1] for s in samples))
    return results


def run(scale: int, rounds: int) -> dict[str, tuple[float, int]]:
    rng = random.Random(scale)
    with tempfile.TemporaryDirectory() as folder:
        url = "sqlite:///" + os.path.join(folder, "bench.sqlite")
        app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "bench"})
        started = time.perf_counter()
        ids = build(app, scale, rng)
        print(
            f"{scale:>3}×: {PROJECTS_PER_SCALE * scale:,} projects, "
            f"{PROJECTS_PER_SCALE * scale * ACTIVITIES_PER_PROJECT:,} activities "
            f"built in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        results = measure(app, ids, rounds, rng)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, action="append", help="1 and/or 10 (default: both)")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    scales = args.scale or [1, 10]
    table = {scale: run(scale, args.rounds) for scale in scales}
    print()
    header = f"{'page':<26}" + "".join(f"{f'{s}× median ms':>16}{f'{s}× SQL':>9}" for s in scales)
    print(header)
    print("-" * len(header))
    for page in table[scales[0]]:
        cells = "".join(f"{table[s][page][0]:>16.1f}{table[s][page][1]:>9}" for s in scales)
        print(f"{page:<26}{cells}")


if __name__ == "__main__":
    main()
