"""Two people saving the same thing at the same moment: the second write meets a unique key
or a version taken between its service's check and its flush. It is refused (409), never a
500, and a form keeps what its user typed. The moment is reproduced by letting the check
pass, as it does for both when they run side by side."""

from __future__ import annotations

import crm.companies.services as company_services

USCC = "91610323MA6X12345P"


def test_a_company_created_twice_at_once_is_a_conflict_on_the_api(api, world, monkeypatch):
    body = {"name": "宝鸡同时登记新材料有限公司", "uscc": USCC, "not_duplicate": True}
    first = api.post("/api/v1/companies", as_user="a_manager", json=body)
    assert first.status_code == 201, first.get_json()
    monkeypatch.setattr(company_services, "_duplicate_refusal", lambda *args, **kwargs: None)
    second = api.post("/api/v1/companies", as_user="b_manager", json={**body, "name": "宝鸡同时登记新材料"})
    assert second.status_code == 409 and second.mimetype == "application/problem+json"
    assert "同时保存" in second.get_json()["detail"]


def test_a_form_saved_at_the_same_moment_keeps_the_users_input(client, auth, world, monkeypatch):
    auth.login("a_manager")
    form = {"name": "宝鸡同时登记新材料有限公司", "uscc": USCC, "not_duplicate": "y"}
    assert client.post("/companies/new", data=form).status_code == 302
    monkeypatch.setattr(company_services, "_duplicate_refusal", lambda *args, **kwargs: None)
    again = client.post("/companies/new", data={**form, "name": "另一人同时录入的名称"})
    page = again.get_data(as_text=True)
    assert again.status_code == 409 and "同时保存" in page
    assert 'value="另一人同时录入的名称"' in page  # what the user typed is still there


def test_only_a_unique_key_taken_meanwhile_is_a_conflict(app, api, world):
    """A foreign key or check refused by the database is a fault of the code, not somebody
    else's save: it stays a server error (so tests and the fuzz see it)."""
    from sqlalchemy.exc import IntegrityError

    from crm.core.errors import is_unique_violation

    class Unique(Exception):
        sqlstate = "23505"

    class ForeignKey(Exception):
        sqlstate = "23503"

    assert is_unique_violation(IntegrityError("INSERT", {}, Unique()))
    assert is_unique_violation(
        IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed: companies.uscc"))
    )
    assert not is_unique_violation(IntegrityError("INSERT", {}, ForeignKey()))
    assert not is_unique_violation(IntegrityError("INSERT", {}, Exception("FOREIGN KEY constraint failed")))
