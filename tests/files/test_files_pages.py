"""Attach and download a file on every kind of record, through the pages."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from files_support import PDF, PNG, RECORD_PAGES, attachment_ids, ooxml, upload
from sqlalchemy import select

from crm.core.db import db

OWNER_KINDS = ("project", "stage_change", "funds", "commitment_review", "fulfillment", "referral")


def audit_rows(app, action):
    from crm.audit.models import AuditEvent
    from crm.core.tenancy import system_scope

    with app.app_context(), system_scope():
        return list(
            db.session.execute(
                select(AuditEvent).where(AuditEvent.table_name == "attachments", AuditEvent.action == action)
            ).scalars()
        )


@pytest.mark.parametrize("owner_kind", OWNER_KINDS)
def test_upload_and_download_on_each_record_kind(app, client, auth, records, owner_kind):
    auth.login("a_staff")
    owner_id = records[owner_kind]
    record_page = client.get(RECORD_PAGES[owner_kind].format(**records.ids)).get_data(as_text=True)
    assert f"/files/for/{owner_kind}/{owner_id}" in record_page  # the record's page leads to its files

    response = upload(client, owner_kind, owner_id, PDF, "岐山电池项目投资协议.pdf", "contract")
    assert response.status_code == 302
    (attachment_id,) = attachment_ids(app, owner_kind)
    page = client.get(f"/files/for/{owner_kind}/{owner_id}").get_data(as_text=True)
    assert "岐山电池项目投资协议.pdf" in page and "附件已上传" in page

    download = client.get(f"/files/{attachment_id}/download")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.mimetype == "application/pdf"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" + quote("岐山电池项目投资协议.pdf") in disposition
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]  # its own policy, not the pages'

    (created,) = audit_rows(app, "create")
    assert created.record_id == attachment_id and created.after["original_name"] == "岐山电池项目投资协议.pdf"
    (downloaded,) = audit_rows(app, "download")
    assert downloaded.record_id == attachment_id and downloaded.actor_id is not None


def test_project_page_shows_the_panel_with_its_files_and_stage_moves(app, client, auth, records):
    auth.login("a_staff")
    upload(client, "project", records["project"], PNG, "营业执照.png", "business_license")
    page = client.get(f"/projects/{records['project']}").get_data(as_text=True)
    assert 'data-testid="attachments-panel-project"' in page
    assert "营业执照.png" in page
    assert f'data-testid="stage-move-files-{records["stage_change"]}"' in page


def test_a_file_refused_by_its_content_is_not_stored(app, client, auth, records, files_dir):
    auth.login("a_staff")
    html = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
    response = upload(client, "project", records["project"], html, "合同.pdf")
    assert response.status_code == 422
    assert "不支持的文件类型" in response.get_data(as_text=True)
    exe = upload(client, "project", records["project"], b"MZ\x90\x00" + b"\x00" * 60, "合同.pdf")
    assert exe.status_code == 422
    assert attachment_ids(app) == []
    assert not files_dir.exists() or not any(files_dir.rglob("*"))


def test_an_empty_post_asks_for_a_file(app, client, auth, records):
    auth.login("a_staff")
    response = client.post(
        f"/files/for/project/{records['project']}",
        data={"kind": "contract"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "请选择要上传的文件" in response.get_data(as_text=True)


def test_a_file_over_the_limit_is_refused_with_its_size(app, client, auth, records):
    app.config["FILE_MAX_BYTES"] = 1000
    auth.login("a_staff")
    response = upload(client, "project", records["project"], PDF + b"0" * 2000, "大合同.pdf")
    assert response.status_code == 422
    assert "文件超过" in response.get_data(as_text=True)
    assert attachment_ids(app) == []


def test_a_request_over_the_servers_limit_gets_a_page_that_says_so(app, client, auth, records):
    app.config["MAX_CONTENT_LENGTH"] = 2000
    auth.login("a_staff")
    response = upload(client, "project", records["project"], PDF + b"0" * 5000, "大合同.pdf")
    assert response.status_code == 413
    text = response.get_data(as_text=True)
    assert "文件过大" in text and "MB" in text


def test_a_name_that_hides_the_type_gets_the_real_extension(app, client, auth, records):
    auth.login("a_staff")
    upload(client, "project", records["project"], PNG, "../../页面.html")
    (attachment_id,) = attachment_ids(app)
    download = client.get(f"/files/{attachment_id}/download")
    assert download.mimetype == "image/png"
    assert quote("页面.html.png") in download.headers["Content-Disposition"]


def test_the_same_file_twice_is_stored_once(app, client, auth, records, files_dir):
    auth.login("a_staff")
    upload(client, "project", records["project"], ooxml(), "协议.docx")
    upload(client, "funds", records["funds"], ooxml(), "协议副本.docx")
    assert len(attachment_ids(app)) == 2
    assert len([p for p in files_dir.rglob("*") if p.is_file()]) == 1


def test_reading_roles_download_but_do_not_upload(app, client, auth, records):
    auth.login("a_staff")
    upload(client, "project", records["project"])
    (attachment_id,) = attachment_ids(app)
    auth.logout()
    auth.login("a_leader")
    page = client.get(f"/files/for/project/{records['project']}").get_data(as_text=True)
    assert "合同.pdf" in page and 'data-testid="upload-form"' not in page
    assert client.get(f"/files/{attachment_id}/download").status_code == 200
    assert upload(client, "project", records["project"]).status_code == 403
    auth.logout()
    auth.login("city")  # the city's coordinator reads the county's records, and their files
    assert client.get(f"/files/{attachment_id}/download").status_code == 200


def test_detach_by_uploader_or_manager_keeps_the_bytes(app, client, auth, records, files_dir):
    auth.login("a_staff")
    upload(client, "project", records["project"])
    (attachment_id,) = attachment_ids(app)
    auth.logout()
    auth.login("a_staff2")  # neither the uploader nor a manager
    assert client.post(f"/files/{attachment_id}/delete").status_code == 302
    assert "合同.pdf" in client.get(f"/files/for/project/{records['project']}").get_data(as_text=True)
    auth.logout()
    auth.login("a_staff")
    client.post(f"/files/{attachment_id}/delete")
    page = client.get(f"/files/for/project/{records['project']}").get_data(as_text=True)
    assert "合同.pdf" not in page
    assert client.get(f"/files/{attachment_id}/download").status_code == 404  # gone for staff
    assert len([p for p in files_dir.rglob("*") if p.is_file()]) == 1  # the bytes stay
    (detached,) = audit_rows(app, "update")
    assert detached.after["detached_at"]
    auth.logout()
    auth.login("a_manager")  # the manager still reaches it on the purge page
    purge_page = client.get("/files/purge").get_data(as_text=True)
    assert f'data-testid="purgeable-{attachment_id}"' in purge_page
    assert client.get(f"/files/{attachment_id}/download").status_code == 200
    client.post("/files/purge", data={"ids": [str(attachment_id)]})
    assert [p for p in files_dir.rglob("*") if p.is_file()] == []
    assert client.get(f"/files/{attachment_id}/download").status_code == 404
    assert f'data-testid="purgeable-{attachment_id}"' not in client.get("/files/purge").get_data(as_text=True)


def test_a_deleted_records_files_stay_until_purged(app, client, auth, records, files_dir):
    auth.login("a_staff")
    upload(client, "funds", records["funds"], PDF, "拨付凭证.pdf", "payment_voucher")
    (attachment_id,) = attachment_ids(app)
    auth.logout()
    auth.login("a_manager")
    from crm.funds.models import FundsRecord

    with app.app_context():
        from crm.core.tenancy import system_scope

        with system_scope():
            version = db.session.get(FundsRecord, records["funds"]).version
    assert client.post(f"/funds/{records['funds']}/delete", data={"version": version}).status_code == 302
    assert any(p.is_file() for p in files_dir.rglob("*"))
    page = client.get("/files/purge").get_data(as_text=True)
    assert f'data-testid="purgeable-{attachment_id}"' in page and "记录已删除" in page


def test_purge_keeps_bytes_another_attachment_still_holds(app, client, auth, records, files_dir):
    auth.login("a_staff")
    upload(client, "project", records["project"])
    upload(client, "funds", records["funds"])
    first, _second = attachment_ids(app)
    client.post(f"/files/{first}/delete")
    auth.logout()
    auth.login("a_manager")
    client.post("/files/purge", data={"ids": [str(first)]})
    assert len([p for p in files_dir.rglob("*") if p.is_file()]) == 1
