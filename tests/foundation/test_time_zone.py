"""The bureau's time zone is one setting (TIME_ZONE, env CHAINCRM_TIME_ZONE): it decides
"today" and how stored UTC times are shown and exported; a wrong name stops the start."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crm import create_app
from crm.core import clock
from crm.util.exports import write_csv

EVENING_UTC = datetime(2026, 12, 4, 17, 30, tzinfo=UTC)  # 01:30 next day in Beijing, 23:30 in Urumqi


def _app(tmp_path, **settings):
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": "sqlite:///" + str(tmp_path / "tz.sqlite"),
            "SECRET_KEY": "x",
            "NOW": EVENING_UTC,
            **settings,
        }
    )


def test_today_is_the_bureaus_date(tmp_path):
    with _app(tmp_path).app_context():
        assert clock.today().isoformat() == "2026-12-05"
    with _app(tmp_path, TIME_ZONE="Asia/Urumqi").app_context():
        assert clock.today().isoformat() == "2026-12-04"


def test_times_are_shown_and_exported_in_the_bureaus_zone(tmp_path):
    stored = datetime(2026, 12, 4, 17, 30)  # the columns hold naive UTC
    with _app(tmp_path, TIME_ZONE="Asia/Urumqi").app_context():
        assert clock.local(stored).strftime("%Y-%m-%d %H:%M") == "2026-12-04 23:30"
        exported = write_csv(["时间"], [[stored.replace(tzinfo=UTC)]]).decode("utf-8-sig")
    assert exported.splitlines() == ["时间", "2026-12-04 23:30"]


def test_the_environment_sets_the_zone_and_a_wrong_name_stops_the_start(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINCRM_TIME_ZONE", "Asia/Urumqi")
    app = _app(tmp_path)
    assert app.config["TIME_ZONE"] == app.config["BABEL_DEFAULT_TIMEZONE"] == "Asia/Urumqi"
    monkeypatch.setenv("CHAINCRM_TIME_ZONE", "UTC+8")
    with pytest.raises(RuntimeError, match="IANA time zone"):
        _app(tmp_path)


def test_the_template_filters_show_the_bureaus_minute(tmp_path):
    # 16:30:59.5 UTC on 1 March is 00:30 on 2 March in Beijing, 22:30 on 1 March in Urumqi.
    stored = datetime(2026, 3, 1, 16, 30, 59, 500000)
    page = "{{ at|local_time }}|{{ at|local_date }}|{{ none|local_time }}|{{ none|local_date('') }}"
    app = _app(tmp_path)
    with app.test_request_context():
        shown = app.jinja_env.from_string(page).render(at=stored)
    assert shown == "2026-03-02 00:30|2026-03-02|—|"
    app = _app(tmp_path, TIME_ZONE="Asia/Urumqi")
    with app.test_request_context():
        shown = app.jinja_env.from_string(page).render(at=stored)
    assert shown == "2026-03-01 22:30|2026-03-01|—|"
    with app.app_context():
        assert clock.local_minute(stored.replace(tzinfo=UTC)) == "2026-03-01 22:30"  # aware too
