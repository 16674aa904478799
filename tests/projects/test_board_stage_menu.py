"""The board's stage menu: every card a writer sees has one (touch screens cannot drag), it
moves the card through the board's move, and without JavaScript it opens the stage form."""

from __future__ import annotations

import re

from crm.core.db import db
from crm.core.tenancy import system_scope


def _menu(page: str, pid: int) -> str:
    found = re.search(
        rf'<form class="kanban-move[^"]*"[^>]*data-testid="stage-menu-{pid}">(.*?)</form>', page, re.S
    )
    assert found, f"no stage menu for project {pid}"
    return found.group(0)


def test_stage_menu_moves_the_card(project_maker, client, auth, app):
    pid = project_maker.make(name="年产5万套汽车零部件项目", stage="visited")
    auth.login("a_staff")
    menu = _menu(client.get("/projects/board").get_data(as_text=True), pid)
    assert f'action="/projects/{pid}/stage"' in menu
    assert '<option value="visited" disabled>' in menu  # the card's own stage
    assert '<option value="negotiating">' in menu
    version = int(
        re.search(
            rf'data-project-id="{pid}" data-version="(\d+)"',
            client.get("/projects/board").get_data(as_text=True),
        ).group(1)
    )

    # Without JavaScript: the stage form, set to the chosen stage.
    form = client.get(f"/projects/{pid}/stage", query_string={"to": "negotiating"}).get_data(as_text=True)
    assert '<option selected value="negotiating">' in form

    # With it: the board's move, as a drop on the chosen column.
    moved = client.post(f"/projects/{pid}/move", json={"to_stage": "negotiating", "version": version})
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["columns"]["negotiating"]["count"] == 1
    with app.app_context(), system_scope():
        assert project_maker.get(pid).stage == "negotiating"
        db.session.remove()
    page = client.get("/projects/board").get_data(as_text=True)
    assert '<option value="negotiating" disabled>' in _menu(page, pid)


def test_readers_have_no_stage_menu(project_maker, client, auth):
    pid = project_maker.make(stage="visited")
    auth.login("a_leader")
    page = client.get("/projects/board").get_data(as_text=True)
    assert f'data-testid="card-{pid}"' in page
    assert "kanban-move" not in page
