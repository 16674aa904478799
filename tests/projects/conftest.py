"""Fixtures for project tests: shared companies and a quick way to make projects."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from record_support import user_named
from sqlalchemy import func, select

from crm.auth.models import User
from crm.companies.models import Company
from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.tenancy import system_scope
from crm.projects import pipeline, services
from crm.projects.models import Project, StageChange
from crm.util.uscc import make_uscc


class ProjectMaker:
    """Three shared companies (an investor, a local firm, one with a broken credit code) and
    helpers that make and read projects through the services."""

    def __init__(self, app, world):
        self.app, self.world = app, world
        with app.app_context(), system_scope():
            investor = Company(
                name="宁德时代新能源科技股份有限公司",
                name_key="宁德时代新能源科技",
                uscc=make_uscc("350900", 1),
            )
            local = Company(name="岐山瑞能电池有限公司", name_key="岐山瑞能电池", uscc=make_uscc("610323", 2))
            broken = Company(name="无效代码公司", name_key="无效代码", uscc="91610323MA6X00000X")
            db.session.add_all([investor, local, broken])
            db.session.commit()
            self.investor_id, self.local_id, self.broken_id = investor.id, local.id, broken.id

    def user(self, username: str) -> User:
        return user_named(username)

    def make(self, name="年产10GWh动力电池项目", as_user="a_staff", stage=None, **fields) -> int:
        """Create a project (through the services) and return its id."""
        with self.app.test_request_context(), system_scope():
            actor = self.user(as_user)
            data = {"name": name, "investor_company_id": self.investor_id, "owner_id": actor.id, **fields}
            project = services.create_project(data, actor, county_id=actor.county_id)
            if stage:
                pipeline.move_stage(project, stage, actor)
            db.session.commit()
            return project.id

    def form_data(self, **overrides) -> dict:
        """What a user types into 新建项目 (a new project by a_staff) with ``overrides`` on top."""
        return {
            "name": "年产5万吨再生铝项目",
            "investor_company_id": str(self.investor_id),
            "kind": "new",
            "source_channel": "expo",
            "owner_id": str(self.world.ids["a_staff"]),
            "capital_origin": "",
            **overrides,
        }

    def post_new(self, client, **overrides):
        """POST 新建项目 with :meth:`form_data` and ``overrides``; the response."""
        return client.post("/projects/new", data=self.form_data(**overrides))

    def api_create(self, api, name: str, as_user: str = "a_staff", **fields):
        """POST /api/v1/projects: a new project invested by the shared investor; the response."""
        body = {"name": name, "investor_company_id": self.investor_id, **fields}
        return api.post("/api/v1/projects", as_user=as_user, json=body)

    def api_sign(self, api, project_id: int, version: int, contract_no: str, signed_on: str):
        """PATCH /api/v1/projects/<id> to 签约 (9000 万元 planned) as a_staff; the response."""
        body = {
            "stage": "signed",
            "version": version,
            "contract_no": contract_no,
            "signed_on": signed_on,
            "planned_investment_wan": 9000,
        }
        return api.patch(f"/api/v1/projects/{project_id}", as_user="a_staff", json=body)

    def signing_form(self, **overrides) -> dict:
        """What a user types into 变更阶段 to sign a project just made at 洽谈 (version 2), no
        contract number, with ``overrides`` on top."""
        return {
            "to_stage": "signed",
            "signed_on": "2025-03-01",
            "planned_investment_wan": "8000",
            "version": "2",
            **overrides,
        }

    def register(self, project_id: int, as_user: str = "a_staff", **evidence) -> dict | None:
        """Move a project to 注册落地 and commit; the refusal's field errors, or None."""
        with self.app.test_request_context(), system_scope():
            try:
                pipeline.move_stage(self.get(project_id), "registered", self.user(as_user), evidence=evidence)
            except ServiceError as exc:
                db.session.rollback()
                return exc.errors
            db.session.commit()
            return None

    def signed_evidence(self, **extra) -> dict:
        return {
            "signed_on": date(2025, 3, 1),
            "contract_no": "QS-2025-001",
            "planned_investment_wan": Decimal("50000"),
            **extra,
        }

    def get(self, project_id: int) -> Project:
        return db.session.get(Project, project_id)

    def counts(self) -> tuple[int, int]:
        """(projects, stage changes) in the whole database."""
        with self.app.test_request_context(), system_scope():
            return (
                db.session.execute(select(func.count(Project.id))).scalar_one(),
                db.session.execute(select(func.count(StageChange.id))).scalar_one(),
            )


@pytest.fixture
def project_maker(app, world) -> ProjectMaker:
    """Makes projects in the demo world (see ProjectMaker)."""
    return ProjectMaker(app, world)
