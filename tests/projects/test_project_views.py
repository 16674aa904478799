"""Project pages: forms, list, board, detail, stage form and who may use them."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from clock_support import PINNED_TODAY

from crm.core.db import db
from crm.core.tenancy import system_scope


def test_create_project_through_the_form(project_maker, client, auth):
    auth.login("a_staff")
    response = project_maker.post_new(
        client, planned_investment_wan="1.2亿", land_mu="150亩", next_follow_up_on="2026年1月5日"
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "年产5万吨再生铝项目" in page and "12,000.00 万元" in page and "2026-01-05" in page
    assert "创建项目（线索）" in page  # the first history row is on the timeline


@pytest.mark.parametrize(
    "overrides, field_message",
    [
        ({"planned_investment_wan": "-5"}, "金额不能为负数"),
        ({"fixed_asset_investment_wan": "20000000"}, "金额过大"),
        ({"planned_investment_wan": "很多"}, "无法识别的金额"),
        ({"investor_company_id": "999999"}, "所选企业不存在"),
        ({"owner_id": "b_staff"}, "负责人必须是本县的招商人员"),
        ({"signed_on": "2025-05-01", "construction_started_on": "2025-04-01"}, "开工日期不能早于签约日期"),
        (
            {"construction_started_on": "2025-05-01", "production_started_on": "2025-04-01"},
            "投产日期不能早于开工日期",
        ),
        ({"signed_on": "2025-05-01", "registered_on": "2025-04-01"}, "注册日期不能早于签约日期"),
        ({"name": ""}, "请填写项目名称"),
    ],
)
def test_bad_input_keeps_the_input_and_writes_nothing(project_maker, client, auth, overrides, field_message):
    if overrides.get("owner_id") == "b_staff":
        overrides = {"owner_id": str(project_maker.world.ids["b_staff"])}
    auth.login("a_staff")
    before = project_maker.counts()
    response = project_maker.post_new(client, responsible_unit="县投资促进局", **overrides)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_message in body
    assert 'value="县投资促进局"' in body  # what the user typed is still there
    for value in overrides.values():
        if value and not value.isdigit():
            assert value in body
    assert project_maker.counts() == before


def test_edit_conflict_refuses_second_save_and_keeps_first(
    project_maker, app, client, auth, logged_in_client
):
    pid = project_maker.make()
    auth.login("a_staff")
    other = logged_in_client("a_staff2")
    first_form = client.get(f"/projects/{pid}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', first_form).group(1)
    assert (
        other.post(
            f"/projects/{pid}/edit", data=project_maker.form_data(name="第一位保存的名称", version=version)
        ).status_code
        == 302
    )
    response = client.post(
        f"/projects/{pid}/edit", data=project_maker.form_data(name="第二位的名称", version=version)
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "已被他人修改" in body and "第一位保存的名称" in body  # the current values are shown
    assert 'value="第二位的名称"' in body  # the user's input is kept
    with app.test_request_context(), system_scope():
        assert project_maker.get(pid).name == "第一位保存的名称"


def test_editing_cannot_remove_the_evidence_of_the_current_stage(project_maker, client, auth, app):
    pid = project_maker.make(stage="negotiating")
    with app.test_request_context(), system_scope():
        from crm.projects.pipeline import move_stage

        move_stage(
            project_maker.get(pid),
            "signed",
            project_maker.user("a_staff"),
            evidence=project_maker.signed_evidence(),
        )
        db.session.commit()
        version = project_maker.get(pid).version
    auth.login("a_staff")
    response = client.post(
        f"/projects/{pid}/edit",
        data=project_maker.form_data(
            version=str(version),
            signed_on="2025-03-01",
            planned_investment_wan="50000",
            contract_no="",
        ),
    )
    assert response.status_code == 422
    assert "签约须填写合同编号" in response.get_data(as_text=True)


def test_stage_form_refuses_without_contract_then_moves(project_maker, client, auth):
    pid = project_maker.make(stage="negotiating")
    auth.login("a_staff")
    response = client.post(f"/projects/{pid}/stage", data=project_maker.signing_form())
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "签约须填写合同编号" in body and 'value="8000"' in body
    response = client.post(f"/projects/{pid}/stage", data=project_maker.signing_form(contract_no="QS-9"))
    assert response.status_code == 302
    page = client.get(f"/projects/{pid}").get_data(as_text=True)
    assert "阶段：洽谈 → 签约" in page and "QS-9" in page


def test_board_columns_count_and_total_and_json_move(project_maker, client, auth):
    pid = project_maker.make(stage="negotiating", planned_investment_wan="3000")
    project_maker.make(name="二号项目", stage="negotiating", planned_investment_wan="2000")
    auth.login("a_staff")
    page = client.get("/projects/board").get_data(as_text=True)
    column = page.split('data-testid="column-negotiating"')[1].split("</section>")[0]
    assert 'data-testid="count-negotiating">2<' in column and "5,000.00" in column
    assert f'action="/projects/{pid}/stage"' in column  # the no-JS way to move a card: the stage menu
    refused = client.post(f"/projects/{pid}/move", json={"to_stage": "signed", "version": 2})
    assert refused.status_code == 422
    assert refused.json["errors"]["contract_no"] == ["签约须填写合同编号"]
    moved = client.post(
        f"/projects/{pid}/move",
        json={"to_stage": "signed", "version": 2, "contract_no": "HT-1", "signed_on": "2025-06-01"},
    )
    assert moved.status_code == 200
    assert moved.json["columns"]["signed"] == {"count": 1, "total": "3000.00"}
    assert moved.json["columns"]["negotiating"]["count"] == 1
    stale = client.post(f"/projects/{pid}/move", json={"to_stage": "registered", "version": 2})
    assert stale.status_code == 409


def test_board_limits_cards_per_column(project_maker, client, auth, app, monkeypatch):
    from crm.projects import views

    monkeypatch.setattr(views, "BOARD_CARDS_PER_COLUMN", 2)
    for i in range(3):
        project_maker.make(name=f"项目{i}")
    auth.login("a_staff")
    page = client.get("/projects/board").get_data(as_text=True)
    assert page.count('class="kanban-card stage-lead"') == 2
    assert "更多（共 3 个）" in page


def _three_projects(project_maker):
    today = PINNED_TODAY
    return [
        project_maker.make(
            name="甲醇燃料项目",
            planned_investment_wan="1000",
            source_channel="expo",
            next_follow_up_on=today - timedelta(days=3),
        ),
        project_maker.make(
            name="乙烯材料项目",
            planned_investment_wan="5000",
            source_channel="online",
            as_user="a_staff2",
            owner_id=None,
            next_follow_up_on=today + timedelta(days=3),
        ),
        project_maker.make(
            name="丙纶纺织项目", planned_investment_wan="20000", source_channel="expo", stage="visited"
        ),
    ]


def _listed(client, query):
    page = client.get("/projects?" + query).get_data(as_text=True)
    table = page.split('data-testid="project-list"')[1]
    return re.findall(r'<a href="/projects/\d+">([^<]+)</a>', table)


def test_list_filters_search_and_sort(project_maker, client, auth):
    _three_projects(project_maker)
    auth.login("a_staff")
    assert _listed(client, "sort=amount&dir=asc") == ["甲醇燃料项目", "乙烯材料项目", "丙纶纺织项目"]
    assert _listed(client, "sort=amount&dir=desc") == ["丙纶纺织项目", "乙烯材料项目", "甲醇燃料项目"]
    assert _listed(client, "stage=visited") == ["丙纶纺织项目"]
    assert _listed(client, "source=expo&sort=name&dir=asc") == sorted(["甲醇燃料项目", "丙纶纺织项目"])
    assert _listed(client, "min_amount=2000&max_amount=10000") == ["乙烯材料项目"]
    assert _listed(client, "overdue=1") == ["甲醇燃料项目"]
    assert _listed(client, "q=纺织") == ["丙纶纺织项目"]
    assert len(_listed(client, "q=宁德时代")) == 3  # the investor's name is searched too
    assert _listed(client, f"owner_id={project_maker.world.ids['a_staff']}&sort=name&dir=asc") == sorted(
        ["甲醇燃料项目", "丙纶纺织项目"]
    )


def test_list_paginates(project_maker, client, auth, app):
    app.config["PER_PAGE"] = 2
    _three_projects(project_maker)
    auth.login("a_staff")
    first = _listed(client, "sort=amount&dir=asc&page=1")
    second = _listed(client, "sort=amount&dir=asc&page=2")
    assert first == ["甲醇燃料项目", "乙烯材料项目"] and second == ["丙纶纺织项目"]


def test_confidential_project_shows_code_name_except_to_owner_and_manager(
    project_maker, client, auth, logged_in_client
):
    pid = project_maker.make(name="某新能源巨头西北基地", code_name="一号工程")
    for username, sees_real_name in (
        ("a_staff", True),
        ("a_manager", True),
        ("a_staff2", False),
        ("a_leader", False),
    ):
        viewer = logged_in_client(username)
        for url in ("/projects", f"/projects/{pid}", "/projects/board", "/projects/export.csv"):
            body = viewer.get(url).get_data(as_text=True)
            assert "一号工程" in body, (username, url)
            assert ("某新能源巨头西北基地" in body) is sees_real_name, (username, url)
        searched = viewer.get("/projects?q=巨头").get_data(as_text=True)
        assert ("一号工程" in searched.split('data-testid="project-list"')[1]) is sees_real_name


def test_coordinator_reads_every_county_with_a_county_column(project_maker, client, auth):
    project_maker.make(name="岐山的项目")
    project_maker.make(name="扶风的项目", as_user="b_staff", investor_company_id=None)
    auth.login("city")
    page = client.get("/projects").get_data(as_text=True)
    assert "岐山的项目" in page and "扶风的项目" in page and "岐山县" in page and "扶风县" in page
    assert client.get("/projects/new").status_code == 403


def test_leader_reads_but_cannot_write(project_maker, client, auth):
    pid = project_maker.make()
    auth.login("a_leader")
    assert client.get("/projects").status_code == 200
    assert client.get(f"/projects/{pid}").status_code == 200
    assert client.get("/projects/board").status_code == 200
    for url in ("/projects/new", f"/projects/{pid}/edit", f"/projects/{pid}/stage"):
        assert client.get(url).status_code == 403
    assert client.post(f"/projects/{pid}/move", json={"to_stage": "contacted"}).status_code == 403


def test_admin_is_refused_everywhere(project_maker, client, auth):
    pid = project_maker.make()
    auth.login("admin")
    for url in (
        "/projects",
        "/projects/board",
        f"/projects/{pid}",
        "/projects/export.csv",
        "/projects/export.xlsx",
    ):
        assert client.get(url).status_code == 403


def test_other_county_ids_answer_404_on_every_route(project_maker, client, auth):
    pid = project_maker.make(as_user="b_staff")
    auth.login("a_staff")
    for url in (f"/projects/{pid}", f"/projects/{pid}/edit", f"/projects/{pid}/stage"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/projects/{pid}/edit", data={"name": "x"}).status_code == 404
    assert client.post(f"/projects/{pid}/stage", data={"to_stage": "contacted"}).status_code == 404
    assert client.post(f"/projects/{pid}/move", json={"to_stage": "contacted"}).status_code == 404
    listing = client.get("/projects?q=动力电池").get_data(as_text=True)
    assert f"/projects/{pid}" not in listing
    assert "动力电池" not in client.get("/projects/export.csv").get_data(as_text=True)


def test_timeline_shows_entries_of_registered_sources(project_maker, client, auth, app):
    from crm.projects.timeline import TimelineEntry, register_timeline_source

    pid = project_maker.make()
    register_timeline_source(
        app,
        lambda project: [
            TimelineEntry(date(2001, 1, 2), "跟进", f"拜访{project.id}", "和企业董事长会谈", "/somewhere")
        ],
    )
    auth.login("a_staff")
    timeline = client.get(f"/projects/{pid}").get_data(as_text=True).split('data-testid="timeline"')[1]
    assert f'<a href="/somewhere">拜访{pid}</a>' in timeline
    # Newest first: today's creation before the 2001 visit.
    assert timeline.index("创建项目") < timeline.index(f"拜访{pid}")


def test_backward_moves_through_the_stage_form_and_the_board(project_maker, client, auth, app):
    pid = project_maker.make(stage="negotiating")
    auth.login("a_staff")
    refused = client.post(
        f"/projects/{pid}/stage", data={"to_stage": "visited", "note": "重新考察", "version": "2"}
    )
    assert refused.status_code == 422
    assert "退回到之前的阶段须由局长（科长）操作" in refused.get_data(as_text=True)
    auth.logout()
    auth.login("a_manager")
    no_note = client.post(f"/projects/{pid}/move", json={"to_stage": "visited", "version": 2})
    assert no_note.status_code == 422 and no_note.json["errors"] == {"note": ["退回阶段须填写说明"]}
    assert no_note.json["labels"]["note"].startswith("说明")
    moved = client.post(
        f"/projects/{pid}/stage", data={"to_stage": "visited", "note": "企业要求重新考察", "version": "2"}
    )
    assert moved.status_code == 302
    page = client.get(f"/projects/{pid}").get_data(as_text=True)
    assert "阶段：洽谈 → 考察" in page and "企业要求重新考察" in page
