"""The gap graph page, panel, exports, overview and API: offline, escaped, scoped."""

from __future__ import annotations

import io
import json
import re

from api_support import assert_documented
from chains_web_support import HOSTILE
from openpyxl import load_workbook
from sqlalchemy import select

from chains.models import Chain, ChainFirm, ProjectSegment, Segment
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.projects.models import Project

URL_PATTERN = re.compile(r"https?://[^\s\"'<>)]*")


def _payload(page: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="chain-graph-data"[^>]*>(.*?)</script>', page, re.S
    )
    return json.loads(match.group(1))


def test_graph_page_is_offline_and_escapes_hostile_names(client, auth, battery_chains):
    auth.login("a_staff")
    response = client.get(f"/chains/{battery_chains.chain}/graph")
    page = response.get_data(as_text=True)
    assert URL_PATTERN.findall(page) == []
    assert "/chains/assets/vis-network.min.js" in page
    assert HOSTILE not in page
    payload = _payload(page)
    assert payload["options"]["physics"] == {"enabled": False}
    firm = next(n for n in payload["nodes"] if n.get("kind") == "firm" and "alert" in n["title"])
    assert firm["title"].startswith(HOSTILE)  # plain text, shown as typed
    assert all("x" in n and "y" in n for n in payload["nodes"])
    # Inline scripts: only the JSON data block, which is not executed.
    assert re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", page) == []


def test_panel_and_svg_escape_hostile_names(client, auth, battery_chains):
    auth.login("a_staff")
    panel = client.get(f"/chains/{battery_chains.chain}/segments/{battery_chains.segments['隔膜']}/panel")
    text = panel.get_data(as_text=True)
    assert HOSTILE not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    svg = client.get(f"/chains/{battery_chains.chain}/map.svg")
    assert svg.mimetype == "image/svg+xml"
    body = svg.get_data(as_text=True)
    assert HOSTILE not in body and "&lt;script&gt;" in body
    assert URL_PATTERN.findall(body) == ["http://www.w3.org/2000/svg"]
    assert "整车" in body and "电芯" in body


def test_vis_assets_are_served_locally(client, auth, battery_chains):
    auth.login("a_leader")
    js = client.get("/chains/assets/vis-network.min.js")
    assert js.status_code == 200 and js.mimetype == "text/javascript" and b"vis" in js.data[:2000]
    assert client.get("/chains/assets/vis-network.css").mimetype == "text/css"
    assert client.get("/chains/assets/secret.py").status_code == 404


def test_segment_list_beside_the_graph_groups_segments_by_status(client, auth, battery_chains):
    auth.login("a_leader")
    page = client.get(f"/chains/{battery_chains.chain}/graph").get_data(as_text=True)
    statuses = dict(re.findall(r'data-segment="(\d+)" data-status="(\w+)"', page))
    seg = battery_chains.segments
    assert statuses[str(seg["正极材料"])] == "gap"
    assert statuses[str(seg["隔膜"])] == "targeted"
    assert statuses[str(seg["电芯"])] == "strong"
    assert statuses[str(seg["整车"])] == "targeted"


