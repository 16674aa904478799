"""Fixtures for the evidence-file tests: a store in the test's folder, and records of every
kind that takes files in county A (one project confidential) and a project in county B.
Sample files, the upload helpers and the records' builder are in files_support.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from files_support import add_records_of_every_kind

from crm.core.db import db


@pytest.fixture(autouse=True)
def files_dir(request, tmp_path):
    """Stored files go to the test's own folder (for tests that have an app)."""
    folder = tmp_path / "files"
    if "app" in request.fixturenames:
        request.getfixturevalue("app").config["FILES_DIR"] = str(folder)
    return folder


@dataclass
class Records:
    ids: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, key: str) -> int:
        return self.ids[key]


@pytest.fixture
def records(app, world) -> Records:
    """County A: project (a_staff's), a confidential project (a_staff's, code name 蓝海项目),
    a stage move, a funds record, a commitment with a review and a fulfilment, a referral.
    County B: a project and its funds record."""
    from crm.core.tenancy import system_scope
    from crm.funds.models import FundsRecord
    from crm.projects.models import Project

    made = Records()
    with app.app_context(), system_scope():
        a = world.county_a
        project = Project(
            name="岐山电池项目",
            county_id=a,
            owner_id=world.ids["a_staff"],
            stage="signed",
            signed_on=date(2026, 2, 1),
            contract_no="QS-2026-01",
        )
        secret = Project(
            name="宁德时代储能基地",
            code_name="蓝海项目",
            county_id=a,
            owner_id=world.ids["a_staff"],
            stage="negotiating",
        )
        other = Project(name="扶风物流项目", county_id=world.county_b, owner_id=world.ids["b_staff"])
        db.session.add_all([project, secret, other])
        db.session.flush()
        other_funds = FundsRecord(
            county_id=world.county_b,
            project_id=other.id,
            month=date(2026, 3, 1),
            origin="out_of_province",
            amount_wan=Decimal("800"),
        )
        db.session.add(other_funds)
        made.ids.update(
            add_records_of_every_kind(
                world,
                project.id,
                policy_name="岐山工业用地优惠",
                referrer_name="张三",
                stage_move=("negotiating", "signed"),
            )
        )
        db.session.commit()
        made.ids.update(project=project.id, secret=secret.id, other=other.id, other_funds=other_funds.id)
    return made
