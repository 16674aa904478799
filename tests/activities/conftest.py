"""Projects to hang activities on: one per county, owned by that county's staff."""

from __future__ import annotations

from datetime import date

import pytest
from record_support import owned_project, save_records


@pytest.fixture
def activity_project_ids(app, world):
    """{"a": id, "a2": id, "b": id}: a, a2 in county A (owners a_staff, a_staff2), b in county B."""
    projects = {
        "a": owned_project(
            world, "a_staff", "岐山新能源电池项目", "negotiating", first_contact_on=date(2026, 1, 5)
        ),
        "a2": owned_project(world, "a_staff2", "岐山食品加工项目", "contacted"),
        "b": owned_project(world, "b_staff", "扶风物流园项目", "visited"),
    }
    return save_records(app, projects)
