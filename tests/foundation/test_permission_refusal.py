"""A permission refusal (403) says that it is one: the role, what was refused, a way back."""

from crm.core.access import public


def test_staff_posting_to_a_manager_page_is_told_it_is_a_permission_refusal(client, auth, world):
    auth.login("a_staff")
    response = client.post(
        "/funds/targets",
        data={"year": "2026", "funds_target_wan": "100"},
        headers={"Referer": "http://localhost/funds"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "无权限：您的角色不能执行此操作" in body
    assert "招商专员" in body  # the user's role
    assert "POST /funds/targets" in body  # what was refused
    assert 'href="http://localhost/funds"' in body  # back where the user came from
    assert "操作未完成" not in body


def test_a_services_role_refusal_is_a_permission_page_with_its_reason(app, client, auth, world):
    from crm.funds.services import NotAllowedError

    def refuse():
        raise NotAllowedError("到位资金由局长认定")

    app.add_url_rule("/test-only/refuse", "test_refuse", public(refuse), methods=["POST"])
    response = client.post("/test-only/refuse")
    body = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "无权限：您的角色不能执行此操作" in body and "到位资金由局长认定" in body
    assert "操作未完成" not in body


def test_an_abort_with_a_reason_shows_the_reason(app, client, auth, world):
    from flask import abort

    def refuse():
        abort(403, description="保密项目只有负责人和局长可以修改")

    app.add_url_rule("/test-only/abort", "test_abort", public(refuse))
    auth.login("a_leader")
    body = client.get("/test-only/abort").get_data(as_text=True)
    assert "保密项目只有负责人和局长可以修改" in body and "县领导/链长" in body
