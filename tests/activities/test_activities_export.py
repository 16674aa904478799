"""The 跟进记录 export (/activities/export): the list's rows as XLSX or CSV, the county's only,
a confidential project by the name the reader may see, formulas neutralised."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook
from record_support import owned_project, save_records

from crm.activities.models import Activity

REAL_NAME = "岐山整车基地项目"
CODE_NAME = "一号工程"


def _seed(app, world):
    project_ids = save_records(
        app,
        {
            "secret": owned_project(world, "a_staff", REAL_NAME, "negotiating", code_name=CODE_NAME),
            "b": owned_project(world, "b_staff", "扶风物流园项目", "visited"),
        },
    )

    def activity(key, subject, kind="visit"):
        return Activity(
            project_id=project_ids[key],
            county_id=world.county_of("a_staff" if key == "secret" else "b_staff"),
            kind=kind,
            occurred_on=date(2026, 11, 2),
            subject=subject,
            summary="谈了厂房",
            created_by_id=world.ids["a_staff"] if key == "secret" else world.ids["b_staff"],
        )

    save_records(
        app,
        {
            "a1": activity("secret", '=HYPERLINK("http://x","点")', kind="call"),
            "a2": activity("secret", "高管来访"),
            "b1": activity("b", "扶风的跟进"),
        },
    )
    return project_ids


def _sheet_rows(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_the_listed_activities_as_a_workbook(app, world, client, auth):
    _seed(app, world)
    auth.login("a_staff")  # the project's owner reads its real name
    reply = client.get("/activities/export?format=xlsx")
    assert reply.status_code == 200
    assert "attachment" in reply.headers["Content-Disposition"]
    header, *rows = _sheet_rows(reply.data)
    assert header[:5] == ("所属县区", "项目名称", "跟进日期", "跟进方式", "主题")
    assert {row[1] for row in rows} == {REAL_NAME}
    assert {row[4] for row in rows} == {'\'=HYPERLINK("http://x","点")', "高管来访"}  # never a formula
    assert {row[3] for row in rows} == {"电话", "拜访"}
    assert all(row[0] == "岐山县" and row[9] == "a_staff" for row in rows)
    # the list's filters apply
    header, *rows = _sheet_rows(client.get("/activities/export?format=xlsx&kind=call").data)
    assert [row[3] for row in rows] == ["电话"]


def test_another_officer_reads_the_code_name(app, world, client, auth):
    _seed(app, world)
    auth.login("a_staff2")
    for query in ("format=csv", "format=csv&encoding=gb18030"):
        reply = client.get("/activities/export?" + query)
        text = reply.data.decode("gb18030" if "gb18030" in query else "utf-8-sig")
        assert CODE_NAME in text and REAL_NAME not in text
    header, *rows = _sheet_rows(client.get("/activities/export?format=xlsx").data)
    assert {row[1] for row in rows} == {CODE_NAME}


def test_another_countys_activities_never_appear(app, world, client, auth):
    project_ids = _seed(app, world)
    auth.login("b_manager")
    text = client.get("/activities/export?format=csv").data.decode("utf-8-sig")
    assert "扶风的跟进" in text and "高管来访" not in text and CODE_NAME not in text
    # another county's project named in the filter: 404, not an empty file
    assert client.get(f"/activities/export?project_id={project_ids['secret']}").status_code == 404
    assert client.get(f"/activities/export?project_id={project_ids['b']}").status_code == 200
