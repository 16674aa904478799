"""``chaincrm serve --workers N``: what it refuses and what it says before serving."""

from __future__ import annotations

import click
import pytest

from crm.core import server


def test_several_workers_need_gunicorn(app, monkeypatch):
    monkeypatch.setattr(server.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(click.ClickException) as refused:
        server.serve(app, "127.0.0.1", 0, workers=2)
    assert "needs gunicorn" in refused.value.message and "chaincrm serve --port" in refused.value.message


def test_an_in_memory_database_is_not_shared_by_processes(app, monkeypatch):
    monkeypatch.setitem(app.config, "SQLALCHEMY_DATABASE_URI", "sqlite://")
    with pytest.raises(click.ClickException, match="in-memory"):
        server.serve(app, "127.0.0.1", 0, workers=2)


def test_workers_and_threads_must_be_positive(app):
    result = app.test_cli_runner().invoke(args=["serve", "--workers", "0"])
    assert result.exit_code != 0 and "at least 1" in result.output
