"""Files keep their record's county scope and its confidentiality."""

from __future__ import annotations

import pytest
from files_support import attachment_ids, upload


@pytest.fixture
def a_file(app, client, auth, records):
    """A contract of county A's project, uploaded by a_staff (then logged out)."""
    auth.login("a_staff")
    upload(client, "project", records["project"])
    auth.logout()
    (attachment_id,) = attachment_ids(app)
    return attachment_id


@pytest.mark.parametrize("username", ["b_manager", "b_staff", "b_leader", "c_staff", "xian"])
def test_another_countys_file_is_404_everywhere(client, auth, records, a_file, username):
    auth.login(username)
    assert client.get(f"/files/{a_file}/download").status_code == 404
    assert client.get(f"/files/for/project/{records['project']}").status_code == 404
    assert client.get(f"/files/for/funds/{records['funds']}").status_code == 404
    assert upload(client, "project", records["project"]).status_code == 404
    # A role that writes nothing is refused before any record is looked at (403), as everywhere.
    writes = username in ("b_manager", "b_staff", "c_staff")
    assert client.post(f"/files/{a_file}/delete").status_code == (404 if writes else 403)
    if username == "b_manager":
        assert f"purgeable-{a_file}" not in client.get("/files/purge").get_data(as_text=True)
        client.post("/files/purge", data={"ids": [str(a_file)]})
    auth.logout()
    auth.login("a_staff")
    assert client.get(f"/files/{a_file}/download").status_code == 200  # untouched


def test_an_unknown_record_kind_or_id_is_404(client, auth, records):
    auth.login("a_manager")
    assert client.get("/files/for/nothing/1").status_code == 404
    assert client.get("/files/for/project/999999").status_code == 404
    assert client.get("/files/for/project/99999999999999").status_code == 404
    assert client.get("/files/999999/download").status_code == 404


def test_a_confidential_projects_files_are_for_its_owner_and_managers(app, client, auth, records):
    secret = records["secret"]
    auth.login("a_staff")  # the owner
    assert upload(client, "project", secret, name="宁德时代储能基地投资协议.pdf").status_code == 302
    (attachment_id,) = attachment_ids(app)
    auth.logout()
    for reader in ("a_staff2", "a_leader", "city"):
        auth.login(reader)
        project_page = client.get(f"/projects/{secret}").get_data(as_text=True)
        assert "宁德时代" not in project_page
        assert 'data-testid="attachments-panel-project"' not in project_page  # no way to the files
        assert client.get(f"/files/for/project/{secret}").status_code == 403
        assert client.get(f"/files/{attachment_id}/download").status_code == 403
        auth.logout()
    auth.login("a_manager")
    assert "宁德时代储能基地投资协议.pdf" in client.get(f"/projects/{secret}").get_data(as_text=True)
    assert client.get(f"/files/{attachment_id}/download").status_code == 200


def test_the_audit_log_names_uploads_and_downloads(app, client, auth, records, a_file):
    auth.login("a_staff")
    client.get(f"/files/{a_file}/download")
    auth.logout()
    auth.login("a_manager")
    page = client.get("/audit/?table=attachments").get_data(as_text=True)
    assert "下载" in page and "新建" in page and "合同.pdf" in page
    auth.logout()
    auth.login("b_manager")
    assert "合同.pdf" not in client.get("/audit/?table=attachments").get_data(as_text=True)
