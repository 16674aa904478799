"""The register's figures without filters are added up from per-county sums kept between
requests: the same as summing live, fresh after every write and day change, summed again
only for the county written to, and never another county's."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from batch_spy import record_batches
from cm_helpers import cm_put_in_status, cm_user

from crm.commitments import register
from crm.commitments.models import Commitment
from crm.core.db import db
from crm.core.tenancy import system_scope

REGISTER = "/api/v1/commitments"


@pytest.fixture
def summed(monkeypatch):
    """The county ids of every batch of sums computed (cache misses)."""
    return record_batches(monkeypatch, register, "sums_by_county")


@pytest.fixture
def approved(app, cm):
    """County A's commitment approved and half paid (300 promised, 150 paid); county B's
    approved (300 promised, nothing paid)."""
    with app.test_request_context(), system_scope():
        cm_put_in_status(
            db.session.get(Commitment, cm["draft_a"]), "partially_fulfilled", cm_user("a_manager"), cm.today
        )
        cm_put_in_status(
            db.session.get(Commitment, cm["draft_b"]), "approved", cm_user("b_manager"), cm.today
        )
        db.session.commit()
    return cm


def _figures(api, user, query=""):
    body = api.get(REGISTER + query, as_user=user).get_json()
    return body["figures"], body["total"]


def test_province_figures_add_up_counties_and_equal_live_ones(app, api, approved, summed, world):
    figures, total = _figures(api, "prov")
    assert total == 2
    assert (figures["promised"], figures["fulfilled"], figures["outstanding"]) == (
        "600.00",
        "150.00",
        "450.00",
    )
    assert summed == [sorted([world.county_a, world.county_b, world.ids["610122"]])]
    assert _figures(api, "prov") == (figures, total) and len(summed) == 1
    app.extensions["county_caches"].pop(register.FIGURES_CACHE)
    assert _figures(api, "prov") == (figures, total)  # summed live, without the cache


def test_county_users_see_their_own_county_from_the_same_sums(api, approved, summed):
    _figures(api, "prov")
    a, total_a = _figures(api, "a_leader")
    b, total_b = _figures(api, "b_leader")
    assert (a["promised"], a["fulfilled"], total_a) == ("300.00", "150.00", 1)
    assert (b["promised"], b["fulfilled"], total_b) == ("300.00", "0.00", 1)
    assert len(summed) == 1  # both came from the province's sums


def test_a_payment_resums_only_its_county(api, approved, summed, world):
    before, _ = _figures(api, "prov")
    paid = api.post(
        f"/api/v1/commitments/{approved['draft_b']}/fulfillments",
        as_user="b_staff",
        json={"fulfilled_on": approved.today.isoformat(), "amount_wan": "100", "evidence": "凭证 9"},
    )
    assert paid.status_code == 201
    after, _ = _figures(api, "prov")
    assert Decimal(after["fulfilled"]) == Decimal(before["fulfilled"]) + 100
    assert summed[1:] == [[world.county_b]]


def test_filters_sum_live(api, approved, summed):
    figures, total = _figures(api, "prov", "?status=approved")
    assert (figures["promised"], total) == ("300.00", 1)
    assert summed == []


def test_overdue_follows_the_day(app, api, approved):
    """Sums are kept per day: the day after the due date the commitments are overdue."""
    app.config["TODAY"] = approved.today
    assert _figures(api, "prov")[0]["overdue_count"] == 0
    app.config["TODAY"] = approved.today + timedelta(days=91)
    figures, _ = _figures(api, "prov")
    assert figures["overdue_count"] == 2 and figures["overdue_amount"] == "450.00"
