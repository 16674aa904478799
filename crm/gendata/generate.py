"""Generate a synthetic province: the service behind ``chaincrm gen-data``.

Everything is written in one transaction with multi-row INSERTs (``BulkWriter``), so a
failure leaves the database as it was, and rows already there are never touched. The
rows bypass the ORM, hence the audit log: synthetic data has no edit history.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, select

from crm.core.db import db, utcnow
from crm.gendata import firms, pipeline, promises
from crm.gendata.province import MAX_COUNTIES, Province, free_prefix, write_province
from crm.gendata.writer import BulkWriter

PER_COUNTY = {"companies": 1_000, "projects": 500, "activities": 5_000}
CHAINS_PER_COUNTY = 3
FIRMS_PER_SEGMENT = 2


class DatabaseNotEmpty(Exception):
    """The database holds data and ``force`` was not given."""


@dataclass
class GenerationResult:
    province: Province
    counts: dict[str, int]
    seconds: float


def scaled(base: int, scale: float) -> int:
    """``base`` rows times ``scale``, at least one.

    >>> scaled(500, 1), scaled(500, 10), scaled(500, 0.001)
    (500, 5000, 1)
    """
    return max(1, round(base * scale))


def generate(
    engine: Engine,
    *,
    counties: int,
    scale: float,
    password_hash: str,
    seed: int = 1,
    force: bool = False,
    today: date,
    progress=None,
) -> GenerationResult:
    """Write a province of ``counties`` counties at ``scale`` into ``engine``'s database.

    Raises ``DatabaseNotEmpty`` when regions exist and ``force`` is false, and
    ``ValueError`` for a county count or scale out of range; nothing is written then.
    """
    if not 1 <= counties <= MAX_COUNTIES:
        raise ValueError(f"--counties 应在 1 到 {MAX_COUNTIES} 之间")
    if not 0 < scale <= 100:
        raise ValueError("--scale 应大于 0 且不超过 100")
    tables = db.metadata.tables
    started = time.perf_counter()
    rng = random.Random(seed)
    now = utcnow().replace(microsecond=0)
    with engine.begin() as connection:
        if connection.execute(select(tables["regions"].c.id).limit(1)).first() is not None and not force:
            raise DatabaseNotEmpty(
                "数据库中已有数据；如确需在其旁生成模拟数据，请加 --force（已有数据不会被改动）"
            )
        writer = BulkWriter(connection, tables)
        prefix = free_prefix(connection, tables["regions"])
        province = write_province(writer, prefix, counties, password_hash, now)
        province_policies = promises.write_policies(writer, province.id, "模拟省", today, now)
        used_usccs: set[str] = set(
            connection.execute(
                select(tables["companies"].c.uscc).where(tables["companies"].c.uscc.is_not(None))
            ).scalars()
        )
        for number, county in enumerate(province.counties, start=1):
            county_firms = firms.write_companies(
                writer, county, scaled(PER_COUNTY["companies"], scale), rng, now, used_usccs
            )
            firms.write_chains(
                writer,
                county,
                county_firms,
                CHAINS_PER_COUNTY,
                max(1, round(FIRMS_PER_SEGMENT * scale)),
                rng,
                now,
            )
            projects = pipeline.write_projects(
                writer, county, county_firms, scaled(PER_COUNTY["projects"], scale), rng, today
            )
            firms.write_contacts(writer, county, sorted({p.investor_id for p in projects}), rng, now)
            pipeline.write_activities(
                writer,
                county,
                projects,
                county_firms,
                scaled(PER_COUNTY["activities"], scale),
                rng,
                today,
                now,
            )
            ledger = promises.CountyPromises(writer, county, projects, rng, today, now)
            ledger.write_funds()
            county_policies = promises.write_policies(writer, county.id, county.name, today, now)
            ledger.write_commitments(county_policies + province_policies[:1])
            ledger.write_referrals()
            ledger.write_reward_rule()
            if progress is not None:
                progress(number, len(province.counties))
        writer.finish()
    return GenerationResult(
        province=province, counts=dict(writer.counts), seconds=time.perf_counter() - started
    )
