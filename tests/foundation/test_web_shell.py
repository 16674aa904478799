import re

import pytest
from passwords import PASSWORD


def test_security_headers_and_csp_nonce(client, world):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    page = response.get_data(as_text=True)
    # Every inline script (one without src) must carry the nonce of this response.
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    for tag in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page):
        assert f'nonce="{nonce}"' in tag


def test_session_cookie_is_httponly_and_samesite(client, world, auth):
    response = auth.login("a_staff")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure(monkeypatch):
    from crm import create_app

    monkeypatch.setenv("CHAINCRM_SECRET_KEY", "a-long-random-value-0123456789")
    app = create_app({"ENV": "production", "DATABASE_URL": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_pages_load_nothing_from_outside(client, world, auth):
    auth.login("a_manager")
    for path in ("/login", "/admin/users", "/audit/", "/account/password"):
        page = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), path


def test_chinese_by_default_english_selectable(client, world):
    page = client.get("/login").get_data(as_text=True)
    assert "登录" in page and 'lang="zh-CN"' in page
    client.get("/lang/en?next=/login")
    page = client.get("/login").get_data(as_text=True)
    assert "Log in" in page and 'lang="en"' in page


def test_language_switch_refuses_offsite_redirect(client):
    response = client.get("/lang/en?next=//evil.example/")
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_error_pages_in_layout(client, world, auth):
    auth.login("a_staff")
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and "未找到" in missing.get_data(as_text=True)
    forbidden = client.get("/admin/regions/")
    assert forbidden.status_code == 403 and "无权限：您的角色不能执行此操作" in forbidden.get_data(
        as_text=True
    )


def test_csrf_is_required_on_forms(app, world):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    response = client.post("/login", data={"username": "a_staff", "password": PASSWORD})
    assert response.status_code == 400
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    ok = client.post("/login", data={"username": "a_staff", "password": PASSWORD, "csrf_token": token})
    assert ok.status_code == 302


@pytest.mark.parametrize(
    "role_user, visible, hidden",
    [
        ("admin", ["用户管理", "行政区划"], []),
        ("a_manager", ["用户管理", "审计日志"], ["行政区划"]),
        ("a_staff", [], ["用户管理", "行政区划", "审计日志"]),
    ],
)
def test_navigation_by_role(client, world, auth, role_user, visible, hidden):
    auth.login(role_user)
    page = client.get("/account/password").get_data(as_text=True)
    nav = page.split("<main")[0]
    for label in visible:
        assert label in nav
    for label in hidden:
        assert label not in nav


def test_admin_creates_region_with_field_errors_kept(client, world, auth):
    auth.login("admin")
    bad = client.post(
        "/admin/regions/new",
        data={"code": "6103X5", "name": "新县", "level": "county", "parent_code": "610300"},
    )
    body = bad.get_data(as_text=True)
    assert "6 位数字" in body and 'value="新县"' in body
    ok = client.post(
        "/admin/regions/new",
        data={"code": "610326", "name": "眉县", "level": "county", "parent_code": "610300"},
    )
    assert ok.status_code == 302
    assert "眉县" in client.get("/admin/regions/").get_data(as_text=True)


def test_ids_beyond_any_integer_are_404_not_500(client, world, auth, api):
    auth.login("a_manager")
    huge = "9" * 25
    assert client.get(f"/admin/users/{huge}/edit").status_code == 404
    for path in (f"/projects/{huge}", f"/commitments/{huge}", f"/chains/{huge}/graph"):
        assert client.get(path).status_code == 404, path
    assert api.get(f"/api/v1/projects/{huge}", as_user="a_manager").status_code == 404


def test_menu_groups_related_pages_and_hides_empty_groups(client, world, auth):
    auth.login("a_manager")
    nav = client.get("/account/password").get_data(as_text=True).split("<main")[0]
    assert "项目管理" in nav and "承诺与奖励" in nav and "系统管理" in nav
    assert nav.index("项目管理") < nav.index("企业库") < nav.index("承诺与奖励")
    auth.logout()
    auth.login("admin")
    nav = client.get("/account/password").get_data(as_text=True).split("<main")[0]
    assert "项目管理" not in nav  # an admin sees no county business pages
    assert "系统管理" in nav and "优惠政策" in nav
