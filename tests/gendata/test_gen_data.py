"""``chaincrm gen-data``: a believable synthetic province, written without touching real data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from alembic import command
from sqlalchemy import func, select, text

from crm.core.db import db
from crm.core.tenancy import system_scope

PASSWORD = "gen-password-1"
SMALL = ["gen-data", "--counties", "3", "--scale", "0.04", "--password", PASSWORD]  # 20 projects a county
PROJECT_EVIDENCE = {
    "signed": ("signed_on", "contract_no"),
    "registered": ("signed_on", "registered_on"),
    "started": ("registered_on", "construction_started_on"),
    "producing": ("construction_started_on", "production_started_on"),
}


@pytest.fixture(autouse=True)
def schema_at_head(app):
    """Test databases are built with create_all; mark them as migrated, as a real one would be."""
    from crm.core.migrate import alembic_config

    with app.app_context():
        command.stamp(alembic_config(), "head")


def _scalar(app, sql: str):
    with app.app_context():
        return db.session.execute(text(sql).execution_options(tenant_checked=True)).scalar_one()


def _rows(app, table: str) -> list[tuple]:
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                text(f"SELECT * FROM {table} ORDER BY id").execution_options(tenant_checked=True)
            )
        ]


def test_writes_a_province_of_counties_with_their_users_and_records(app, runner):
    result = runner.invoke(args=SMALL)
    assert result.exit_code == 0, result.output
    assert "910000" in result.output
    assert _scalar(app, "SELECT count(*) FROM regions WHERE level = 'county'") == 3
    assert _scalar(app, "SELECT count(*) FROM projects") == 60
    assert _scalar(app, "SELECT count(DISTINCT county_id) FROM projects") == 3
    assert _scalar(app, "SELECT count(*) FROM companies") == 120
    assert _scalar(app, "SELECT count(*) FROM activities") == 600
    assert _scalar(app, "SELECT count(*) FROM chains") == 9
    assert _scalar(app, "SELECT count(*) FROM chain_segments") > 9 * 15
    assert _scalar(app, "SELECT count(*) FROM users WHERE username = 'u910101_manager'") == 1


def test_pipeline_follows_the_rules_of_real_projects(app, runner):
    from crm.projects.models import Project, StageChange

    assert runner.invoke(args=SMALL).exit_code == 0
    with app.app_context(), system_scope():
        projects = db.session.execute(select(Project)).scalars().all()
        last_change = dict(
            db.session.execute(
                select(StageChange.project_id, StageChange.to_stage).where(
                    StageChange.id.in_(select(func.max(StageChange.id)).group_by(StageChange.project_id))
                )
            ).all()
        )
        stages = {p.stage for p in projects}
        assert {"lead", "signed", "producing"} <= stages
        for project in projects:
            assert last_change[project.id] == project.stage
            for field in PROJECT_EVIDENCE.get(project.stage, ()):
                assert getattr(project, field), (project.stage, field)
            dates = [
                project.signed_on,
                project.registered_on,
                project.construction_started_on,
                project.production_started_on,
            ]
            present = [d for d in dates if d is not None]
            assert present == sorted(present)


def test_commitments_stay_within_their_policy_cap_and_fulfillments_within_the_promise(app, runner):
    from crm.commitments.models import Commitment, Fulfillment

    assert (
        runner.invoke(
            args=["gen-data", "--counties", "2", "--scale", "0.2", "--password", PASSWORD]
        ).exit_code
        == 0
    )
    with app.app_context(), system_scope():
        commitments = db.session.execute(select(Commitment)).scalars().all()
        assert commitments
        paid = dict(
            db.session.execute(
                select(Fulfillment.commitment_id, func.sum(Fulfillment.amount_wan)).group_by(
                    Fulfillment.commitment_id
                )
            ).all()
        )
        for commitment in commitments:
            assert commitment.amount_wan <= commitment.policy.max_amount_wan
            assert Decimal(paid.get(commitment.id, 0)) <= commitment.amount_wan
            if commitment.status == "fulfilled":
                assert paid[commitment.id] == commitment.amount_wan
            assert (commitment.approved_by_id is not None) == (commitment.status != "draft")


def test_generated_manager_logs_in_and_sees_only_their_county(app, runner, client):
    assert runner.invoke(args=SMALL).exit_code == 0
    other_project = _scalar(
        app, "SELECT min(p.id) FROM projects p JOIN regions r ON r.id = p.county_id WHERE r.code = '910102'"
    )
    own_project = _scalar(
        app, "SELECT min(p.id) FROM projects p JOIN regions r ON r.id = p.county_id WHERE r.code = '910101'"
    )
    response = client.post("/login", data={"username": "u910101_manager", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(f"/projects/{own_project}").status_code == 200
    assert client.get(f"/projects/{other_project}").status_code == 404
    listing = client.get("/projects").get_data(as_text=True)
    assert f'href="/projects/{own_project}"' in listing
    assert f'href="/projects/{other_project}"' not in listing


def test_refuses_a_database_that_holds_data_and_leaves_it_as_it_was(app, runner, world):
    before = {table: _rows(app, table) for table in ("regions", "users", "projects", "companies")}
    result = runner.invoke(args=SMALL)
    assert result.exit_code != 0
    assert "--force" in result.output
    assert {table: _rows(app, table) for table in before} == before


def test_force_adds_beside_existing_rows_without_touching_them(app, runner, world):
    before = {table: _rows(app, table) for table in ("regions", "users")}
    result = runner.invoke(args=SMALL + ["--force"])
    assert result.exit_code == 0, result.output
    for table, rows in before.items():
        after = _rows(app, table)
        assert after[: len(rows)] == rows
        assert len(after) > len(rows)
    # The real province keeps its code; the synthetic one takes a free prefix.
    assert _scalar(app, "SELECT count(*) FROM regions WHERE code = '610000'") == 1
    assert _scalar(app, "SELECT count(*) FROM regions WHERE code = '910000'") == 1


def test_a_second_province_takes_the_next_free_prefix(app, runner):
    assert runner.invoke(args=SMALL).exit_code == 0
    result = runner.invoke(args=SMALL + ["--force"])
    assert result.exit_code == 0, result.output
    assert _scalar(app, "SELECT count(*) FROM regions WHERE code = '920000'") == 1


def test_records_created_afterwards_get_fresh_ids(app, runner):
    """On PostgreSQL the id sequences must move past the ids gen-data handed out."""
    from crm.activities.models import Activity
    from crm.projects.models import Project

    assert runner.invoke(args=SMALL).exit_code == 0
    highest = {
        "projects": _scalar(app, "SELECT max(id) FROM projects"),
        "activities": _scalar(app, "SELECT max(id) FROM activities"),
    }
    county_id = _scalar(app, "SELECT id FROM regions WHERE code = '910101'")
    with app.app_context(), system_scope():
        project = Project(county_id=county_id, name="生成数据之后新建的项目", stage="lead")
        db.session.add(project)
        db.session.flush()
        activity = Activity(
            county_id=county_id,
            project_id=project.id,
            kind="call",
            subject="电话",
            occurred_on=project.created_at.date(),
        )
        db.session.add(activity)
        db.session.commit()
        assert (project.id, activity.id) == (highest["projects"] + 1, highest["activities"] + 1)


def test_bad_arguments_are_refused_with_a_message(runner):
    result = runner.invoke(args=["gen-data", "--counties", "0"])
    assert result.exit_code != 0
    assert "--counties" in result.output
    result = runner.invoke(args=["gen-data", "--counties", "1", "--scale", "-1"])
    assert result.exit_code != 0
    assert "--scale" in result.output
