"""``chaincrm serve`` fills the county caches before it listens (crm/core/warmup.py): the
first dashboard, chain overview and referrals page after a start compute nothing, the dashboard is served
once to the widest reader without writing anything, a failing warmer is reported and
skipped, and the server still starts. No timings."""

from __future__ import annotations

import pytest
from batch_spy import record_batches
from sqlalchemy import func, select

import chains.overview as overview
from crm.core import warmup
from crm.core.db import Base, db
from crm.core.tenancy import system_scope
from crm.core.warmup import register_warmer, warm_caches
from crm.dashboard import figures
from crm.rewards import queries as reward_queries

WARMERS = {"dashboard", "dashboard page", "chain overview", "referrals order"}


@pytest.fixture
def cache_misses(monkeypatch):
    """County batches computed by the dashboard and the chain overview (cache misses)."""
    return {
        "dashboard": record_batches(monkeypatch, figures, "compute_county_parts"),
        "chain overview": record_batches(monkeypatch, overview, "_county_rows"),
        "referrals order": record_batches(monkeypatch, reward_queries, "_referrals_by_project_name"),
    }


def test_first_dashboard_and_overview_after_warm_up_compute_nothing(app, client, auth, world, cache_misses):
    from chains_web.chains_web_support import build_small_chain

    with app.app_context(), system_scope():
        build_small_chain(world.county_a)
        build_small_chain(world.county_b, "扶风电池")
        db.session.commit()
    reports: list[str] = []
    done = warm_caches(app, report=reports.append)
    assert set(done) == WARMERS and reports == []
    # Both counties at once: what the start computed, and nothing since.
    assert len(cache_misses["dashboard"]) == 1 and {world.county_a, world.county_b} <= set(
        cache_misses["dashboard"][0]
    )
    assert cache_misses["chain overview"] == [sorted([world.county_a, world.county_b])]
    auth.login("a_leader")
    assert client.get("/dashboard").status_code == 200
    page = client.get("/chains/")
    assert page.status_code == 200 and "动力电池" in page.get_data(as_text=True)
    assert len(cache_misses["dashboard"]) == 1 and len(cache_misses["chain overview"]) == 1
    assert len(cache_misses["referrals order"]) == 1
    assert {world.county_a, world.county_b} <= set(cache_misses["referrals order"][0])
    assert client.get("/rewards/referrals").status_code == 200
    assert len(cache_misses["referrals order"]) == 1


def _row_counts(app) -> dict[str, int]:
    with app.app_context(), system_scope():
        return {
            t.name: db.session.execute(select(func.count()).select_from(t)).scalar_one()
            for t in Base.metadata.sorted_tables
        }


def test_the_dashboard_is_served_once_to_the_widest_reader_and_nothing_is_written(app, world, monkeypatch):
    served = []

    def watched(app_, endpoint, user):
        status = rehearse(app_, endpoint, user)
        served.append((endpoint, user.username, status))
        return status

    rehearse = warmup.rehearse
    monkeypatch.setattr(warmup, "rehearse", watched)
    before = _row_counts(app)
    warm_caches(app, report=lambda text: pytest.fail(text))
    # The province's coordinator reads every county: the page is theirs, as they would see it.
    assert served == [("dashboard.index", "prov", 200)]
    assert _row_counts(app) == before
    # What the first visitor would have compiled is compiled.
    loaded = {key[1] for key in app.jinja_env.cache.keys()}
    assert {"dashboard/index.html", "base.html"} <= loaded


def test_a_failing_warmer_is_reported_and_the_others_still_run(app, world, cache_misses):
    def broken(deadline):
        raise RuntimeError("no such table")

    register_warmer(app, "broken", broken)
    reports: list[str] = []
    done = warm_caches(app, report=reports.append)
    assert set(done) == WARMERS
    assert len(reports) == 1 and "broken" in reports[0] and "no such table" in reports[0]


def test_warm_up_stops_starting_warmers_after_its_budget(app, world, cache_misses):
    reports: list[str] = []
    assert warm_caches(app, budget=-1, report=reports.append) == {}
    assert cache_misses["dashboard"] == [] and "stopped" in reports[0]


def test_serve_offers_to_skip_the_warm_up(app):
    result = app.test_cli_runner().invoke(args=["serve", "--help"])
    assert result.exit_code == 0 and "--no-warm" in result.output
