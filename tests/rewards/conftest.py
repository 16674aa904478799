"""Small inline reward data: projects that reached a milestone, funds, referrals, rules."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from record_support import add_reward_rule, add_with_history, reward_rule_fields
from sqlalchemy import select

from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.funds.models import FundsRecord
from crm.projects.models import Project
from crm.rewards import services
from crm.rewards.models import Referral, RewardLine, RewardList, RewardRule

D = Decimal
COUNTED_AT = datetime(2026, 1, 5)  # when the builder's funds were counted (认定)


class RewardBuilder:
    """Builds reward data in the test world's counties: projects that reached a milestone, their
    funds and referrals, rules and lists; and reads them back (each call in its own context)."""

    def __init__(self, app, world):
        self.app, self.world = app, world

    def county(self, which: str) -> int:
        return {"a": self.world.county_a, "b": self.world.county_b}[which]

    def ctx(self):
        """A request context (gettext needs one) with every county visible."""

        class _Ctx:
            def __enter__(inner):
                inner.request = self.app.test_request_context()
                inner.request.__enter__()
                inner.scope = system_scope()
                inner.scope.__enter__()
                return db.session

            def __exit__(inner, *exc):
                inner.scope.__exit__(*exc)
                inner.request.__exit__(*exc)

        return _Ctx()

    def project(
        self,
        name: str,
        county: str = "a",
        reached_on: date = date(2025, 11, 10),
        signed_on: date | None = None,
        milestone: str = "signed",
        planned=None,
        fixed=None,
        funds=(),
    ) -> int:
        """A project that reached ``milestone`` on ``reached_on``; funds are (month, amount) pairs."""
        with self.ctx():
            county_id = self.county(county)
            project = Project(
                name=name,
                county_id=county_id,
                stage=milestone,
                signed_on=signed_on or reached_on,
                contract_no="HT-1",
                planned_investment_wan=D(str(planned)) if planned is not None else None,
                fixed_asset_investment_wan=D(str(fixed)) if fixed is not None else None,
            )
            add_with_history(project, ("negotiating", milestone, reached_on))
            for month, amount in funds:
                db.session.add(self.funds_record(project, month, amount))
            db.session.commit()
            return project.id

    @staticmethod
    def funds_record(
        project: Project, month: date, amount, origin: str = "out_of_province", confirmed_at=COUNTED_AT
    ) -> FundsRecord:
        """An unsaved record of ``amount`` 万元 in place on ``project`` in ``month``: counted money
        (认定) on ``confirmed_at``, or money awaiting 认定 when that is None."""
        return FundsRecord(
            project_id=project.id,
            county_id=project.county_id,
            month=month,
            origin=origin,
            amount_wan=D(str(amount)),
            confirmed_at=confirmed_at,
        )

    def add_funds(
        self, project_id: int, month: date, amount, origin: str = "out_of_province", confirmed_at=COUNTED_AT
    ) -> None:
        """Save a :meth:`funds_record` on project ``project_id``."""
        with self.ctx():
            project = db.session.get(Project, project_id)
            db.session.add(self.funds_record(project, month, amount, origin, confirmed_at))
            db.session.commit()

    def referral(
        self,
        project_id: int,
        name: str = "王建国",
        registered_on: date = date(2025, 1, 5),
        confirmed: bool = True,
        official: bool = False,
        kind: str = "individual",
    ) -> int:
        with self.ctx():
            project = db.session.get(Project, project_id)
            referral, _refused = services.register_referral(
                project,
                referrer_name=name,
                referrer_kind=kind,
                is_public_official=official,
                registered_on=registered_on,
                investor_confirmed=confirmed,
                investor_confirmed_on=registered_on if confirmed else None,
            )
            db.session.commit()
            return referral.id

    def rule(self, county: str = "a", **values) -> int:
        """A rule (see record_support.add_reward_rule) with a middle tier: 3 ‰ from 1000 to 5000 万元."""
        values.setdefault("tiers", [("1000", "5"), ("5000", "3"), (None, "1")])
        with self.ctx():
            rule = add_reward_rule(self.county(county), **values)
            db.session.commit()
            return rule.id

    @staticmethod
    def revise_rule(rule_id: int, **values) -> RewardRule:
        """Save rule ``rule_id`` through the services with :func:`record_support.reward_rule_fields`
        (inside ``ctx()``); the version saved, a new one once a finalized list used the rule."""
        return services.update_rule(db.session.get(RewardRule, rule_id), **reward_rule_fields(**values))

    def eligibility(self, rule_id: int, period: str = "2025Q4"):
        with self.ctx():
            return services.eligibility(db.session.get(RewardRule, rule_id), period)

    def lines_by_project(self, rule_id: int, period: str = "2025Q4") -> dict:
        return {line.project_name: line for line in self.eligibility(rule_id, period).lines}

    def create_list(self, rule_id: int, period: str = "2025Q4") -> int:
        with self.ctx():
            reward_list = services.create_list(db.session.get(RewardRule, rule_id), period)
            db.session.commit()
            return reward_list.id

    def finalize(self, list_id: int) -> None:
        with self.ctx():
            services.finalize_list(db.session.get(RewardList, list_id))
            db.session.commit()

    @staticmethod
    def stored_lines(list_id: int) -> list[RewardLine]:
        """A list's stored lines in their order (inside ``ctx()``)."""
        return list(
            db.session.execute(
                select(RewardLine).where(RewardLine.list_id == list_id).order_by(RewardLine.position)
            ).scalars()
        )

    def list_lines(self, list_id: int) -> list[tuple]:
        """Every stored line of a list as plain tuples, to compare snapshots."""
        with self.ctx():
            rows = self.stored_lines(list_id)
            return [tuple(getattr(line, c.key) for c in RewardLine.__table__.columns) for line in rows]

    def get(self, model, record_id):
        with self.ctx():
            obj = db.session.get(model, record_id)
            db.session.expunge(obj)
            return obj

    def referrals_of(self, project_id: int) -> dict[str, str]:
        with self.ctx():
            rows = db.session.execute(select(Referral).where(Referral.project_id == project_id)).scalars()
            return {r.referrer_name: r.status for r in rows}


@pytest.fixture
def reward_builder(app, world) -> RewardBuilder:
    return RewardBuilder(app, world)
