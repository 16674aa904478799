"""A page offers a record's files (the 附件 section or link) only to who may read them: a
colleague who is not a confidential project's owner, its county's leader and the city's
coordinator see its pages without any way to its files, and the files' own URLs still answer
403; its owner and the county's manager see the links. The check is the download's own
(crm/files/access.py)."""

from __future__ import annotations

import pytest
from files_support import PDF, RECORD_PAGES, add_records_of_every_kind, attachment_ids, upload

from crm.core.db import db

SECRET_NAME = "宁德时代储能基地"


@pytest.fixture
def secret_records(app, world, records) -> dict[str, int]:
    """Records of every kind on the confidential project 蓝海项目 (a_staff's), each with a
    contract its owner uploaded."""
    from crm.core.tenancy import system_scope

    project = records["secret"]
    with app.app_context(), system_scope():
        made = add_records_of_every_kind(
            world,
            project,
            policy_name="储能产业扶持",
            referrer_name="李四",
            stage_move=("contacted", "negotiating"),
        )
        db.session.commit()
    return {"project": project, **made}


@pytest.fixture
def secret_files(app, client, auth, secret_records) -> dict[str, int]:
    """{record kind: the attachment id} of a contract on each confidential record."""
    auth.login("a_staff")
    for kind in RECORD_PAGES:
        assert upload(client, kind, secret_records[kind], PDF, f"{SECRET_NAME}{kind}.pdf").status_code == 302
    auth.logout()
    return {kind: attachment_ids(app, kind)[-1] for kind in RECORD_PAGES}


@pytest.mark.parametrize("reader", ["a_staff2", "a_leader", "city"])
def test_who_may_not_read_a_confidential_projects_files_is_offered_no_link(
    client, auth, secret_records, secret_files, reader
):
    auth.login(reader)
    for kind, page_url in RECORD_PAGES.items():
        record_id = secret_records[kind]
        response = client.get(page_url.format(**secret_records))
        assert response.status_code == 200, (kind, response.status_code)
        page = response.get_data(as_text=True)
        assert f"/files/for/{kind}/{record_id}" not in page, kind  # no 附件 link to follow
        assert f"/files/{secret_files[kind]}/download" not in page, kind
        assert "/files/for/project/" not in page, kind
        assert 'data-testid="attachments-panel-project"' not in page
        assert SECRET_NAME not in page
        # The URLs themselves still refuse.
        assert client.get(f"/files/for/{kind}/{record_id}").status_code == 403, kind
        assert client.get(f"/files/{secret_files[kind]}/download").status_code == 403, kind


@pytest.mark.parametrize("reader", ["a_staff", "a_manager"])
def test_the_owner_and_the_manager_are_offered_the_links(client, auth, secret_records, secret_files, reader):
    auth.login(reader)
    for kind, page_url in RECORD_PAGES.items():
        page = client.get(page_url.format(**secret_records)).get_data(as_text=True)
        assert f"/files/for/{kind}/{secret_records[kind]}" in page, kind
        assert client.get(f"/files/for/{kind}/{secret_records[kind]}").status_code == 200, kind
    project_page = client.get(f"/projects/{secret_records['project']}").get_data(as_text=True)
    assert f"/files/{secret_files['project']}/download" in project_page


def test_an_open_projects_links_are_offered_to_every_reader_of_its_county(client, auth, records):
    auth.login("a_leader")
    for kind, page_url in RECORD_PAGES.items():
        page = client.get(page_url.format(**records.ids)).get_data(as_text=True)
        assert f"/files/for/{kind}/{records[kind]}" in page, kind


def test_the_pages_and_the_download_use_one_check(app, world, records):
    """The template global is the function the download view calls."""
    from crm.files import access, views

    assert app.jinja_env.globals["may_read_files"] is access.may_read_files
    assert views.may_read_files is access.may_read_files
