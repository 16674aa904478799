"""One clock (issue 15): every time a page shows is the bureau's wall clock, to the minute,
with no zone name, however the database stores it (naive UTC)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

EVENING_UTC = datetime(2026, 12, 3, 16, 30, tzinfo=UTC)  # 00:30 on 4 December in Beijing
LOCAL_MINUTE = "2026-12-04 00:30"
UTC_MINUTE = "2026-12-03 16:30"
SECONDS = re.compile(r"\b\d{2}:\d{2}:\d{2}\b")


def _page(client, url) -> str:
    reply = client.get(url)
    assert reply.status_code == 200, url
    return reply.get_data(as_text=True)


def _shows_the_bureaus_minute(body: str, url: str) -> None:
    assert LOCAL_MINUTE in body, url
    assert UTC_MINUTE not in body and "UTC" not in body, url
    assert not SECONDS.search(body), (url, SECONDS.search(body))


def test_reward_list_audit_log_and_project_timeline_show_the_bureaus_minute(
    app, client, auth, reward_builder
):
    app.config["NOW"] = EVENING_UTC  # everything below is stored at 16:30 UTC on 3 December
    project = reward_builder.project("锂电池项目", funds=[(date(2025, 11, 1), 2000)])
    list_id = reward_builder.create_list(reward_builder.rule())
    auth.login("a_manager")

    draft = _page(client, f"/rewards/lists/{list_id}")
    _shows_the_bureaus_minute(draft, "draft list")
    assert "计算于" in draft

    reward_builder.finalize(list_id)
    finalized = _page(client, f"/rewards/lists/{list_id}")
    _shows_the_bureaus_minute(finalized, "finalized list")
    assert "定稿于" in finalized

    for url in ("/audit/", f"/projects/{project}"):
        _shows_the_bureaus_minute(_page(client, url), url)

    # The project list shows the day of the last change: the bureau's day, not UTC's.
    projects = _page(client, "/projects")
    assert "2026-12-04" in projects and "2026-12-03" not in projects
