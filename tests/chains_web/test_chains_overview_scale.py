"""The chain overview at scale: cached rows follow every change, pages, constant SQL."""

from __future__ import annotations

import re

import pytest
from batch_spy import record_batches
from chains_web_support import build_small_chain
from page_content import shown_content
from sql_statements import statements_of

from crm.core.db import db
from crm.core.tenancy import system_scope


def leader_rate_cell(page: str, company: str) -> str | None:
    """The local supply rate shown after ``company``'s leader entry on the overview."""
    found = re.search(re.escape(company) + r"（[^）]*）(\d+%)", page)
    return found.group(1) if found else None


def add_chains(app, county_id: int, how_many: int, start: int = 0) -> None:
    with app.app_context(), system_scope():
        for number in range(start, start + how_many):
            build_small_chain(county_id, f"测试链{number:03d}")
        db.session.commit()


def add_local_cathode_firm(app, battery_chains) -> None:
    """A local firm on 正极材料, through the services (so its county gets an audit row)."""
    from chains import services
    from chains.models import Segment

    with app.app_context(), system_scope():
        segment = db.session.get(Segment, battery_chains.segments["正极材料"])
        services.add_firm(segment, company_name="丁正极材料有限公司", role="supporting", presence="local")
        db.session.commit()


def test_cached_row_follows_a_new_local_firm(app, client, auth, battery_chains):
    auth.login("a_leader")
    assert leader_rate_cell(client.get("/chains/").get_data(as_text=True), "甲电池有限公司") == "0%"
    add_local_cathode_firm(app, battery_chains)
    # 电芯's suppliers: 正极材料 now has a local firm, 隔膜 still has none.
    assert leader_rate_cell(client.get("/chains/").get_data(as_text=True), "甲电池有限公司") == "50%"


def test_cached_row_follows_a_company_rename(app, client, auth, battery_chains):
    from sqlalchemy import select

    from crm.companies.models import Company

    auth.login("a_leader")
    assert "甲电池有限公司（电芯）" in client.get("/chains/").get_data(as_text=True)
    with app.app_context(), system_scope():
        company = db.session.execute(select(Company).where(Company.name == "甲电池有限公司")).scalar_one()
        company.name = "甲新能源电池有限公司"
        db.session.commit()
    page = client.get("/chains/").get_data(as_text=True)
    assert "甲新能源电池有限公司（电芯）" in page


def test_overview_pages_and_keeps_its_statement_count_as_chains_grow(app, client, auth, world):
    add_chains(app, world.county_a, 2)
    auth.login("a_leader")
    few = statements_of(app, lambda: client.get("/chains/"))
    add_chains(app, world.county_a, 30, start=2)
    many = statements_of(app, lambda: client.get("/chains/"))
    assert many == few
    page = client.get("/chains/").get_data(as_text=True)
    assert len(re.findall(r'href="/chains/\d+"', page)) == app.config["PER_PAGE"]
    second = client.get("/chains/?page=2").get_data(as_text=True)
    assert len(re.findall(r'href="/chains/\d+"', second)) == 32 - app.config["PER_PAGE"]


class _Clocks:
    """A monotonic clock to move and a wall clock ``ahead`` of real time (so that the
    fixture's audit rows count as settled)."""

    def __init__(self, ahead_seconds: float):
        from datetime import timedelta

        from crm.core.db import utcnow

        self.now = 1000.0
        self.wall = lambda: utcnow() + timedelta(seconds=ahead_seconds)

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def settled_rows(app, monkeypatch):
    """A fresh county cache for the rows whose counties' audit rows are older than
    ``settle``, and a record of the counties whose chains were read (cache misses)."""
    from chains import overview
    from crm.core.county_cache import CountyCache

    clocks = _Clocks(ahead_seconds=120)
    app.extensions["county_cache"]["caches"][overview.CHAIN_ROWS] = CountyCache(
        monotonic=clocks.monotonic, wall=clocks.wall, spread=0
    )
    return clocks, record_batches(monkeypatch, overview, "_county_rows")


def test_unchanged_county_is_not_read_again(app, client, auth, world, battery_chains, settled_rows):
    _clocks, read = settled_rows
    auth.login("prov")
    first = shown_content(client.get("/chains/").get_data(as_text=True))
    assert read == [sorted([world.county_a, world.county_b])]
    assert shown_content(client.get("/chains/").get_data(as_text=True)) == first
    assert len(read) == 1


def test_a_write_rereads_only_its_countys_chains(app, client, auth, world, battery_chains, settled_rows):
    _clocks, read = settled_rows
    auth.login("prov")
    assert leader_rate_cell(client.get("/chains/").get_data(as_text=True), "甲电池有限公司") == "0%"
    add_local_cathode_firm(app, battery_chains)
    assert leader_rate_cell(client.get("/chains/").get_data(as_text=True), "甲电池有限公司") == "50%"
    assert read[1:] == [[world.county_a]]  # county B's rows were kept under its audit version


def test_a_write_without_audit_row_shows_once_the_check_is_due(
    app, client, auth, battery_chains, settled_rows
):
    """Raw SQL and gen-data leave no audit row: ``max_age`` bounds how long a row lags."""
    from sqlalchemy import update

    from chains.models import Segment

    clocks, _read = settled_rows
    auth.login("prov")
    assert "甲电池有限公司（电芯）" in client.get("/chains/").get_data(as_text=True)
    with app.app_context(), system_scope():
        db.session.execute(
            update(Segment).where(Segment.id == battery_chains.segments["电芯"]).values(name="电芯模组")
        )
        db.session.commit()
    clocks.now += 599
    assert "甲电池有限公司（电芯）" in client.get("/chains/").get_data(as_text=True)
    clocks.now += 2
    assert "甲电池有限公司（电芯模组）" in client.get("/chains/").get_data(as_text=True)


def test_without_the_county_cache_the_overview_is_the_same(app, client, auth, battery_chains):
    auth.login("prov")
    client.get("/chains/")
    cached = shown_content(client.get("/chains/").get_data(as_text=True))
    app.config["COUNTY_CACHE_ENTRIES"] = 0
    assert shown_content(client.get("/chains/").get_data(as_text=True)) == cached
