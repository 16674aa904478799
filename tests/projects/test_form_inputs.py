"""Project form inputs (issue 15 item 9): date fields with a picker and a format hint,
the forgiving date parser kept."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.projects.services import DATE_FIELDS  # every date a project form asks for


def _input(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    assert match, name
    return match.group(0)


def test_every_date_field_has_the_picker_marker_and_a_format_hint(project_maker, client, auth):
    auth.login("a_staff")
    page = client.get("/projects/new").get_data(as_text=True)
    for name in DATE_FIELDS:
        tag = _input(page, name)
        assert 'type="text"' in tag  # free text: the forgiving parser reads it
        assert 'data-datepicker="date"' in tag and 'placeholder="YYYY-MM-DD"' in tag
        hint = re.search(rf'data-testid="hint-{name}">([^<]*)<', page)
        assert hint and "2026年3月5日" in hint.group(1), name


def test_a_chinese_date_still_saves(project_maker, client, auth):
    from crm.projects.models import Project

    auth.login("a_staff")
    response = project_maker.post_new(
        client, name="日期测试项目", first_contact_on="2025年3月5日", next_follow_up_on="2025/3/9"
    )
    assert response.status_code == 302, re.findall(
        r'invalid-feedback">([^<]*)<', response.get_data(as_text=True)
    )
    with project_maker.app.app_context(), system_scope():
        project = db.session.execute(select(Project).where(Project.name == "日期测试项目")).scalar_one()
        assert (project.first_contact_on.isoformat(), project.next_follow_up_on.isoformat()) == (
            "2025-03-05",
            "2025-03-09",
        )


def test_an_unreadable_date_keeps_the_text_and_says_why(project_maker, client, auth):
    auth.login("a_staff")
    response = project_maker.post_new(client, name="日期测试项目", first_contact_on="三月五号")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="三月五号"' in _input(page, "first_contact_on")


def _select(page: str, name: str) -> str:
    match = re.search(rf'<select[^>]*\bname="{name}"[^>]*>.*?</select>', page, re.S)
    assert match, name
    return match.group(0)


def _add_chain(project_maker, county_id: int, name: str) -> None:
    from chains.models import Chain

    with project_maker.app.app_context(), system_scope():
        db.session.add(Chain(county_id=county_id, name=name))
        db.session.commit()


def test_industry_is_chosen_from_the_county_chains_and_gbt_4754(project_maker, client, auth):
    _add_chain(project_maker, project_maker.world.county_a, "岐山新能源汽车产业链")
    _add_chain(project_maker, project_maker.world.county_b, "扶风物流产业链")
    auth.login("a_staff")
    select_html = _select(client.get("/projects/new").get_data(as_text=True), "industry")
    assert '<option value="岐山新能源汽车产业链">' in select_html
    assert "扶风物流产业链" not in select_html  # another county's chain
    assert '<option value="制造业">C 制造业</option>' in select_html
    assert '<option value="汽车制造业">36 汽车制造业</option>' in select_html
    assert "GB/T 4754-2017" in select_html
    refused = project_maker.post_new(client, name="产业测试项目", industry="随便写的产业")
    assert refused.status_code == 422  # not free text
    assert project_maker.post_new(client, name="产业测试项目", industry="汽车制造业").status_code == 302


def test_an_existing_industry_outside_the_list_is_kept_on_edit(project_maker, client, auth):
    from crm.projects.models import Project

    with project_maker.app.app_context(), system_scope():
        project = Project(
            name="旧数据项目",
            county_id=project_maker.world.county_a,
            owner_id=project_maker.world.ids["a_staff"],
            stage="lead",
            industry="装备制造",
        )
        db.session.add(project)
        db.session.commit()
        pid, version = project.id, project.version
    auth.login("a_staff")
    page = client.get(f"/projects/{pid}/edit").get_data(as_text=True)
    select_html = _select(page, "industry")
    assert '<option selected value="装备制造">装备制造</option>' in select_html
    assert "当前填写的产业" in select_html
    version_value = re.search(r'name="version"[^>]*value="(\d+)"', page) or re.search(
        r'value="(\d+)"[^>]*name="version"', page
    )
    response = client.post(
        f"/projects/{pid}/edit",
        data=project_maker.form_data(
            name="旧数据项目（改名）",
            investor_company_id="",  # the old project has no investor
            industry="装备制造",
            version=version_value.group(1) if version_value else str(version),
        ),
    )
    assert response.status_code == 302
    with project_maker.app.app_context(), system_scope():
        assert db.session.get(Project, pid).industry == "装备制造"


@pytest.mark.browser
def test_the_calendar_button_fills_the_text_in_iso_form(project_maker, browser):
    page = browser.page
    browser.login("a_staff")
    browser.goto("/projects/new")
    text = page.locator("input[name=signed_on]")
    group = page.locator(".datepicker-group", has=text)
    expect(group.locator("button.datepicker-button")).to_be_visible()
    picker = group.locator("input.datepicker-native")
    expect(picker).to_have_attribute("type", "date")
    picker.evaluate("p => { p.value = '2026-03-05'; p.dispatchEvent(new Event('change', {bubbles: true})); }")
    expect(text).to_have_value("2026-03-05")
    text.fill("2026年3月5日")  # typing any accepted form still works
    expect(text).to_have_value("2026年3月5日")
