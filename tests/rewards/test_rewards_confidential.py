"""Reward lists name a confidential project as their reader may see it (crm/projects/confidential.py):
pages, exports, notice and API for people, and the CLI export for whom ``--as-user`` names."""

from __future__ import annotations

import csv
import io
from datetime import date

from reward_helpers import export_args

from crm.core.db import db
from crm.projects.models import Project

REAL, CODE = "某央企西北风电装备基地", "风-01号项目"


def _confidential_list(reward_builder, owner: str = "a_staff") -> tuple[int, int]:
    project = reward_builder.project(REAL, reached_on=date(2025, 11, 10), planned=20000)
    with reward_builder.ctx():
        stored = db.session.get(Project, project)
        stored.code_name, stored.owner_id = CODE, reward_builder.world.ids[owner]
        db.session.commit()
    reward_builder.referral(project, registered_on=date(2025, 1, 5))
    rule = reward_builder.rule(basis="planned_investment")
    return rule, reward_builder.create_list(rule)


def _names_in_csv(data: bytes) -> list[str]:
    return [row[1] for row in list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))[1:]]


def test_cli_export_shows_code_names_unless_a_reader_who_may_see_is_named(runner, reward_builder, tmp_path):
    rule, _ = _confidential_list(reward_builder)
    for extra, expected in (
        ([], CODE),
        (["--as-user", "a_staff2"], CODE),
        (["--as-user", "a_leader"], CODE),
        (["--as-user", "a_staff"], REAL),
        (["--as-user", "a_manager"], REAL),
    ):
        out = tmp_path / "list.csv"
        result = runner.invoke(args=export_args(rule, out, *extra))
        assert result.exit_code == 0, result.output
        assert _names_in_csv(out.read_bytes()) == [expected], extra
    unknown = runner.invoke(args=export_args(rule, tmp_path / "x.csv", "--as-user", "nobody"))
    assert unknown.exit_code != 0 and "nobody" in unknown.output


def test_a_line_follows_the_project_made_confidential_after_the_list(logged_in_client, reward_builder, api):
    """A list is a snapshot of names, but whether a project is confidential is read as it is now."""
    project = reward_builder.project(REAL, reached_on=date(2025, 11, 10), planned=20000)
    reward_builder.referral(project, registered_on=date(2025, 1, 5))
    rule = reward_builder.rule(basis="planned_investment")
    list_id = reward_builder.create_list(rule)
    reward_builder.finalize(list_id)
    with reward_builder.ctx():
        db.session.get(Project, project).code_name = CODE
        db.session.commit()
    client = logged_in_client("a_staff2")
    for path in (
        f"/rewards/lists/{list_id}",
        f"/rewards/lists/{list_id}/notice",
        f"/rewards/lists/{list_id}/export.csv",
    ):
        body = client.get(path).get_data(as_text=True)
        assert CODE in body and REAL not in body, path
    lines = api.get(f"/api/v1/reward-lists/{list_id}", as_user="a_leader").get_json()["eligible"]
    assert [line["project_name"] for line in lines] == [CODE]
    assert REAL in reward_builder.list_lines(list_id)[0]  # the snapshot itself is unchanged
