"""政企双兑现 (issue 14 item 13): no payment while the investor's linked obligations or the
clause's conditions are unmet, except on a collective decision."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from commitment_helpers import acting, user_named
from sqlalchemy import select

from crm.commitments import services
from crm.commitments.collective import DecisionInput
from crm.commitments.models import Commitment, Fulfillment, Obligation
from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.tenancy import system_scope

MEETING = DecisionInput("岐山县人民政府第 13 次常务会议", date(2026, 12, 2), "岐政常纪〔2026〕13号")


def _approved(drafts) -> Commitment:
    commitment = db.session.get(Commitment, drafts["draft_a"])
    services.approve_commitment(commitment, user_named("a_manager"))
    return commitment


def _pay(commitment, drafts, **extra):
    values = {
        "fulfilled_on": drafts.today,
        "amount_wan": Decimal("100"),
        "evidence": "拨付凭证 9",
        "today": drafts.today,
    }
    values.update(extra)
    return services.record_fulfillment(commitment, user_named("a_staff"), **values)


def test_an_unmet_linked_obligation_blocks_payment_until_met(app, drafts):
    with acting(app):
        commitment = _approved(drafts)
        obligation = db.session.get(Obligation, drafts["obligation_a"])  # tax per mu ≥ 15, pending
        services.link_obligations(commitment, user_named("a_staff"), [obligation.id])
        with pytest.raises(ServiceError) as refused:
            _pay(commitment, drafts)
        assert "亩均税收" in refused.value.message and "待核验" in refused.value.message
        assert "obligations" in refused.value.errors and commitment.fulfillments == []
        obligation.status = "met"
        db.session.flush()
        db.session.expire(commitment, ["linked_obligations"])
        assert _pay(commitment, drafts).override_decision is None


def test_an_unmet_obligation_is_paid_only_on_a_collective_decision_held_before(app, drafts):
    with acting(app):
        commitment = _approved(drafts)
        services.link_obligations(commitment, user_named("a_staff"), [drafts["obligation_a"]])
        late = DecisionInput(MEETING.meeting, drafts.today + timedelta(days=1), MEETING.minute_no)
        with pytest.raises(ServiceError) as refused:
            _pay(commitment, drafts, decision=late)
        assert "decision_held_on" in refused.value.errors
        paid = _pay(commitment, drafts, decision=MEETING)
        assert (
            paid.override_decision.label
            == "岐山县人民政府第 13 次常务会议（2026-12-02，岐政常纪〔2026〕13号）"
        )


def test_conditions_need_their_verification_stated(app, drafts):
    with acting(app):
        commitment = db.session.get(Commitment, drafts["draft_a"])
        commitment.conditions = "项目当年亩均税收不低于 15 万元"
        services.approve_commitment(commitment, user_named("a_manager"))
        with pytest.raises(ServiceError) as refused:
            _pay(commitment, drafts, conditions_evidence="  ")
        assert "核实依据" in refused.value.errors["conditions_evidence"][0]
        paid = _pay(commitment, drafts, conditions_evidence="县税务局完税证明 2026-118")
        assert paid.conditions_evidence == "县税务局完税证明 2026-118"


def test_only_the_projects_own_obligations_can_be_linked(app, drafts):
    with acting(app):
        commitment = db.session.get(Commitment, drafts["draft_a"])
        with pytest.raises(ServiceError) as refused:
            services.link_obligations(commitment, user_named("a_staff"), [drafts["obligation_a"], 999999])
        assert "obligation_ids" in refused.value.errors and commitment.linked_obligations == []


def test_the_page_shows_what_payment_waits_for_and_pays_on_a_decision(client, auth, drafts, app):
    with app.app_context(), system_scope():
        commitment_id = _approved(drafts).id
        db.session.commit()
    url = f"/commitments/{drafts['draft_a']}"
    auth.login("a_staff")
    version = str(_version(app, drafts))
    linked = client.post(
        f"{url}/obligations", data={"obligation_ids": [str(drafts["obligation_a"])], "version": version}
    )
    assert linked.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert f'data-obligation="{drafts["obligation_a"]}" data-status="pending"' in page
    assert 'data-testid="payment-blocker"' in page
    pay = {"fulfilled_on": drafts.today.isoformat(), "amount_wan": "50", "evidence": "拨付凭证 3"}
    refused = client.post(f"{url}/fulfillments", data=pay)
    assert refused.status_code == 422 and "尚不能兑现" in refused.get_data(as_text=True)
    decision = {
        "decision_meeting": MEETING.meeting,
        "decision_held_on": "2026-12-02",
        "decision_minute_no": MEETING.minute_no,
    }
    assert client.post(f"{url}/fulfillments", data={**pay, **decision}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "岐政常纪〔2026〕13号" in page
    with app.app_context(), system_scope():
        (paid,) = db.session.execute(
            select(Fulfillment).where(Fulfillment.commitment_id == commitment_id)
        ).scalars()
        assert paid.override_decision_id is not None


def test_the_api_links_obligations_and_refuses_payment_as_problem_json(api, drafts, app):
    cid = drafts["draft_a"]
    url = f"/api/v1/commitments/{cid}"
    approved = api.act(url, "approve", "a_manager")
    assert approved.status_code == 200
    version = approved.get_json()["version"]
    bad = api.post(f"{url}/obligations", as_user="a_staff", json={"obligation_ids": "1", "version": version})
    assert bad.status_code == 422 and "obligation_ids" in bad.get_json()["errors"]
    linked = api.post(
        f"{url}/obligations",
        as_user="a_staff",
        json={"obligation_ids": [drafts["obligation_a"]], "version": version},
    )
    assert linked.status_code == 200 and linked.get_json()["obligation_ids"] == [drafts["obligation_a"]]
    pay = {
        "fulfilled_on": drafts.today.isoformat(),
        "amount_wan": "50",
        "evidence": "拨付凭证 4",
        "version": linked.get_json()["version"],
    }
    refused = api.post(f"{url}/fulfillments", as_user="a_staff", json=pay)
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    assert "obligations" in refused.get_json()["errors"]
    decision = {
        "decision_meeting": MEETING.meeting,
        "decision_held_on": "2026-12-02",
        "decision_minute_no": MEETING.minute_no,
    }
    paid = api.post(f"{url}/fulfillments", as_user="a_staff", json={**pay, **decision})
    assert paid.status_code == 201 and paid.get_json()["override_decision"]["minute_no"] == MEETING.minute_no


def _version(app, drafts) -> int:
    with app.app_context(), system_scope():
        return db.session.get(Commitment, drafts["draft_a"]).version
