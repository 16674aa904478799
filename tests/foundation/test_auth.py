from passwords import PASSWORD


def test_login_page_and_login_redirects_home(client, world, auth):
    assert client.get("/").status_code == 302
    response = auth.login("a_staff")
    assert response.status_code == 302
    page = client.get("/", follow_redirects=True)
    assert "a_staff" in page.get_data(as_text=True)


def test_wrong_password_shows_error_and_keeps_username(client, world, auth):
    response = auth.login("a_staff", "wrong-password")
    body = response.get_data(as_text=True)
    assert "用户名或密码错误" in body
    assert 'value="a_staff"' in body
    assert client.get("/").status_code == 302


def test_repeated_failures_make_that_address_wait_even_with_right_password(client, world, auth, app):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login("a_staff", "wrong-password")
    response = auth.login("a_staff")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.get_data(as_text=True)


def test_password_change_ends_other_sessions(logged_in_client, world, auth, client):
    auth.login("a_staff")
    other = logged_in_client("a_staff")
    assert other.get("/admin/users").status_code in (200, 403)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "new-password-1", "confirm": "new-password-1"},
    )
    assert response.status_code == 302
    assert client.get("/account/password").status_code == 200  # this session continues
    assert other.get("/account/password").status_code == 302  # the other one is gone


def test_disabling_user_ends_their_session(logged_in_client, world, client, auth):
    victim = logged_in_client("a_staff")
    assert victim.get("/account/password").status_code == 200
    auth.login("a_manager")
    response = client.post(
        f"/admin/users/{world.ids['a_staff']}/edit",
        data={"display_name": "x", "role": "staff", "region": str(world.county_a), "version": "1"},
    )
    assert response.status_code == 302
    assert victim.get("/account/password").status_code == 302


def test_manager_cannot_see_or_edit_other_county_users(client, world, auth):
    auth.login("a_manager")
    listing = client.get("/admin/users").get_data(as_text=True)
    assert "a_staff" in listing and "b_staff" not in listing
    assert client.get(f"/admin/users/{world.ids['b_staff']}/edit").status_code == 404
    assert client.get(f"/admin/users/{world.ids['b_staff']}/password").status_code == 404


def test_staff_cannot_manage_users(client, world, auth):
    auth.login("a_staff")
    assert client.get("/admin/users").status_code == 403


def test_manager_creates_staff_in_own_county_with_form_errors_kept(client, world, auth, app):
    auth.login("a_manager")
    new_staff = {
        "username": "new_one",
        "display_name": "新人",
        "role": "staff",
        "region": str(world.county_a),
    }
    bad = client.post("/admin/users/new", data={**new_staff, "password": "short"})
    body = bad.get_data(as_text=True)
    assert "密码至少 8 位" in body and 'value="new_one"' in body
    ok = client.post("/admin/users/new", data={**new_staff, "password": "long-enough-1", "is_active": "y"})
    assert ok.status_code == 302
    refused = client.post(
        "/admin/users/new",
        data={
            "username": "sneaky",
            "role": "admin",
            "region": str(world.county_a),
            "password": "long-enough-1",
        },
    )
    assert refused.status_code == 422  # the form again, with the refusal on it
    assert 'value="sneaky"' in refused.get_data(as_text=True)
    assert "sneaky" not in client.get("/admin/users").get_data(as_text=True)


def test_logout_requires_post_and_ends_session(client, world, auth):
    auth.login("a_staff")
    auth.logout()
    assert client.get("/account/password").status_code == 302


def test_a_stale_user_edit_shows_the_stored_values_by_their_labels(client, world, auth):
    auth.login("a_manager")
    url = f"/admin/users/{world.ids['a_staff']}/edit"
    base = {"role": "staff", "region": str(world.county_a), "is_active": "y", "version": "1"}
    assert client.post(url, data={**base, "display_name": "张先来"}).status_code == 302
    late = client.post(url, data={**base, "display_name": "李后到"})
    page = late.get_data(as_text=True)
    box = page.split('data-testid="conflict"')[1].split("</div>")[0]
    assert late.status_code == 409
    assert "姓名" in box and "张先来" in box and "招商专员" in box and "岐山县" in box
    assert "display_name = " not in box and 'value="李后到"' in page
