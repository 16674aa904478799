"""The county cache (crm/core/county_cache.py) under the dashboard: same figures as without it,
never stale after a write, recomputes only the county written to, and never hands a
county's figures to a user who may not read that county. No timings."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from batch_spy import record_batches
from record_support import user_named
from sql_statements import counted_statements
from sqlalchemy import select, update

from crm.auth.models import User
from crm.core.county_cache import CountyCache, Version
from crm.core.db import db
from crm.core.session import TenantScope, TenantScopeError
from crm.core.tenancy import set_scope, system_scope
from crm.dashboard import figures
from crm.dashboard.services import build_dashboard, figures_json
from crm.funds.models import FundsRecord
from crm.funds.services import create_funds
from crm.projects.models import Project
from crm.projects.pipeline import move_stage

TODAY = date(2026, 3, 31)
API = "/api/v1/dashboard"


@pytest.fixture
def computed_batches(monkeypatch):
    """Records the county ids of every batch of figures computed (cache misses)."""
    return record_batches(monkeypatch, figures, "compute_county_parts")


def _ids(world, *codes):
    return sorted(world.ids[code] for code in codes)


def _everything(d):
    """All a dashboard shows, comparable."""
    return (figures_json(d), d.median_days, d.funds_by_month, d.funnel, [tuple(row) for row in d.overdue])


def _kept(app, kind="dashboard"):
    """How many counties' figures of ``kind`` the county cache keeps."""
    return len(app.extensions["county_cache"]["caches"].get(kind, ()))


@pytest.mark.parametrize("codes", [("610323",), ("610323", "610324", "610122")])
def test_cached_figures_equal_uncached(app, dashboard_three_counties, computed_batches, codes):
    app.config["TODAY"] = TODAY
    ids = _ids(dashboard_three_counties, *codes)
    with app.test_request_context(), system_scope():
        uncached = _everything(build_dashboard(ids, TODAY, use_cache=False))
        cold = _everything(build_dashboard(ids, TODAY))
        warm = _everything(build_dashboard(ids, TODAY))
    assert cold == uncached and warm == uncached
    assert computed_batches == [ids, ids]  # uncached, cold; the warm one computed nothing


def test_partly_cached_equals_uncached(app, dashboard_three_counties, computed_batches):
    """Counties cached by a county user's dashboard, the others computed: same figures."""
    app.config["TODAY"] = TODAY
    ids = _ids(dashboard_three_counties, "610323", "610324", "610122")
    a = dashboard_three_counties.county_a
    with app.test_request_context(), system_scope():
        build_dashboard([a], TODAY)
        mixed = _everything(build_dashboard(ids, TODAY))
        uncached = _everything(build_dashboard(ids, TODAY, use_cache=False))
    assert mixed == uncached
    assert computed_batches[:2] == [[a], [cid for cid in ids if cid != a]]


def test_write_shows_on_next_dashboard_and_recomputes_only_its_county(
    app, api, dashboard_three_counties, computed_batches
):
    app.config["TODAY"] = TODAY
    a = dashboard_three_counties.county_a
    before = api.get(API, as_user="prov").get_json()
    assert api.get(API, as_user="prov").get_json() == before  # from the cache
    assert len(computed_batches) == 1
    with app.app_context(), system_scope():
        project = db.session.execute(select(Project).where(Project.name == "P1 投产")).scalar_one()
        record = create_funds(
            project,
            {"month": date(2026, 3, 1), "origin": "in_province", "amount_wan": Decimal(100)},
            today=TODAY,
        )
        record.confirmed_at = datetime(2026, 3, 5)  # a manager's 认定: the money counts
        db.session.commit()
    after = api.get(API, as_user="prov").get_json()
    assert Decimal(after["total"]["funds_ytd_wan"]) == Decimal(before["total"]["funds_ytd_wan"]) + 100
    assert after["funds_by_month_wan"][2] == str(Decimal(before["funds_by_month_wan"][2]) + 100)
    assert computed_batches[1:] == [[a]]  # the other two counties came from the cache

    with app.app_context(), system_scope():
        lead = db.session.execute(select(Project).where(Project.name == "P6 新线索")).scalar_one()
        move_stage(lead, "contacted", user_named("a_staff"), today=TODAY)
        db.session.commit()
    moved = api.get(API, as_user="prov").get_json()
    assert moved["funnel"][1]["reached"] == after["funnel"][1]["reached"] + 1  # contacted
    assert moved["median_days_per_stage"] != after["median_days_per_stage"]  # a 30-day lead stay ended
    assert computed_batches[2:] == [[a]]
    with app.test_request_context(), system_scope():
        assert (
            figures_json(
                build_dashboard(
                    sorted(dashboard_three_counties.ids[c] for c in ("610323", "610324", "610122")),
                    TODAY,
                    use_cache=False,
                    list_overdue=False,
                )
            )
            | {"inbox": None}  # not a manager
            == moved
        )


