from __future__ import annotations

from datetime import date

import pytest

from crm.core.db import db


@pytest.fixture
def signed_project_ids(app, world):
    """{"a": id, "b": id}: a signed project in each of counties A and B."""
    from crm.core.tenancy import system_scope
    from crm.projects.models import Project

    with app.app_context(), system_scope():
        rows = {
            "a": Project(
                name="岐山电池项目",
                county_id=world.county_a,
                owner_id=world.ids["a_staff"],
                stage="signed",
                signed_on=date(2026, 2, 1),
                contract_no="QS-2026-01",
            ),
            "b": Project(
                name="扶风物流项目",
                county_id=world.county_b,
                owner_id=world.ids["b_staff"],
                stage="signed",
                signed_on=date(2026, 3, 1),
                contract_no="FF-2026-01",
            ),
        }
        db.session.add_all(rows.values())
        db.session.commit()
        return {key: p.id for key, p in rows.items()}
