def test_me_answers_user_role_and_region(api, world):
    response = api.get("/api/v1/me", as_user="a_staff")
    assert response.status_code == 200
    assert response.get_json() == {
        "id": world.ids["a_staff"],
        "username": "a_staff",
        "display_name": "a_staff",
        "role": "staff",
        "region_code": "610323",
        "region_name": "岐山县",
    }


def test_missing_or_bad_token_is_401_problem(client, api, world):
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        body = response.get_json()
        assert body["status"] == 401 and body["title"] and "type" in body


def test_unknown_endpoint_is_404_problem(api, world):
    response = api.get("/api/v1/no-such-thing", as_user="a_staff")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_wrong_method_is_problem_not_html(api, world):
    response = api.post("/api/v1/me", as_user="a_staff", json={})
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"


def test_disabled_user_token_stops_working(api, app, world):
    from crm.auth.models import User
    from crm.core.db import db
    from crm.core.tenancy import system_scope

    api.token("a_staff")
    with app.app_context(), system_scope():
        db.session.get(User, world.ids["a_staff"]).is_active_user = False
        db.session.commit()
    assert api.get("/api/v1/me", as_user="a_staff").status_code == 401


def test_api_sets_no_session_cookie(api, world):
    response = api.get("/api/v1/me", as_user="a_staff")
    assert "Set-Cookie" not in response.headers


def test_openapi_document_lists_me_and_problem(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"].startswith("3.")
    assert "/me" in doc["paths"]
    assert "Problem" in doc["components"]["schemas"]
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_short_lists_answer_the_shape_of_every_list(api, world):
    """Lists worked out whole (a year's rates, the 存量清理 list, a county's 亩均效益 table)
    page like every other: {items, total, page, per_page}, ``page`` and ``per_page`` taken."""
    for month, rate in (("2026-02", "7.1"), ("2026-03", "7.2")):
        saved = api.post("/api/v1/funds/rates", as_user="prov", json={"month": month, "cny_per_usd": rate})
        assert saved.status_code == 200
    rates = api.get("/api/v1/funds/rates?per_page=1&page=2", as_user="a_staff").get_json()
    assert (rates["total"], rates["page"], rates["per_page"]) == (2, 2, 1)
    assert [r["month"] for r in rates["items"]] == ["2026-02-01"]  # latest month first
    for path, user in (
        ("/api/v1/commitments/cleanup?per_page=5", "a_manager"),
        ("/api/v1/land-efficiency?year=2026&per_page=5", "a_leader"),
    ):
        body = api.get(path, as_user=user).get_json()
        assert {"items", "total", "page", "per_page"} <= set(body) and body["per_page"] == 5, path


def test_a_refusal_without_its_own_reason_is_explained_in_chinese(api, world):
    """werkzeug's default texts are English; the API's problems say it in the user's words."""
    for path, status, words in (
        ("/api/v1/projects/-1", 404, "没有这个地址或记录"),
        ("/api/v1/reviews/4/2026Q9", 404, "没有这个地址或记录"),
        ("/api/v1/no-such-thing", 404, "没有这个地址或记录"),
    ):
        reply = api.get(path, as_user="a_staff")
        problem = reply.get_json()
        assert reply.status_code == status and words in problem["detail"], (path, problem)
        assert "requested URL" not in problem["detail"]
    refused = api.delete("/api/v1/me", as_user="a_staff")
    assert refused.status_code == 405 and "不接受这种请求方法" in refused.get_json()["detail"]
