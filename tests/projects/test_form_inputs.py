"""Project form inputs (issue 15 item 9): date fields with a picker and a format hint,
the forgiving date parser kept."""

from __future__ import annotations

import re

from sqlalchemy import select

from crm.core.db import db
from crm.core.tenancy import system_scope

DATE_FIELDS = (
    "first_contact_on",
    "signed_on",
    "registered_on",
    "construction_started_on",
    "production_started_on",
    "next_follow_up_on",
)


def _input(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    assert match, name
    return match.group(0)


def test_every_date_field_has_the_picker_marker_and_a_format_hint(pkit, client, auth):
    auth.login("a_staff")
    page = client.get("/projects/new").get_data(as_text=True)
    for name in DATE_FIELDS:
        tag = _input(page, name)
        assert 'type="text"' in tag  # free text: the forgiving parser reads it
        assert 'data-datepicker="date"' in tag and 'placeholder="YYYY-MM-DD"' in tag
        hint = re.search(rf'data-testid="hint-{name}">([^<]*)<', page)
        assert hint and "2026年3月5日" in hint.group(1), name


def test_a_chinese_date_still_saves(pkit, client, auth):
    from crm.projects.models import Project

    auth.login("a_staff")
    response = client.post(
        "/projects/new",
        data={
            "name": "日期测试项目",
            "investor_company_id": str(pkit.investor_id),
            "kind": "new",
            "source_channel": "expo",
            "owner_id": str(pkit.world.ids["a_staff"]),
            "capital_origin": "",
            "first_contact_on": "2025年3月5日",
            "next_follow_up_on": "2025/3/9",
        },
    )
    assert response.status_code == 302, re.findall(
        r'invalid-feedback">([^<]*)<', response.get_data(as_text=True)
    )
    with pkit.app.app_context(), system_scope():
        project = db.session.execute(select(Project).where(Project.name == "日期测试项目")).scalar_one()
        assert (project.first_contact_on.isoformat(), project.next_follow_up_on.isoformat()) == (
            "2025-03-05",
            "2025-03-09",
        )


def test_an_unreadable_date_keeps_the_text_and_says_why(pkit, client, auth):
    auth.login("a_staff")
    response = client.post(
        "/projects/new",
        data={
            "name": "日期测试项目",
            "investor_company_id": str(pkit.investor_id),
            "kind": "new",
            "source_channel": "expo",
            "owner_id": str(pkit.world.ids["a_staff"]),
            "capital_origin": "",
            "first_contact_on": "三月五号",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="三月五号"' in _input(page, "first_contact_on")
