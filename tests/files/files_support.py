"""Sample files and upload helpers of the evidence-file tests (imported by name, not from
conftest: when pytest runs several folders at once, ``conftest`` is whichever folder's was
loaded last)."""

from __future__ import annotations

import io
import zipfile

from crm.core.db import db

__all__ = ["PDF", "PNG", "RECORD_PAGES", "attachment_ids", "ooxml", "upload", "upload_and_download"]

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
