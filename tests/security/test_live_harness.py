"""The live-server harness itself: real HTTP, cookies, CSRF tokens taken from forms."""

from passwords import PASSWORD


def test_login_over_http_sets_a_session_that_opens_pages(world, live_server):
    client = live_server.client()
    assert client.get("/projects").status == 302
    reply = client.login("a_staff")
    assert reply.status == 302, reply.text[:500]
    assert client.get("/projects").status == 200


def test_a_post_without_the_csrf_token_is_refused(world, live_server):
    client = live_server.client()
    reply = client.post("/login", {"username": "a_staff", "password": PASSWORD, "csrf_token": "forged"})
    assert reply.status in (400, 200) and "session" not in client.cookies
