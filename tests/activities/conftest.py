"""Projects to hang activities on: one per county, owned by that county's staff."""

from __future__ import annotations

from datetime import date

import pytest

from crm.core.db import db


@pytest.fixture
def activity_project_ids(app, world):
    """{"a": id, "a2": id, "b": id}: a, a2 in county A (owners a_staff, a_staff2), b in county B."""
    from crm.core.tenancy import system_scope
    from crm.projects.models import Project

    with app.app_context(), system_scope():
        rows = {
            "a": Project(
                name="岐山新能源电池项目",
                county_id=world.county_a,
                owner_id=world.ids["a_staff"],
                stage="negotiating",
                first_contact_on=date(2026, 1, 5),
            ),
            "a2": Project(
                name="岐山食品加工项目",
                county_id=world.county_a,
                owner_id=world.ids["a_staff2"],
                stage="contacted",
            ),
            "b": Project(
                name="扶风物流园项目",
                county_id=world.county_b,
                owner_id=world.ids["b_staff"],
                stage="visited",
            ),
        }
        db.session.add_all(rows.values())
        db.session.commit()
        return {key: p.id for key, p in rows.items()}
