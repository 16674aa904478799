"""Helpers for tests that run on the whole demo dataset (the ``demo_app`` fixture)."""

from __future__ import annotations

DEMO_PASSWORD = "demo-pass-123"


def load_whole_demo(app, monkeypatch) -> None:
    """Load the whole demo dataset into ``app``'s database, the clock at ``app``'s NOW; its
    users' password is DEMO_PASSWORD."""
    from crm.core.db import db
    from crm.demo import load_demo

    monkeypatch.setenv("CHAINCRM_DEMO_PASSWORD", DEMO_PASSWORD)
    with app.app_context():
        assert load_demo() is not None
        db.session.remove()


def login(app, username: str):
    """A test client logged in as a demo user."""
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, f"login as {username} failed"
    return client


def collection_of(template: str) -> str | None:
    """``/projects/{id}/funds`` → ``/projects``: the list whose items carry the path's id."""
    head = template.split("{", 1)[0].rstrip("/")
    return head if head and "{" in template else None
