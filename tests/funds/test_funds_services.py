from datetime import date
from decimal import Decimal

import pytest

from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.tenancy import system_scope
from crm.funds import services
from crm.funds.models import FundsRecord
from crm.projects.models import Project

TODAY = date(2026, 11, 23)


def _values(**kw):
    values = {
        "month": date(2026, 3, 1),
        "origin": "out_of_province",
        "amount_wan": Decimal("1200.5"),
        "evidence_ref": "JZ-202603-01",
    }
    values.update(kw)
    return values


def test_same_project_month_and_origin_is_refused_naming_the_record(app, signed_project_ids):
    with app.test_request_context(), system_scope():
        project = db.session.get(Project, signed_project_ids["a"])
        first = services.create_funds(project, _values(), today=TODAY)
        db.session.commit()
        with pytest.raises(services.DuplicateFundsError) as refused:
            services.create_funds(
                project, _values(amount_wan=Decimal("99"), month=date(2026, 3, 15)), today=TODAY
            )
        assert f"#{first.id}" in refused.value.message and "2026年3月" in refused.value.message
        assert "1,200.50" in refused.value.message
        db.session.rollback()
        # another origin, another kind, another month or another project is different money
        services.create_funds(project, _values(origin="in_province"), today=TODAY)
        services.create_funds(project, _values(exclusion="bank_loan"), today=TODAY)
        services.create_funds(project, _values(month=date(2026, 4, 1)), today=TODAY)
        services.create_funds(db.session.get(Project, signed_project_ids["b"]), _values(), today=TODAY)
        db.session.commit()
        assert db.session.query(FundsRecord).count() == 5


def test_editing_into_an_existing_slot_is_refused(app, signed_project_ids):
    with app.test_request_context(), system_scope():
        project = db.session.get(Project, signed_project_ids["a"])
        services.create_funds(project, _values(), today=TODAY)
        april = services.create_funds(project, _values(month=date(2026, 4, 1)), today=TODAY)
        db.session.commit()
        with pytest.raises(services.DuplicateFundsError):
            services.update_funds(april, {"month": date(2026, 3, 1)}, version=april.version, today=TODAY)
        db.session.rollback()
        services.update_funds(april, {"amount_wan": Decimal("50")}, version=april.version, today=TODAY)
        db.session.commit()
        assert april.amount_wan == Decimal("50.00")


def test_database_constraint_is_the_fallback(app, signed_project_ids, monkeypatch):
    monkeypatch.setattr(services, "_refuse_duplicate", lambda *a, **k: None)  # as if two saves raced
    with app.test_request_context(), system_scope():
        project = db.session.get(Project, signed_project_ids["a"])
        services.create_funds(project, _values(), today=TODAY)
        db.session.commit()
        with pytest.raises(ServiceError, match="不能重复上报"):
            services.create_funds(project, _values(), today=TODAY)
        db.session.rollback()
        assert db.session.query(FundsRecord).count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"amount_wan": Decimal("0")}, "amount_wan"),
        ({"amount_wan": Decimal("-5")}, "amount_wan"),
        ({"amount_wan": Decimal("0.001")}, "amount_wan"),
        ({"amount_wan": Decimal("NaN")}, "amount_wan"),
        ({"amount_wan": Decimal("1e40")}, "amount_wan"),  # too large to round: refused, not a 500
        ({"origin": "foreign", "amount_usd_wan": Decimal("1e40")}, "amount_usd_wan"),
        ({"amount_wan": None}, "amount_wan"),
        ({"origin": "mars"}, "origin"),
        ({"exclusion": "lottery"}, "exclusion"),
        ({"amount_usd_wan": Decimal("10")}, "amount_usd_wan"),  # dollars only for 境外 money
        ({"month": None}, "month"),
        ({"month": date(2026, 12, 1)}, "month"),  # the future
    ],
)
def test_bad_values_name_the_field(app, signed_project_ids, changes, field):
    with app.test_request_context(), system_scope():
        project = db.session.get(Project, signed_project_ids["a"])
        with pytest.raises(ServiceError) as refused:
            services.create_funds(project, _values(**changes), today=TODAY)
        assert field in refused.value.errors
        db.session.rollback()
        assert db.session.query(FundsRecord).count() == 0


def test_county_target_is_created_then_changed(app, world):
    with app.test_request_context(), system_scope():
        target = services.set_county_target(world.county_a, 2026, Decimal("36500"))
        db.session.commit()
        services.set_county_target(world.county_a, 2026, Decimal("40000"), 15, version=target.version)
        db.session.commit()
        assert services.target_for(world.county_a, 2026).funds_target_wan == Decimal("40000.00")
        with pytest.raises(ServiceError):
            services.set_county_target(world.county_a, 2026, Decimal("1"), version=1)
        with pytest.raises(ServiceError):
            services.set_county_target(world.county_a, 2026, Decimal("0"))
