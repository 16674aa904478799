"""The board's column totals (kept per county between requests) and its cards (one
statement): the same as counting live, fresh after every write, recounting only the
county written to, and never another county's projects."""

from __future__ import annotations

import re

import pytest
from batch_spy import record_batches
from sqlalchemy import update

from crm.core.county_cache import CountyCache
from crm.core.db import db
from crm.projects import board
from crm.projects.models import Project


@pytest.fixture
def counted_batches(monkeypatch):
    """The county ids of every batch of column totals counted (cache misses)."""
    return record_batches(monkeypatch, board, "totals_by_county")


@pytest.fixture
def two_counties(project_maker):
    project_maker.make(name="岐山甲", stage="negotiating", planned_investment_wan="3000")
    project_maker.make(name="岐山乙", stage="negotiating", planned_investment_wan="2000")
    project_maker.make(name="岐山丙", planned_investment_wan="700", source_channel="expo")
    project_maker.make(name="扶风甲", as_user="b_staff", stage="negotiating", planned_investment_wan="40000")
    return project_maker


def _column(page: str, stage: str) -> tuple[str, str, list[str]]:
    """(count, total, card titles) of one column as the board shows it."""
    column = page.split(f'data-testid="column-{stage}"')[1].split("</section>")[0]
    count = re.search(r'data-testid="count-[a-z_]+">(\d+)<', column).group(1)
    total = re.search(r'class="kanban-total">([^<]+)<', column).group(1)
    titles = re.findall(r'class="kanban-card-title[^"]*" href="/projects/\d+">([^<]+)</a>', column)
    return count, total, titles


def _board(client, auth, username, query=""):
    auth.logout()
    auth.login(username)
    return client.get("/projects/board" + query).get_data(as_text=True)


def test_province_board_adds_up_counties_and_a_county_sees_only_its_own(
    two_counties, client, auth, counted_batches
):
    province = _board(client, auth, "prov")
    assert _column(province, "negotiating") == ("3", "45,000.00", ["扶风甲", "岐山乙", "岐山甲"])
    assert counted_batches == [sorted(two_counties.world.ids[c] for c in ("610323", "610324", "610122"))]

    county_a = _board(client, auth, "a_staff")  # its county's totals come from the cache now
    assert _column(county_a, "negotiating") == ("2", "5,000.00", ["岐山乙", "岐山甲"])
    assert "扶风甲" not in county_a
    county_b = _board(client, auth, "b_leader")
    assert _column(county_b, "negotiating") == ("1", "40,000.00", ["扶风甲"])
    assert len(counted_batches) == 1  # both county boards were answered from the province's counts


def test_a_move_recounts_only_its_county(two_counties, client, auth, counted_batches):
    world = two_counties.world
    _board(client, auth, "prov")
    pid = two_counties.make(name="岐山丁", stage="negotiating", planned_investment_wan="100")
    moved = client.post(
        f"/projects/{pid}/move",
        json={"to_stage": "signed", "version": 2, "contract_no": "HT-9", "signed_on": "2025-06-01"},
    )
    assert moved.status_code == 403  # the coordinator reads the province, writes nothing
    auth.logout()
    auth.login("a_staff")
    moved = client.post(
        f"/projects/{pid}/move",
        json={"to_stage": "signed", "version": 2, "contract_no": "HT-9", "signed_on": "2025-06-01"},
    )
    assert moved.json["columns"]["signed"] == {"count": 1, "total": "100.00"}
    counted_batches.clear()
    province = _board(client, auth, "prov")
    assert _column(province, "signed")[:2] == ("1", "100.00")
    assert _column(province, "negotiating")[:2] == ("3", "45,000.00")
    assert counted_batches == []  # county A was recounted by the move's answer; nothing else changed
    two_counties.make(name="扶风乙", as_user="b_staff", planned_investment_wan="5")
    _board(client, auth, "prov")
    assert counted_batches == [[world.ids["610324"]]]


def test_filters_count_live(two_counties, client, auth, counted_batches):
    page = _board(client, auth, "prov", "?source=expo")
    assert _column(page, "lead") == ("1", "700.00", ["岐山丙"])
    assert _column(page, "negotiating")[:2] == ("0", "0.00")
    page = _board(client, auth, "prov", "?min_amount=2500")
    assert _column(page, "negotiating") == ("2", "43,000.00", ["扶风甲", "岐山甲"])
    assert counted_batches == []


def test_a_write_without_audit_row_shows_once_the_entry_is_due(app, two_counties, client, auth):
    """gen-data and raw SQL leave no audit row; the entries' age limit bounds how long
    the board can lag behind them."""
    now = [1000.0]
    app.extensions["county_cache"]["caches"][board.TOTALS_CACHE] = CountyCache(
        max_age=600, settle=0, spread=0, monotonic=lambda: now[0]
    )
    _board(client, auth, "prov")
    with app.app_context(), db.engine.begin() as connection:  # below the session: no audit row
        connection.execute(update(Project).where(Project.name == "岐山丙").values(stage="visited"))
    now[0] += 599
    assert _column(_board(client, auth, "prov"), "lead")[0] == "1"  # still the cached count
    now[0] += 2
    page = _board(client, auth, "prov")
    assert _column(page, "lead")[0] == "0" and _column(page, "visited")[:2] == ("1", "700.00")


def test_no_cache_counts_the_same(app, two_counties, client, auth):
    cached = _board(client, auth, "prov")
    app.config["COUNTY_CACHE_ENTRIES"] = 0
    live = _board(client, auth, "prov")
    for stage in ("lead", "negotiating", "signed"):
        assert _column(live, stage) == _column(cached, stage)


def test_cache_setting_zero_turns_every_county_cache_off(app, two_counties, client, auth):
    kept = app.extensions["county_cache"]["caches"]
    app.config["COUNTY_CACHE_ENTRIES"] = 0
    _board(client, auth, "prov")
    assert client.get("/dashboard").status_code == 200
    assert kept == {}
    app.config["COUNTY_CACHE_ENTRIES"] = 2048
    _board(client, auth, "prov")
    assert client.get("/dashboard").status_code == 200
    assert {"dashboard", board.TOTALS_CACHE} <= set(kept)