def test_new_lead_from_a_target_firm_targets_the_segment(app, client, auth, battery_chains):
    auth.login("a_staff")
    cid = battery_chains.chain
    with app.app_context(), system_scope():
        from chains import services

        segment = db.session.get(Segment, battery_chains.segments["正极材料"])
        firm = services.add_firm(
            segment, company_name="丁正极材料有限公司", role="supporting", presence="external"
        )
        db.session.commit()
        firm_id = firm.id
    panel = client.get(f"/chains/{cid}/segments/{battery_chains.segments['正极材料']}/panel").get_data(
        as_text=True
    )
    assert 'data-status="gap"' in panel
    response = client.post(
        f"/chains/{cid}/firms/{firm_id}/lead",
        data={"next": f"/chains/{cid}/graph?segment={battery_chains.segments['正极材料']}"},
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已新建招商线索：丁正极材料有限公司（正极材料）" in page
    segment = battery_chains.segments["正极材料"]
    assert f'data-testid="segment-panel" data-segment="{segment}" data-status="targeted"' in page
    with app.app_context(), system_scope():
        project = db.session.execute(select(Project).where(Project.name.like("丁正极材料%"))).scalar_one()
        assert project.stage == "lead" and project.county_id == db.session.get(Chain, cid).county_id
        assert project.investor_company.name == "丁正极材料有限公司"
        aims = (
            db.session.execute(
                select(ProjectSegment.segment_id).where(ProjectSegment.project_id == project.id)
            )
            .scalars()
            .all()
        )
        assert aims == [battery_chains.segments["正极材料"]]
        assert db.session.get(ChainFirm, firm_id).presence == "target"  # pursued now


def test_exports_gap_and_target_lists(client, auth, battery_chains):
    auth.login("a_leader")
    gaps = client.get(f"/chains/{battery_chains.chain}/gaps.xlsx")
    assert gaps.status_code == 200
    assert "filename*=UTF-8''" in gaps.headers["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(gaps.data)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("序号", "环节", "阶段", "重要度", "状态")
    # key 2×(1+2 descendants) = 6, then core 3×1 = 3 and general 1×(1+2) = 3 (tie: by name)
    assert [r[1] for r in rows[1:]] == ["正极材料", "整车", "隔膜"]
    targets = client.get(f"/chains/{battery_chains.chain}/targets.xlsx")
    rows = list(load_workbook(io.BytesIO(targets.data)).active.iter_rows(values_only=True))
    companies = {r[3] for r in rows[1:]}
    assert companies == {"丙汽车集团有限公司", HOSTILE}


def test_report_is_one_printable_page(client, auth, battery_chains):
    auth.login("a_leader")
    page = client.get(f"/chains/{battery_chains.chain}/report").get_data(as_text=True)
    assert 'class="report-page"' in page and "data-print" in page
    assert "岐山县动力电池" in page and "副县长 王某" in page
    assert "甲电池有限公司（电芯，本地）" in page  # leader's local supply rate
    assert URL_PATTERN.findall(page) == []


def test_overview_per_county_and_for_coordinators(client, auth, battery_chains):
    auth.login("a_leader")
    page = client.get("/chains/").get_data(as_text=True)
    assert "动力电池" in page and "扶风电池" not in page
    assert "产业链图谱" in page  # nav entry
    # 电芯's ancestors 正极材料 and 隔膜 have no local firm; 整车's ancestors: 1 of 3 has.
    assert "甲电池有限公司（电芯）0%" in page and "丙汽车集团有限公司（整车）33%" in page
    auth.logout()
    auth.login("city")
    page = client.get("/chains/").get_data(as_text=True)
    assert "动力电池" in page and "扶风电池" in page and "岐山县" in page and "扶风县" in page
    auth.logout()
    auth.login("xian")
    page = client.get("/chains/").get_data(as_text=True)
    assert "动力电池" not in page


def test_other_countys_ids_answer_404_everywhere(client, auth, api, battery_chains):
    ids = battery_chains
    own, other = ids.chain, ids.other_chain
    own_seg = ids.segments["电芯"]
    gets = [
        f"/chains/{other}",
        f"/chains/{other}/edit",
        f"/chains/{other}/graph",
        f"/chains/{other}/map.svg",
        f"/chains/{other}/report",
        f"/chains/{other}/gaps.xlsx",
        f"/chains/{other}/targets.xlsx",
        f"/chains/{other}/export.json",
        f"/chains/{other}/segments/new",
        f"/chains/{other}/links/new",
        f"/chains/{other}/segments/{ids.other_segment}/edit",
        f"/chains/{other}/segments/{ids.other_segment}/panel",
        f"/chains/{other}/segments/{ids.other_segment}/firms/new",
        f"/chains/{other}/firms/{ids.other_firm}/edit",
        # own chain, other county's segment / firm
        f"/chains/{own}/segments/{ids.other_segment}/edit",
        f"/chains/{own}/segments/{ids.other_segment}/panel",
        f"/chains/{own}/segments/{ids.other_segment}/firms/new",
        f"/chains/{own}/firms/{ids.other_firm}/edit",
        f"/chains/{own}/graph?segment={ids.other_segment}",
    ]
    posts = [
        f"/chains/{other}/delete",
        f"/chains/{other}/segments/{ids.other_segment}/delete",
        f"/chains/{other}/links/{ids.other_link}/delete",
        f"/chains/{other}/firms/{ids.other_firm}/delete",
        f"/chains/{other}/firms/{ids.other_firm}/lead",
        f"/chains/{own}/segments/{ids.other_segment}/delete",
        f"/chains/{own}/links/{ids.other_link}/delete",
        f"/chains/{own}/firms/{ids.other_firm}/delete",
        f"/chains/{own}/firms/{ids.other_firm}/lead",
        f"/chains/{other}/segments/{ids.other_segment}/projects",
        f"/chains/{own}/segments/{ids.other_segment}/projects",
    ]
    auth.login("a_staff")
    for url in gets:
        expected = 200 if "graph?segment" in url else 404
        assert client.get(url).status_code == expected, url
    for url in posts:
        assert client.post(url).status_code == 404, url
    page = client.get(f"/chains/{own}/graph?segment={ids.other_segment}").get_data(as_text=True)
    assert 'data-testid="segment-panel"' not in page
    assert (
        client.post(
            f"/chains/{own}/links/new", data={"supplier_id": ids.other_segment, "consumer_id": own_seg}
        ).status_code
        == 422
    )
    for url in (f"/api/v1/chains/{other}", f"/api/v1/chains/{other}/analysis"):
        response = api.get(url, as_user="a_staff")
        assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert (
        api.post(
            f"/api/v1/chains/{other}/links",
            as_user="a_staff",
            json={"supplier_id": ids.other_segment, "consumer_id": ids.other_segment},
        ).status_code
        == 404
    )
    assert (
        api.post(
            f"/api/v1/chains/{own}/links",
            as_user="a_staff",
            json={"supplier_id": ids.other_segment, "consumer_id": own_seg},
        ).status_code
        == 422
    )
    # The other county's chain is still whole.
    auth.logout()
    auth.login("b_staff")
    assert client.get(f"/chains/{other}/graph").status_code == 200


def test_api_lists_chain_details_and_analysis(api, battery_chains):
    listing = api.get("/api/v1/chains", as_user="a_leader").get_json()
    assert listing["total"] == 1 and listing["items"][0]["name"] == "动力电池"
    assert api.get("/api/v1/chains", as_user="city").get_json()["total"] == 2
    chain = api.get(f"/api/v1/chains/{battery_chains.chain}", as_user="a_leader").get_json()
    assert [s["name"] for s in chain["segments"]] == ["正极材料", "隔膜", "电芯", "整车"]
    assert len(chain["links"]) == 3
    assert {f["company_name"] for f in chain["firms"]} >= {"甲电池有限公司", HOSTILE}
    analysis = api.get(f"/api/v1/chains/{battery_chains.chain}/analysis", as_user="a_leader").get_json()
    statuses = {s["name"]: s["status"] for s in analysis["statuses"]}
    assert statuses == {"正极材料": "gap", "隔膜": "targeted", "电芯": "strong", "整车": "targeted"}
    # completeness: only 电芯 (core, 3) of 2 + 1 + 3 + 3 has local firms
    assert abs(analysis["completeness"] - 3 / 9) < 1e-9
    assert [(g["name"], g["score"]) for g in analysis["critical_gaps"]] == [
        ("正极材料", 6),
        ("整车", 3),
        ("隔膜", 3),
    ]
    rates = {(r["company"], r["segment"]): r["rate"] for r in analysis["local_supply_rates"]}
    assert rates[("甲电池有限公司", "电芯")] == 0.0
    assert rates[("丙汽车集团有限公司", "整车")] == 1 / 3


def test_openapi_document_lists_chain_paths(client):
    assert_documented(
        client,
        {"/chains": set(), "/chains/{chain_id}": set(), "/chains/{chain_id}/analysis": set()},
        {"ChainAnalysis"},
    )


def test_second_lead_for_the_same_target_is_refused(app, client, auth, battery_chains):
    auth.login("a_staff")
    cid, fid = battery_chains.chain, battery_chains.firms["target"]
    assert client.post(f"/chains/{cid}/firms/{fid}/lead").status_code == 302
    again = client.post(f"/chains/{cid}/firms/{fid}/lead", follow_redirects=True).get_data(as_text=True)
    assert "“丙汽车集团有限公司”在环节“整车”已有在跟项目" in again
    local = client.post(f"/chains/{cid}/firms/{battery_chains.firms['leader']}/lead", follow_redirects=True)
    assert "“甲电池有限公司”已是本地企业" in local.get_data(as_text=True)
    with app.app_context(), system_scope():
        assert db.session.execute(select(Project)).scalars().all().__len__() == 1


def test_existing_project_can_aim_at_a_segment_and_stop(app, client, auth, world, battery_chains):
    with app.app_context(), system_scope():
        own = Project(county_id=world.county_a, name="既有项目", stage="visited")
        other = Project(county_id=world.county_b, name="扶风项目", stage="lead")
        db.session.add_all([own, other])
        db.session.commit()
        own_id, other_id = own.id, other.id
    cid, sid = battery_chains.chain, battery_chains.segments["正极材料"]
    url = f"/chains/{cid}/segments/{sid}/projects"
    auth.login("a_staff")
    assert "既有项目（考察）" in client.get(f"/chains/{cid}/segments/{sid}/panel").get_data(as_text=True)
    assert client.post(url, data={"project_id": other_id, "action": "aim"}).status_code == 404
    # Submitted with no project chosen (a client that skips the box's required): asked again.
    nothing = client.post(url, data={"project_id": "", "action": "aim"}, follow_redirects=True)
    assert nothing.status_code == 200 and "请选择项目" in nothing.get_data(as_text=True)
    page = client.post(url, data={"project_id": own_id, "action": "aim"}, follow_redirects=True).get_data(
        as_text=True
    )
    assert 'data-status="targeted"' in page and "已关联项目：既有项目" in page
    page = client.post(url, data={"project_id": own_id, "action": "unaim"}, follow_redirects=True).get_data(
        as_text=True
    )
    assert 'data-status="gap"' in page
    auth.logout()
    auth.login("a_leader")
    assert client.post(url, data={"project_id": own_id, "action": "aim"}).status_code == 403


def test_graph_page_has_zoom_controls_and_search(client, auth, battery_chains):
    auth.login("a_staff")
    page = client.get(f"/chains/{battery_chains.chain}/graph").get_data(as_text=True)
    for button_id, label in (
        ("chain-zoom-in", "放大"),
        ("chain-zoom-out", "缩小"),
        ("chain-fit", "适应窗口"),
    ):
        assert re.search(rf'<button[^>]*id="{button_id}"[^>]*>{label}</button>', page), button_id
    assert re.search(r'<label[^>]*for="chain-search-input"[^>]*>查找环节或企业</label>', page)
    assert re.search(
        r'<input[^>]*type="search"[^>]*id="chain-search-input"[^>]*list="chain-search-options"', page
    )
    # The panel lies over the graph instead of taking width from it.
    assert 'class="with-side-panel graph-overlay-panel"' in page
    payload = _payload(page)
    assert payload["view"] == {"segmentFontSize": 16, "minLabelPx": 12}
    segment = next(n for n in payload["nodes"] if n["kind"] == "segment")
    assert segment["name"] == segment["label"]
    assert all(n["name"] for n in payload["nodes"])  # full names for the search


def test_graph_page_lists_every_segment_as_a_keyboard_button(client, auth, battery_chains):
    auth.login("a_staff")
    page = client.get(f"/chains/{battery_chains.chain}/graph").get_data(as_text=True)
    nav = re.search(r'<details[^>]*id="segment-nav".*?</details>', page, re.S)
    assert nav, "the 环节列表 above the graph"
    assert "<summary>环节列表（4）</summary>" in nav.group(0)
    buttons = dict(
        (int(sid), name)
        for sid, name in re.findall(
            r'<button type="button" class="segment-jump" data-segment="(\d+)">'
            r'<span class="legend-swatch status-\w+"></span>([^<]+)</button>',
            nav.group(0),
        )
    )
    assert buttons == {sid: name for name, sid in battery_chains.segments.items()}
