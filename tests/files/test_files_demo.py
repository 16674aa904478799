"""The demo carries a few evidence files, generated in code and attached through the files
service: a 合同 on a signed project and a 拨付凭证 on a funds record in each county, a 评审意见
on a commitment review and a 确认函 on a referral in 岐山县. They are stored by content,
audited as uploads, pass ``chaincrm files check``, and keep their county's scope."""

from __future__ import annotations

import re

from demo_support import login
from sqlalchemy import select

from crm.core.db import db

DEMO_FILES = {
    "project": ("contract", 3),
    "funds": ("payment_voucher", 3),
    "commitment_review": ("review_opinion", 1),
    "referral": ("confirmation_letter", 1),
}


def demo_attachments(app):
    from crm.core.tenancy import system_scope
    from crm.files.models import Attachment

    with app.app_context(), system_scope():
        rows = db.session.execute(select(Attachment).order_by(Attachment.id)).scalars().all()
        db.session.expunge_all()
        return rows


def test_the_demo_attaches_small_generated_pdfs_to_each_kind_of_record(demo_app):
    from crm.audit.models import AuditEvent
    from crm.core.tenancy import system_scope
    from crm.files.storage import store

    attachments = demo_attachments(demo_app)
    found = {}
    for attachment in attachments:
        found.setdefault(attachment.owner_kind, []).append(attachment)
    assert {kind: ({a.kind for a in rows}, len(rows)) for kind, rows in found.items()} == {
        kind: ({file_kind}, count) for kind, (file_kind, count) in DEMO_FILES.items()
    }
    assert len({a.county_id for a in found["project"]}) == 3  # one contract in each county
    with demo_app.app_context(), system_scope():
        blobs = store()
        for attachment in attachments:
            assert attachment.file_type == "pdf" and attachment.original_name.endswith(".pdf")
            assert attachment.size_bytes < 4096  # tiny: the demo stays fast and small
            data = open(blobs.path_for(attachment.sha256), "rb").read()
            assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
        audited = db.session.execute(
            select(AuditEvent.record_id).where(
                AuditEvent.table_name == "attachments", AuditEvent.action == "create"
            )
        ).scalars()
        assert set(audited) == {a.id for a in attachments}  # each audited like an upload


def test_files_check_passes_on_the_demo(demo_app):
    result = demo_app.test_cli_runner().invoke(args=["files", "check"])
    assert result.exit_code == 0, result.output
    assert f"{len(demo_attachments(demo_app))} 个附件 attachments, 0 个问题" in result.output


def test_a_demo_contract_is_offered_on_its_project_page_and_kept_in_its_county(demo_app):
    from crm.auth.models import User
    from crm.core.tenancy import system_scope
    from crm.regions.models import Region

    with demo_app.app_context(), system_scope():
        qishan = db.session.execute(select(Region.id).where(Region.code == "610323")).scalar_one()
        owners = dict(db.session.execute(select(User.id, User.username)).all())
    (contract,) = [
        a for a in demo_attachments(demo_app) if a.owner_kind == "project" and a.county_id == qishan
    ]
    staff = login(demo_app, "qishan_leader")  # a reader of the county, not the uploader
    page = staff.get(f"/projects/{contract.owner_id}").get_data(as_text=True)
    assert contract.original_name in page
    assert re.search(rf'href="/files/{contract.id}/download"', page)
    download = staff.get(f"/files/{contract.id}/download")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert owners[contract.uploaded_by_id].startswith("qishan_")

    neighbour = login(demo_app, "fufeng_manager")
    assert neighbour.get(f"/files/{contract.id}/download").status_code == 404
    assert neighbour.get(f"/files/for/project/{contract.owner_id}").status_code == 404
