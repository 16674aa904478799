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


def test_a_move_with_values_no_form_field_holds_is_refused_by_field(project_maker, client, auth, app):
    """The move takes what the board's fields hold: text, or a number read as its text. A
    list, an object or a boolean is refused naming the field (422), and nothing moves."""
    pid = project_maker.make(name="年产5万套汽车零部件项目", stage="negotiating")
    with app.app_context(), system_scope():
        version = project_maker.get(pid).version
        db.session.remove()
    auth.login("a_manager")
    for field, value in (
        ("planned_investment_wan", [1]),
        ("note", {"a": 1}),
        ("local_company_confirmation", True),
    ):
        refused = client.post(
            f"/projects/{pid}/move", json={"to_stage": "signed", "version": 1, field: value}
        )
        assert refused.status_code == 422 and list(refused.get_json()["errors"]) == [field], field
    moved = client.post(
        f"/projects/{pid}/move",
        json={
            "to_stage": "signed",
            "version": version,
            "signed_on": "2026-02-01",
            "contract_no": 2026017,
            "planned_investment_wan": 5000,
        },
    )
    assert moved.status_code == 200, moved.get_json()
    with app.app_context(), system_scope():
        assert (project_maker.get(pid).stage, project_maker.get(pid).contract_no) == ("signed", "2026017")
        db.session.remove()
