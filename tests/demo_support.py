"""Helpers for tests that run on the whole demo dataset (the ``demo_app`` fixture)."""

from __future__ import annotations

DEMO_PASSWORD = "demo-pass-123"


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
