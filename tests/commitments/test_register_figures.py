"""The register's figures are summed from the commitments as they stand at each request:
they follow every approval, payment, status change and day, and each user sees the
figures of the counties they read (the province's are the sum of its counties'). Without
filters each county's sums are kept between requests and recomputed only for a county
written to since."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from batch_spy import record_batches
from commitment_helpers import bring_to_status, fulfil_over_api, user_named

from crm.commitments import register
from crm.commitments.models import Commitment
from crm.core.db import db
from crm.core.tenancy import system_scope

REGISTER = "/api/v1/commitments"


@pytest.fixture
def half_paid(app, drafts):
    """County A's commitment approved and half paid (300 promised, 150 paid); county B's
    approved (300 promised, nothing paid)."""
    with app.test_request_context(), system_scope():
        bring_to_status(
            db.session.get(Commitment, drafts["draft_a"]),
            "partially_fulfilled",
            user_named("a_manager"),
            drafts.today,
        )
        bring_to_status(
            db.session.get(Commitment, drafts["draft_b"]), "approved", user_named("b_manager"), drafts.today
        )
        db.session.commit()
    return drafts


def _pay(api, drafts, amount: str, evidence: str) -> None:
    """County B's staff records a payment of ``amount`` 万元 on its commitment."""
    version = api.version(f"{REGISTER}/{drafts['draft_b']}", "b_staff")
    paid = fulfil_over_api(api, drafts, drafts["draft_b"], amount, evidence, version, as_user="b_staff")
    assert paid.status_code == 201


def _figures(api, user, query=""):
    body = api.get(REGISTER + query, as_user=user).get_json()
    return body["figures"], body["total"]


def test_province_figures_are_the_sum_of_its_counties(api, half_paid):
    province, total = _figures(api, "prov")
    a, total_a = _figures(api, "a_leader")
    b, total_b = _figures(api, "b_leader")
    assert (province["promised"], province["fulfilled"], province["outstanding"], total) == (
        "600.00",
        "150.00",
        "450.00",
        2,
    )
    assert (a["promised"], a["fulfilled"], total_a) == ("300.00", "150.00", 1)
    assert (b["promised"], b["fulfilled"], total_b) == ("300.00", "0.00", 1)


def test_figures_follow_approval_payment_and_revocation(api, drafts):
    before, total = _figures(api, "prov")
    assert (before["promised"], total) == ("0.00", 2)  # drafts are not yet promised
    url = f"{REGISTER}/{drafts['draft_b']}"
    approved = api.act(url, "approve", "b_manager")
    assert approved.status_code == 200
    assert _figures(api, "prov")[0]["promised"] == "300.00"
    _pay(api, drafts, "100", "凭证 9")
    after, _total = _figures(api, "prov")
    assert (after["fulfilled"], after["outstanding"], after["rate"]) == ("100.00", "200.00", "0.3333")
    revoked = api.act(url, "transitions", "b_manager", action="revoke", note="企业放弃")
    assert revoked.status_code == 200
    gone, _total = _figures(api, "prov")
    assert (gone["promised"], gone["fulfilled"]) == ("0.00", "0.00")  # revoked: no longer promised


def test_filters_sum_the_filtered_rows(api, half_paid):
    figures, total = _figures(api, "prov", "?status=approved")
    assert (figures["promised"], figures["fulfilled"], total) == ("300.00", "0.00", 1)


def test_overdue_follows_the_day(app, api, half_paid):
    app.config["TODAY"] = half_paid.today
    assert _figures(api, "prov")[0]["overdue_count"] == 0
    app.config["TODAY"] = half_paid.today + timedelta(days=91)
    figures, _total = _figures(api, "prov")
    assert figures["overdue_count"] == 2 and figures["overdue_amount"] == "450.00"
    assert Decimal(figures["promised"]) == Decimal("600.00")


def test_a_payment_recomputes_its_county_alone(api, world, half_paid, monkeypatch):
    computed = record_batches(monkeypatch, register, "_sums_by_county")
    first, _total = _figures(api, "prov")
    assert _figures(api, "prov")[0] == first
    # The second read computed nothing.
    assert len(computed) == 1 and {world.county_a, world.county_b} <= set(computed[0])
    _pay(api, half_paid, "120", "凭证 12")
    after, _total = _figures(api, "prov")
    assert (after["fulfilled"], after["outstanding"]) == ("270.00", "330.00")
    assert computed[1:] == [[world.county_b]]
