"""Sample files and upload helpers of the evidence-file tests (imported by name, not from
conftest: when pytest runs several folders at once, ``conftest`` is whichever folder's was
loaded last)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

from crm.core.db import db

__all__ = [
    "PDF",
    "PNG",
    "RECORD_PAGES",
    "add_records_of_every_kind",
    "attachment_ids",
    "ooxml",
    "upload",
    "upload_and_download",
]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

# Where each kind of record that takes files has its page, and so its 附件 link: formatted with
# the ids of the records fixture (or of records made like them).
RECORD_PAGES = {
    "project": "/projects/{project}",
    "stage_change": "/projects/{project}",
    "funds": "/projects/{project}/funds",
    "commitment_review": "/commitments/{commitment}",
    "fulfillment": "/commitments/{commitment}",
    "referral": "/rewards/referrals",
}


def ooxml(part: str = "word/document.xml") -> bytes:
    """A minimal Office document, the same bytes on every call: an entry written by name takes
    the clock's time, and two calls either side of a two-second tick made two different files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in (("[Content_Types].xml", "<Types/>"), (part, "<x/>")):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


def upload(
    client, owner_kind: str, owner_id: int, data: bytes = PDF, name: str = "合同.pdf", kind: str = "contract"
):
    """Post a file to a record's attachments page, as the logged-in user."""
    return client.post(
        f"/files/for/{owner_kind}/{owner_id}",
        data={"kind": kind, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def attachment_ids(app, owner_kind: str | None = None) -> list[int]:
    from sqlalchemy import select

    from crm.core.tenancy import system_scope
    from crm.files.models import Attachment

    with app.app_context(), system_scope():
        query = select(Attachment.id).order_by(Attachment.id)
        if owner_kind:
            query = query.where(Attachment.owner_kind == owner_kind)
        return list(db.session.execute(query).scalars())


def upload_and_download(page, kind: str, name: str, mime: str, data: bytes, saved_to) -> str:
    """On a record's 附件 page (Playwright): upload ``data`` as ``name``, see it listed,
    download it back byte for byte; answers the download link's path (the file's URL)."""
    from playwright.sync_api import expect

    form = page.get_by_test_id("upload-form")
    form.locator("select[name=kind]").select_option(label=kind)
    form.locator("input[type=file]").set_input_files(files=[{"name": name, "mimeType": mime, "buffer": data}])
    form.get_by_role("button", name="上传").click()
    expect(page.locator(".alert-success")).to_contain_text("附件已上传")
    listed = page.get_by_test_id("attachments").locator("tr", has_text=name)
    expect(listed).to_contain_text(kind)
    link = listed.get_by_role("link", name=name)
    with page.expect_download() as started:
        link.click()
    download = started.value
    assert download.suggested_filename == name
    download.save_as(saved_to)
    assert saved_to.read_bytes() == data
    return link.get_attribute("href")


def add_records_of_every_kind(
    world, project_id: int, *, policy_name: str, referrer_name: str, stage_move: tuple[str, str]
) -> dict[str, int]:
    """A stage move, a funds record, a commitment with a review and a fulfilment, and a referral on a
    county A project (inside an app context and the system scope); {record kind: id}."""
    from crm.commitments.models import Commitment, CommitmentReview, Fulfillment, Policy
    from crm.funds.models import FundsRecord
    from crm.projects.models import StageChange
    from crm.rewards.models import Referral

    a = world.county_a
    policy = Policy(
        region_id=a, name=policy_name, legal_basis="岐政发〔2024〕1号", valid_from=date(2025, 1, 1)
    )
    db.session.add(policy)
    db.session.flush()
    commitment = Commitment(
        county_id=a,
        policy_id=policy.id,
        project_id=project_id,
        clause="工业用地按基准地价 70% 出让",
        amount_wan=Decimal("300"),
        committed_on=date(2026, 2, 1),
        due_on=date(2026, 9, 1),
        status="approved",
    )
    move = StageChange(
        county_id=a,
        project_id=project_id,
        from_stage=stage_move[0],
        to_stage=stage_move[1],
        reached_on=date(2026, 2, 1),
        changed_by_id=world.ids["a_staff"],
    )
    funds = FundsRecord(
        county_id=a,
        project_id=project_id,
        month=date(2026, 3, 1),
        origin="out_of_province",
        amount_wan=Decimal("1200"),
    )
    referral = Referral(
        county_id=a, project_id=project_id, referrer_name=referrer_name, registered_on=date(2026, 1, 5)
    )
    db.session.add_all([commitment, move, funds, referral])
    db.session.flush()
    review = CommitmentReview(
        county_id=a,
        commitment_id=commitment.id,
        kind="legality",
        reviewer="岐山县司法局",
        reviewed_on=date(2026, 1, 20),
        document_no="岐司审〔2026〕3号",
        conclusion="passed",
        recorded_at=datetime(2026, 1, 20, 2, 0),
    )
    fulfillment = Fulfillment(
        county_id=a,
        commitment_id=commitment.id,
        fulfilled_on=date(2026, 3, 10),
        amount_wan=Decimal("100"),
        evidence="拨付-001",
    )
    db.session.add_all([review, fulfillment])
    db.session.flush()
    return {
        "commitment": commitment.id,
        "stage_change": move.id,
        "funds": funds.id,
        "commitment_review": review.id,
        "fulfillment": fulfillment.id,
        "referral": referral.id,
    }
