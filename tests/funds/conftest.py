"""Signed projects to hang funds records on: one per county."""

from __future__ import annotations

from datetime import date

import pytest
from record_support import owned_project, save_records


@pytest.fixture
def signed_project_ids(app, world):
    """{"a": id, "b": id}: a signed project in each of counties A and B."""
    projects = {
        "a": owned_project(
            world, "a_staff", "岐山电池项目", "signed", signed_on=date(2026, 2, 1), contract_no="QS-2026-01"
        ),
        "b": owned_project(
            world, "b_staff", "扶风物流项目", "signed", signed_on=date(2026, 3, 1), contract_no="FF-2026-01"
        ),
    }
    return save_records(app, projects)
