"""The attachments API: a record's list, one attachment and its download, in scope."""

from __future__ import annotations

from files_support import attachment_ids, upload


def test_list_get_and_download_through_the_api(app, client, auth, api, records):
    auth.login("a_staff")
    upload(client, "funds", records["funds"], name="拨付凭证.pdf", kind="payment_voucher")
    auth.logout()
    (attachment_id,) = attachment_ids(app)
    listing = api.get(f"/api/v1/attachments?owner_kind=funds&owner_id={records['funds']}", as_user="a_leader")
    assert listing.status_code == 200
    body = listing.get_json()
    assert body["total"] == 1 and body["page"] == 1
    (item,) = body["items"]
    assert item["original_name"] == "拨付凭证.pdf" and item["kind"] == "payment_voucher"
    assert item["content_type"] == "application/pdf" and item["uploaded_at"].endswith("Z")
    one = api.get(f"/api/v1/attachments/{attachment_id}", as_user="a_leader")
    assert one.get_json()["sha256"] == item["sha256"]
    download = api.get(item["download_url"], as_user="a_leader")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_another_county_gets_problem_404(app, client, auth, api, records):
    auth.login("a_staff")
    upload(client, "project", records["project"])
    auth.logout()
    (attachment_id,) = attachment_ids(app)
    for path in (
        f"/api/v1/attachments?owner_kind=project&owner_id={records['project']}",
        f"/api/v1/attachments/{attachment_id}",
        f"/api/v1/attachments/{attachment_id}/download",
    ):
        response = api.get(path, as_user="b_manager")
        assert response.status_code == 404, path
        assert response.mimetype == "application/problem+json"


def test_a_confidential_projects_files_are_403_for_other_staff(app, client, auth, api, records):
    auth.login("a_staff")
    upload(client, "project", records["secret"], name="宁德时代协议.pdf")
    auth.logout()
    (attachment_id,) = attachment_ids(app)
    response = api.get(f"/api/v1/attachments/{attachment_id}", as_user="a_staff2")
    assert response.status_code == 403 and "宁德时代" not in response.get_data(as_text=True)
    assert (
        api.get(
            f"/api/v1/attachments?owner_kind=project&owner_id={records['secret']}", as_user="a_staff2"
        ).status_code
        == 403
    )
    assert api.get(f"/api/v1/attachments/{attachment_id}", as_user="a_manager").status_code == 200


def test_without_an_owner_the_list_holds_the_files_the_caller_may_read(app, client, auth, api, records):
    auth.login("a_staff")
    upload(client, "project", records["project"], name="公开合同.pdf")
    upload(client, "project", records["secret"], b"%PDF-1.4 secret", name="宁德时代协议.pdf")
    auth.logout()

    def names(user):
        return [i["original_name"] for i in api.get("/api/v1/attachments", as_user=user).get_json()["items"]]

    assert sorted(names("a_manager")) == ["公开合同.pdf", "宁德时代协议.pdf"]
    assert names("a_staff2") == ["公开合同.pdf"]
    assert names("b_manager") == []


def test_missing_or_unknown_owner_is_refused(api, records):
    assert api.get("/api/v1/attachments?owner_kind=funds", as_user="a_staff").status_code == 422
    assert api.get("/api/v1/attachments?owner_kind=nothing&owner_id=1", as_user="a_staff").status_code == 400
    assert "/attachments/{attachment_id}/download" in api.get("/api/v1/openapi.json").get_json()["paths"]