def test_warm_statements_same_for_one_and_three_counties(app, client, auth, api, dashboard_three_counties):
    app.config["TODAY"] = TODAY
    counts = {}
    for username in ("xian", "prov"):
        api.get(API, as_user=username)  # fills the cache
        with counted_statements(app) as warm:
            api.get(API, as_user=username)
        counts[username] = warm.n
    assert counts["xian"] == counts["prov"]
    for username in ("xian", "prov"):
        auth.login(username)
        client.get("/dashboard")
        with counted_statements(app) as warm:
            assert client.get("/dashboard").status_code == 200
        counts[username] = warm.n
        auth.logout()
    assert counts["xian"] == counts["prov"]


def test_cold_request_runs_more_statements_than_warm(app, api, dashboard_three_counties):
    """The warm request reads one statement of versions instead of six grouped ones."""
    app.config["TODAY"] = TODAY
    api.get(API + "?as_of=2026-03-30", as_user="prov")  # the token, the region tree: not the cache
    with counted_statements(app) as cold:
        api.get(API, as_user="prov")
    with counted_statements(app) as warm:
        api.get(API, as_user="prov")
    assert warm.n == cold.n - 6


def test_a_new_day_recomputes(app, api, dashboard_world, computed_batches):
    a, b = dashboard_world.county_a, dashboard_world.county_b
    app.config["TODAY"] = TODAY
    first = api.get(API, as_user="city").get_json()
    api.get(API, as_user="city")
    app.config["TODAY"] = TODAY + timedelta(days=1)
    second = api.get(API, as_user="city").get_json()
    assert computed_batches == [[a, b], [a, b]]
    assert second["today"] == "2026-04-01" and second["funds_by_month_wan"][3] == "777.00"  # April's funds
    assert second["overdue_followups"] == first["overdue_followups"] + 1  # P6 was due 03-31
    assert second["total"]["time_proportional_target_wan"] != first["total"]["time_proportional_target_wan"]


def test_as_of_another_day_is_not_cached(app, api, dashboard_world, computed_batches):
    app.config["TODAY"] = TODAY
    for _ in range(2):
        assert api.get(API + "?as_of=2026-03-30", as_user="a_staff").status_code == 200
    assert len(computed_batches) == 2
    assert _kept(app) == 0


def test_county_user_never_gets_another_countys_figures(app, client, auth, api, dashboard_three_counties):
    """The province coordinator fills the cache with all three counties; a county user
    still sees only their own county, exactly as without the cache."""
    app.config["TODAY"] = TODAY
    a = dashboard_three_counties.county_a
    api.get(API, as_user="prov")
    assert _kept(app) == 3
    own = api.get(API, as_user="a_leader").get_json()
    with app.test_request_context(), system_scope():
        alone = figures_json(build_dashboard([a], TODAY, use_cache=False, list_overdue=False))
    assert own == alone | {"inbox": None}  # a leader has no inbox
    assert [c["county_id"] for c in own["counties"]] == [a]
    auth.login("b_leader")
    body = client.get("/dashboard").get_data(as_text=True)
    assert 'data-testid="funds-ytd">4,000.00 万元<' in body and "P4 退回洽谈" not in body


