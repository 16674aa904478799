"""/api/v1/companies: the same rules as the pages, answered as JSON and problem+json."""

from __future__ import annotations

from api_support import assert_documented

from crm.companies.models import Company, Contact

VALID = "91350100M000100Y43"


def test_create_get_list_and_search(api, company_maker):
    response = api.post(
        "/api/v1/companies",
        as_user="a_staff",
        json={
            "name": "渭河新能源科技有限公司",
            "uscc": VALID,
            "industry_code": "36",
            "tags": ["专精特新"],
            "size": "small",
        },
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["uscc"] == VALID and body["tags"] == ["专精特新"] and body["version"] == 1
    assert body["name_key"] == "渭河新能源科技" and body["warnings"] == []
    assert set(body) >= {"id", "name", "industry_code", "headquarters", "created_at"}
    fetched = api.get(response.headers["Location"], as_user="b_leader")
    assert fetched.status_code == 200 and fetched.get_json()["name"] == "渭河新能源科技有限公司"
    company_maker.company("其他企业有限公司")
    listing = api.get("/api/v1/companies?q=渭河&per_page=10", as_user="city").get_json()
    assert [c["name"] for c in listing["items"]] == ["渭河新能源科技有限公司"]
    assert listing["total"] == 1 and listing["per_page"] == 10
    assert api.get("/api/v1/companies?tag=专精特新", as_user="a_staff").get_json()["total"] == 1
    assert api.get("/api/v1/companies", as_user="a_staff").get_json()["total"] == 2


def test_invalid_uscc_answers_422_naming_the_position(api, company_maker):
    response = api.post(
        "/api/v1/companies",
        as_user="a_staff",
        json={"name": "渭河新能源科技有限公司", "uscc": "91350100M000100Y44"},
    )
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"]["uscc"] == ["第18位校验码应为 3"]
    bad_types = api.post(
        "/api/v1/companies", as_user="a_staff", json={"name": 12, "tags": "上市公司", "industry_code": ["36"]}
    )
    assert bad_types.status_code == 422
    assert set(bad_types.get_json()["errors"]) == {"name", "tags", "industry_code"}
    assert api.post("/api/v1/companies", as_user="a_staff", json=["not", "an", "object"]).status_code == 400
    assert company_maker.count(Company) == 0


def test_org_code_warning_is_reported_and_saved(api, company_maker, uscc_bad_org_check):
    response = api.post(
        "/api/v1/companies", as_user="a_staff", json={"name": "新企业", "uscc": uscc_bad_org_check}
    )
    assert response.status_code == 201
    assert "组织机构代码校验码" in response.get_json()["warnings"][0]


def test_duplicates_same_uscc_422_similar_name_409_then_override(api, company_maker):
    existing = company_maker.company("宁德时代新能源科技股份有限公司", VALID)
    same = api.post(
        "/api/v1/companies", as_user="a_staff", json={"name": "别名", "uscc": VALID, "not_duplicate": True}
    )
    assert same.status_code == 422
    assert same.get_json()["existing"][0]["id"] == existing and "uscc" in same.get_json()["errors"]
    similar = api.post("/api/v1/companies", as_user="a_staff", json={"name": "宁德时代新能源科技有限公司"})
    assert similar.status_code == 409
    assert [c["id"] for c in similar.get_json()["existing"]] == [existing]
    assert company_maker.count(Company) == 1
    forced = api.post(
        "/api/v1/companies",
        as_user="a_staff",
        json={"name": "宁德时代新能源科技有限公司", "not_duplicate": True},
    )
    assert forced.status_code == 201
    assert company_maker.count(Company) == 2


def test_patch_requires_version_and_refuses_stale_one(api, company_maker):
    company = company_maker.company("秦岭药业有限公司", headquarters="西安")
    missing = api.patch(f"/api/v1/companies/{company}", as_user="a_staff", json={"headquarters": "宝鸡"})
    assert missing.status_code == 422 and "version" in missing.get_json()["errors"]
    first = api.patch(
        f"/api/v1/companies/{company}", as_user="a_staff", json={"headquarters": "宝鸡", "version": 1}
    )
    assert first.status_code == 200 and first.get_json()["version"] == 2
    second = api.patch(
        f"/api/v1/companies/{company}", as_user="b_staff", json={"headquarters": "咸阳", "version": 1}
    )
    assert second.status_code == 409 and second.mimetype == "application/problem+json"
    assert second.get_json()["current"]["headquarters"] == "宝鸡"
    assert company_maker.get(Company, company)["headquarters"] == "宝鸡"
    bad = api.patch(f"/api/v1/companies/{company}", as_user="a_staff", json={"uscc": "123", "version": 2})
    assert bad.status_code == 422 and bad.get_json()["errors"]["uscc"] == ["长度应为18位，实际为3位"]
    readonly = api.patch(
        f"/api/v1/companies/{company}", as_user="a_staff", json={"name_key": "x", "version": 2}
    )
    assert readonly.status_code == 422 and "name_key" in readonly.get_json()["errors"]
    wrong_version = api.patch(f"/api/v1/companies/{company}", as_user="a_staff", json={"version": "two"})
    assert wrong_version.status_code == 422
    assert company_maker.get(Company, company)["version"] == 2


def test_roles_and_404(api, company_maker):
    company = company_maker.company("秦岭药业有限公司")
    assert api.get("/api/v1/companies", as_user="admin").status_code == 403
    assert api.get(f"/api/v1/companies/{company}", as_user="admin").status_code == 403
    assert api.post("/api/v1/companies", as_user="a_leader", json={"name": "x"}).status_code == 403
    assert (
        api.patch(
            f"/api/v1/companies/{company}", as_user="city", json={"name": "x", "version": 1}
        ).status_code
        == 403
    )
    assert api.get("/api/v1/companies/999", as_user="a_staff").status_code == 404
    assert api.patch("/api/v1/companies/999", as_user="a_staff", json={"version": 1}).status_code == 404
    assert api.get("/api/v1/companies/999/contacts", as_user="a_staff").status_code == 404
    assert api.get("/api/v1/companies").status_code == 401
    assert company_maker.get(Company, company)["name"] == "秦岭药业有限公司"


def test_contacts_api_create_and_list(api, company_maker, world):
    company = company_maker.company("秦岭药业有限公司")
    bad = api.post(f"/api/v1/companies/{company}/contacts", as_user="a_staff", json={"email": "nope"})
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) == {"name", "email"}
    assert company_maker.count(Contact) == 0
    created = api.post(
        f"/api/v1/companies/{company}/contacts",
        as_user="a_staff",
        json={"name": "赵总", "phone": "029-8888 6666", "county_id": world.county_b},
    )
    assert created.status_code == 201
    body = created.get_json()
    assert body["county_id"] == world.county_a and body["company_id"] == company  # never another county's
    listing = api.get(f"/api/v1/companies/{company}/contacts", as_user="a_leader").get_json()
    assert [c["name"] for c in listing["items"]] == ["赵总"]
    assert api.get(f"/api/v1/companies/{company}/contacts", as_user="b_staff").get_json()["total"] == 0


def test_openapi_documents_companies(client):
    assert_documented(
        client,
        {
            "/companies": set(),
            "/companies/{company_id}": {"patch"},
            "/companies/{company_id}/contacts": set(),
            "/contacts": set(),
            "/contacts/{contact_id}": set(),
        },
        {"Company", "Contact"},
    )
