import csv
import io
from datetime import date
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

NOV = date(2025, 11, 1)
EVIL = '=HYPERLINK("http://evil.example","点我")'


@pytest.fixture
def export_list(reward_builder):
    good = reward_builder.project("年产5GWh动力电池项目", funds=[(NOV, "6000")])
    reward_builder.referral(good, name=EVIL)
    bad = reward_builder.project("+冷链物流园项目", funds=[(NOV, "100")])
    reward_builder.referral(bad, name="李秀梅", confirmed=False)
    list_id = reward_builder.create_list(
        reward_builder.rule(name="岐山县2025年招商引资奖励办法", cap_wan="10")
    )
    reward_builder.finalize(list_id)
    return list_id


def test_xlsx_has_eligible_ineligible_and_rule_sheets(client, auth, export_list):
    auth.login("a_leader")
    response = client.get(f"/rewards/lists/{export_list}/export.xlsx")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert (
        unquote(disposition.split("filename*=UTF-8''")[1])
        == "岐山县2025年招商引资奖励办法_2025Q4_奖励名单.xlsx"
    )
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["符合条件", "不符合条件", "奖励办法"]
    eligible = [[c.value for c in row] for row in book["符合条件"].iter_rows()]
    assert eligible[0][:3] == ["序号", "项目名称", "引荐人"]
    assert eligible[1][1] == "年产5GWh动力电池项目"
    assert eligible[1][2] == "'" + EVIL  # shown as text, never run
    assert book["符合条件"].cell(row=2, column=3).data_type == "s"
    assert eligible[1][8] == 10 and eligible[1][9] == "是"  # capped at 10 万元
    assert "封顶 10.00 万元" in eligible[1][7]
    ineligible = [[c.value for c in row] for row in book["不符合条件"].iter_rows()]
    assert ineligible[1][1] == "'+冷链物流园项目" and ineligible[1][7] == "投资方未确认引荐关系"
    rule = {row[0].value: row[1].value for row in book["奖励办法"].iter_rows(min_row=2)}
    assert rule["办法名称"] == "岐山县2025年招商引资奖励办法"
    assert rule["计算方式"] == "超额累进" and rule["单个项目封顶（万元）"] == 10
    assert rule["第1档"] == "上限 1000.00 万元，比例 5‰" and rule["第3档"] == "上限 不限 万元，比例 1‰"


@pytest.mark.parametrize("query, encoding", [("", "utf-8-sig"), ("?encoding=gb18030", "gb18030")])
def test_csv_decodes_as_excel_would_and_neutralises_formulas(client, auth, export_list, query, encoding):
    auth.login("a_staff")
    response = client.get(f"/rewards/lists/{export_list}/export.csv{query}")
    assert response.status_code == 200
    if encoding == "utf-8-sig":
        assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode(encoding), newline="")))
    assert rows[0][:3] == ["序号", "项目名称", "引荐人"]
    by_project = {row[1]: row for row in rows[1:]}
    assert set(by_project) == {"年产5GWh动力电池项目", "'+冷链物流园项目"}
    good = by_project["年产5GWh动力电池项目"]
    assert good[2] == "'" + EVIL and good[5] == "是" and good[9] == "10.00"
    assert by_project["'+冷链物流园项目"][11] == "投资方未确认引荐关系"


def test_notice_page_lists_only_eligible_with_print_layout(client, auth, export_list):
    auth.login("a_leader")
    page = client.get(f"/rewards/lists/{export_list}/notice").get_data(as_text=True)
    assert 'class="notice-page"' in page and "岐山县招商引资奖励名单公示" in page
    assert "年产5GWh动力电池项目" in page and "10.00" in page
    assert "冷链物流园项目" not in page
    assert "&#34;" in page or "&quot;" in page  # the referrer's name is escaped, not markup
    assert "http://" not in page.replace("http://evil.example", "")  # no external resource


def test_draft_notice_is_marked_not_for_publication(client, auth, reward_builder):
    list_id = reward_builder.create_list(reward_builder.rule())
    auth.login("a_staff")
    assert "不得对外公示" in client.get(f"/rewards/lists/{list_id}/notice").get_data(as_text=True)


def test_export_of_a_list_unchanged_after_project_edit(client, auth, reward_builder, export_list):
    from sqlalchemy import select

    from crm.core.db import db
    from crm.projects.models import Project

    auth.login("a_leader")
    before = client.get(f"/rewards/lists/{export_list}/export.csv").data
    with reward_builder.ctx():
        project = db.session.execute(
            select(Project).where(Project.name == "年产5GWh动力电池项目")
        ).scalar_one()
        project.name = "改名"
        db.session.commit()
    assert client.get(f"/rewards/lists/{export_list}/export.csv").data == before