def test_scope_is_checked_before_any_cache(app, dashboard_three_counties):
    """Figures of a county outside the scope are never read or computed (computed, they
    would come out empty and be cached so)."""
    app.config["TODAY"] = TODAY
    a, b = dashboard_three_counties.county_a, dashboard_three_counties.county_b
    with app.test_request_context():
        set_scope(TenantScope(read_county_ids=frozenset({a})))
        with pytest.raises(TenantScopeError):
            build_dashboard([a, b], TODAY)
        set_scope(None)
        with pytest.raises(TenantScopeError):
            build_dashboard([a], TODAY)
    assert _kept(app) == 0


def test_names_are_read_fresh(app, client, auth, dashboard_world, computed_batches):
    """An owner renamed without an audit row shows at once: names are not cached."""
    app.config["TODAY"] = TODAY
    with app.app_context(), system_scope():
        owner = user_named("a_staff")
        db.session.execute(update(Project).where(Project.name == "P4 退回洽谈").values(owner_id=owner.id))
        db.session.commit()
    auth.login("a_leader")
    assert "P4 退回洽谈" in client.get("/dashboard").get_data(as_text=True)
    with app.app_context(), system_scope():
        db.session.execute(update(User).where(User.username == "a_staff").values(display_name="改名后的专员"))
        db.session.commit()
    assert "改名后的专员" in client.get("/dashboard").get_data(as_text=True)
    assert len(computed_batches) == 1


def test_uncommitted_writes_bypass_the_cache(app, dashboard_world, computed_batches):
    """A session holding flushed, uncommitted county data neither reads nor fills the cache:
    after its rollback the figures are as before."""
    app.config["TODAY"] = TODAY
    a = dashboard_world.county_a
    with app.test_request_context(), system_scope():
        before = figures_json(build_dashboard([a], TODAY))
        db.session.add(
            FundsRecord(
                county_id=a,
                project_id=db.session.execute(
                    select(Project.id).where(Project.name == "P3 开工")
                ).scalar_one(),
                month=date(2026, 1, 1),
                origin="foreign",
                amount_wan=Decimal(50),
                confirmed_at=datetime(2026, 1, 5),  # counted money (认定)
            )
        )
        db.session.flush()
        during = figures_json(build_dashboard([a], TODAY))
        db.session.rollback()
        after = figures_json(build_dashboard([a], TODAY))
    assert Decimal(during["total"]["funds_ytd_wan"]) == Decimal(before["total"]["funds_ytd_wan"]) + 50
    assert after == before
    assert computed_batches == [[a], [a]]  # the write's own dashboard computed; the last one was cached


class _Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_entries_expire_and_the_cache_keeps_its_bound():
    clock, wall = _Clock(), datetime(2026, 3, 31, 12, 0, 0)
    cache = CountyCache(max_entries=2, max_age=600, settle=60, spread=0, monotonic=clock, wall=lambda: wall)
    old = Version(7, wall - timedelta(hours=1))
    key = (TODAY, old.audit_id, None)
    cache.put(1, key, old, "one")
    assert cache.get(1, key) == "one"
    assert cache.get(1, (TODAY, 8, None)) is None  # a newer audit row
    assert cache.get(1, (TODAY + timedelta(days=1), 7, None)) is None  # another day
    assert cache.get(1, (TODAY, 7, "companies changed")) is None  # what the version does not cover
    clock.now += 601
    assert cache.get(1, key) is None  # past the maximum age
    spread = CountyCache(max_age=600, spread=0.25, monotonic=clock)
    spread.put(1, key, old, "one")
    clock.now += 449
    assert spread.get(1, key) == "one"  # never sooner than 600 × 0.75
    clock.now += 152
    assert spread.get(1, key) is None

    young = Version(9, wall - timedelta(seconds=20))  # written 20 s ago: may still be settling
    cache.put(1, (TODAY, 9, None), young, "one")
    clock.now += 39
    assert cache.get(1, (TODAY, 9, None)) == "one"
    clock.now += 2
    assert cache.get(1, (TODAY, 9, None)) is None

    none = Version(None, None)  # a county with no audit row yet
    for county, value in ((1, "one"), (2, "two"), (3, "three")):
        cache.put(county, (TODAY, None, None), none, value)
    assert len(cache) == 2
    assert [cache.get(county, (TODAY, None, None)) for county in (1, 2, 3)] == [None, "two", "three"]
