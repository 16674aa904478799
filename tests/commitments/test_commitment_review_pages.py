"""Reviews, risk flags and collective decisions as a user sees them: the detail page, the
export and the wording (issue 14 items 9-11, 14)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from crm.commitments.models import Commitment, CommitmentReview
from crm.core.db import db
from crm.core.tenancy import system_scope

ROOT = Path(__file__).resolve().parents[2]


def _reviews(app, commitment_id) -> list[tuple]:
    with app.app_context(), system_scope():
        rows = db.session.execute(
            select(CommitmentReview)
            .where(CommitmentReview.commitment_id == commitment_id)
            .order_by(CommitmentReview.id)
        ).scalars()
        return [(r.kind, r.reviewer, r.document_no, r.conclusion, r.attachment_ref) for r in rows]


def test_the_detail_page_lists_each_review_record_and_records_a_new_one(client, auth, drafts, app):
    url = f"/commitments/{drafts['draft_a']}"
    auth.login("a_staff")
    page = client.get(url).get_data(as_text=True)
    assert page.count('data-review="') == 2 and "岐山县司法局" in page and "档案 A-12" in page
    assert 'data-testid="legal-review">审查通过' in page
    bad = client.post(f"{url}/reviews", data={"kind": "legality", "reviewer": "", "conclusion": "failed"})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "请填写审查机构及审查人" in body and "请填写审查意见书文号" in body
    review = {
        "kind": "legality",
        "reviewer": "岐山县司法局 王法",
        "reviewed_on": "2026-12-03",
        "document_no": "岐司审〔2026〕31号",
        "conclusion": "failed",
        "attachment_ref": "档案 B-3",
    }
    assert client.post(f"{url}/reviews", data=review).status_code == 302
    assert _reviews(app, drafts["draft_a"])[-1] == (
        "legality",
        "岐山县司法局 王法",
        "岐司审〔2026〕31号",
        "failed",
        "档案 B-3",
    )
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="legal-review">审查未通过' in page and "岐司审〔2026〕31号" in page


def test_the_approval_form_says_why_it_cannot_approve_yet(client, auth, drafts, app):
    with app.app_context(), system_scope():
        commitment = db.session.get(Commitment, drafts["draft_a"])
        commitment.risk_legal_basis = None
        db.session.commit()
    auth.login("a_manager")
    page = client.get(f"/commitments/{drafts['draft_a']}").get_data(as_text=True)
    assert 'data-risk="land_price"' in page and 'data-testid="risk-basis-missing"' in page
    response = client.post(f"/commitments/{drafts['draft_a']}/approve", data={"version": "2"})
    assert response.status_code == 422 and "法律依据" in response.get_data(as_text=True)


def test_the_drafter_is_told_someone_else_must_approve(client, auth, drafts, app):
    with app.app_context(), system_scope():
        from commitment_helpers import draft_commitment, user_named

        from crm.commitments.models import Policy
        from crm.projects.models import Project

        own = draft_commitment(
            db.session.get(Project, drafts["project_a"]),
            db.session.get(Policy, drafts["policy_a"]),
            user_named("a_manager"),
            drafts.today,
        )
        db.session.commit()
        own_id = own.id
    auth.login("a_manager")
    page = client.get(f"/commitments/{own_id}").get_data(as_text=True)
    assert 'data-testid="own-draft"' in page
    refused = client.post(f"/commitments/{own_id}/approve", data={"version": "1"})
    assert refused.status_code == 403


def test_the_export_shows_review_states_and_the_collective_decision(client, auth, drafts, app, api):
    with app.app_context(), system_scope():
        db.session.get(Commitment, drafts["draft_a"]).amount_wan = Decimal("800")
        db.session.commit()
    url = f"/api/v1/commitments/{drafts['draft_a']}"
    decision = {
        "decision_meeting": "县委常委会",
        "decision_held_on": "2026-11-30",
        "decision_minute_no": "纪要 3 号",
    }
    assert api.act(url, "approve", "a_manager", **decision).status_code == 200
    auth.login("a_leader")
    rows = list(csv.reader(io.StringIO(client.get("/commitments/export.csv").get_data().decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    assert header[-3:] == ["公平竞争审查", "合法性审核（司法局）", "超限批准依据（集体决策）"]
    assert row[-3:] == ["审查通过", "审查通过", "县委常委会（2026-11-30，纪要 3 号）"]


def test_the_justice_bureau_review_is_never_called_judicial_review():
    """司法审查 is review by the courts; the justice bureau gives a 合法性审核."""
    places = [ROOT / "crm" / "commitments", ROOT / "templates" / "commitments"]
    found = [
        str(path.relative_to(ROOT))
        for folder in places
        for path in folder.rglob("*")
        if path.suffix in (".py", ".html") and "司法审查" in path.read_text(encoding="utf-8")
    ]
    assert found == []
