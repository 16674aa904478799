"""Editing a chain through the web forms and the API: cycles, duplicates, roles."""

from __future__ import annotations

import pytest
from chain_expectations import PROVINCE_CHAINS
from page_content import conflict_box
from record_support import audit_rows, count_of
from sqlalchemy import select

from chains.catalog import PROVINCE_TEMPLATE_KEYS, load_template
from chains.models import ChainFirm, Segment, SegmentLink
from crm.audit.models import AuditEvent
from crm.core.db import db
from crm.core.tenancy import system_scope


def _segment_form(name: str, stage: str, importance: str, parent_id="0", **more) -> dict:
    """What the segment form posts: a segment at the top of the chain unless ``parent_id`` says."""
    return {"name": name, "stage": stage, "importance": importance, "parent_id": parent_id, **more}


def test_link_closing_a_cycle_is_refused_through_the_form_naming_the_path(app, client, auth, battery_chains):
    auth.login("a_staff")
    seg = battery_chains.segments
    before = count_of(app, SegmentLink, chain_id=battery_chains.chain)
    response = client.post(
        f"/chains/{battery_chains.chain}/links/new",
        data={"supplier_id": seg["整车"], "consumer_id": seg["正极材料"]},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "将形成循环 整车 → 正极材料 → 电芯 → 整车" in page
    assert count_of(app, SegmentLink, chain_id=battery_chains.chain) == before


def test_link_closing_a_cycle_is_refused_through_the_api(app, api, battery_chains):
    seg = battery_chains.segments
    before = count_of(app, SegmentLink, chain_id=battery_chains.chain)
    response = api.post(
        f"/api/v1/chains/{battery_chains.chain}/links",
        as_user="a_staff",
        json={"supplier_id": seg["整车"], "consumer_id": seg["隔膜"]},
    )
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "整车 → 隔膜 → 电芯 → 整车" in response.get_json()["detail"]
    assert count_of(app, SegmentLink, chain_id=battery_chains.chain) == before


def test_api_link_that_keeps_the_chain_acyclic_is_added(app, api, battery_chains):
    seg = battery_chains.segments
    response = api.post(
        f"/api/v1/chains/{battery_chains.chain}/links",
        as_user="a_staff",
        json={"supplier_id": seg["正极材料"], "consumer_id": seg["整车"]},
    )
    assert response.status_code == 201
    bad = api.post(
        f"/api/v1/chains/{battery_chains.chain}/links",
        as_user="a_staff",
        json={"supplier_id": "正极材料", "consumer_id": seg["整车"]},
    )
    assert bad.status_code == 422 and "supplier_id" in bad.get_json()["errors"]


def test_link_form_adds_a_link(app, client, auth, battery_chains):
    auth.login("a_staff")
    seg = battery_chains.segments
    response = client.post(
        f"/chains/{battery_chains.chain}/links/new",
        data={"supplier_id": seg["隔膜"], "consumer_id": seg["整车"]},
    )
    assert response.status_code == 302
    page = client.get(f"/chains/{battery_chains.chain}").get_data(as_text=True)
    assert "隔膜 → 整车" in page


def test_duplicate_segment_name_is_refused(app, client, auth, battery_chains):
    auth.login("a_staff")
    before = count_of(app, Segment, chain_id=battery_chains.chain)
    response = client.post(
        f"/chains/{battery_chains.chain}/segments/new",
        data=_segment_form(" 电芯 ", "midstream", "key"),
    )
    assert response.status_code == 422
    assert "本产业链已有环节“电芯”" in response.get_data(as_text=True)
    assert count_of(app, Segment, chain_id=battery_chains.chain) == before
    # Renaming another segment to an existing name is refused too.
    response = client.post(
        f"/chains/{battery_chains.chain}/segments/{battery_chains.segments['整车']}/edit",
        data=_segment_form("隔膜", "downstream", "core", sort_order="1", version="1"),
    )
    assert response.status_code == 422
    assert "本产业链已有环节“隔膜”" in response.get_data(as_text=True)


def test_new_segment_and_its_edit_are_saved(app, client, auth, battery_chains):
    auth.login("a_manager")
    response = client.post(
        f"/chains/{battery_chains.chain}/segments/new",
        data=_segment_form(
            "电池回收", "downstream", "general", parent_id=str(battery_chains.segments["整车"])
        ),
    )
    assert response.status_code == 302
    with app.app_context(), system_scope():
        segment = db.session.execute(select(Segment).where(Segment.name == "电池回收")).scalar_one()
        assert segment.parent_id == battery_chains.segments["整车"]
        sid, version = segment.id, segment.version
    edit_url = f"/chains/{battery_chains.chain}/segments/{sid}/edit"
    renamed = _segment_form("动力电池回收", "downstream", "key", sort_order="9")
    stale = client.post(edit_url, data={**renamed, "version": str(version - 1)})
    assert stale.status_code == 409
    ok = client.post(edit_url, data={**renamed, "version": str(version)})
    assert ok.status_code == 302
    assert "动力电池回收" in client.get(f"/chains/{battery_chains.chain}").get_data(as_text=True)


def test_firm_placed_twice_on_one_segment_is_refused(app, client, auth, battery_chains):
    auth.login("a_staff")
    url = f"/chains/{battery_chains.chain}/segments/{battery_chains.segments['电芯']}/firms/new"
    before = count_of(app, ChainFirm, segment_id=battery_chains.segments["电芯"])
    response = client.post(
        url, data={"company_name": "甲电池有限公司", "role": "supporting", "presence": "target"}
    )
    assert response.status_code == 422
    assert "企业“甲电池有限公司”已在环节“电芯”上" in response.get_data(as_text=True)
    assert count_of(app, ChainFirm, segment_id=battery_chains.segments["电芯"]) == before
    # The same company on another segment is fine.
    other = f"/chains/{battery_chains.chain}/segments/{battery_chains.segments['整车']}/firms/new"
    assert (
        client.post(
            other, data={"company_name": "甲电池有限公司", "role": "supporting", "presence": "local"}
        ).status_code
        == 302
    )


def test_deleting_a_segment_removes_its_links_and_firms(app, client, auth, battery_chains):
    auth.login("a_staff")
    response = client.post(
        f"/chains/{battery_chains.chain}/segments/{battery_chains.segments['电芯']}/delete"
    )
    assert response.status_code == 302
    assert count_of(app, SegmentLink, chain_id=battery_chains.chain) == 0
    assert count_of(app, ChainFirm, segment_id=battery_chains.segments["电芯"]) == 0


def test_create_chain_from_template(app, client, auth, world):
    auth.login("a_staff")
    response = client.post(
        "/chains/new", data={"template": "photovoltaic", "name": "", "leader_official": "副县长 某某"}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "光伏" in page and "副县长 某某" in page
    again = client.post("/chains/new", data={"template": "photovoltaic", "name": ""})
    assert again.status_code == 422 and "本县已有产业链“光伏”" in again.get_data(as_text=True)


def test_create_page_offers_the_seed_provinces_industries(app, client, auth, world):
    auth.login("a_staff")
    page = client.get("/chains/new").get_data(as_text=True)
    options = page.split('name="template"')[1].split("</select>")[0]
    province_list = page.split('id="templates-province"')[1].split("</ul>")[0]
    for key, name in PROVINCE_CHAINS.items():
        assert f'value="{key}"' in options and name in options
        assert name in province_list
    assert "光伏" not in province_list


@pytest.mark.parametrize("key", PROVINCE_TEMPLATE_KEYS)
def test_a_user_picks_a_province_template_and_gets_its_chain(app, client, auth, world, key):
    auth.login("a_staff")
    response = client.post("/chains/new", data={"template": key, "name": "", "leader_official": "县长"})
    assert response.status_code == 302
    chain_url = response.headers["Location"]
    chain_id = int(chain_url.rstrip("/").split("/")[-1])
    template = load_template(key)
    assert count_of(app, Segment, chain_id=chain_id) == len(template["segments"])
    assert count_of(app, SegmentLink, chain_id=chain_id) == len(template["links"])
    page = client.get(chain_url).get_data(as_text=True)
    assert PROVINCE_CHAINS[key] in page and template["segments"][0]["name"] in page
    graph = client.get(f"/chains/{chain_id}/graph")
    assert graph.status_code == 200 and template["segments"][-1]["name"] in graph.get_data(as_text=True)


def test_leader_and_coordinator_read_but_cannot_edit(app, client, auth, battery_chains):
    cid, sid, fid = battery_chains.chain, battery_chains.segments["电芯"], battery_chains.firms["target"]
    write_urls = [
        ("get", "/chains/new"),
        ("get", "/chains/import"),
        ("get", f"/chains/{cid}/edit"),
        ("post", f"/chains/{cid}/delete"),
        ("get", f"/chains/{cid}/segments/new"),
        ("get", f"/chains/{cid}/segments/{sid}/edit"),
        ("post", f"/chains/{cid}/segments/{sid}/delete"),
        ("get", f"/chains/{cid}/links/new"),
        ("post", f"/chains/{cid}/links/{battery_chains.links[0]}/delete"),
        ("get", f"/chains/{cid}/segments/{sid}/firms/new"),
        ("get", f"/chains/{cid}/firms/{fid}/edit"),
        ("post", f"/chains/{cid}/firms/{fid}/delete"),
        ("post", f"/chains/{cid}/firms/{fid}/lead"),
    ]
    for username in ("a_leader", "city"):
        auth.login(username)
        assert client.get(f"/chains/{cid}/graph").status_code == 200
        for method, url in write_urls:
            assert getattr(client, method)(url).status_code == 403, (username, url)
        auth.logout()
    assert count_of(app, ChainFirm, chain_id=cid) == 4


def test_leader_sees_no_edit_buttons(client, auth, battery_chains):
    auth.login("a_leader")
    page = client.get(f"/chains/{battery_chains.chain}").get_data(as_text=True)
    assert "添加环节" not in page and "添加供应关系" not in page
    panel = client.get(f"/chains/{battery_chains.chain}/segments/{battery_chains.segments['整车']}/panel")
    assert "新建招商线索" not in panel.get_data(as_text=True)


def test_admin_gets_403_for_county_chains(client, auth, battery_chains):
    auth.login("admin")
    for url in ("/chains/", f"/chains/{battery_chains.chain}", f"/chains/{battery_chains.chain}/graph"):
        assert client.get(url).status_code == 403


def test_api_roles(api, battery_chains):
    assert api.get("/api/v1/chains", as_user="admin").status_code == 403
    assert (
        api.post(
            f"/api/v1/chains/{battery_chains.chain}/links",
            as_user="a_leader",
            json={"supplier_id": 1, "consumer_id": 2},
        ).status_code
        == 403
    )


def test_a_stale_segment_edit_names_its_stage(app, client, auth, battery_chains):
    auth.login("a_manager")
    with app.app_context(), system_scope():
        segment = db.session.get(Segment, battery_chains.segments["整车"])
        url = f"/chains/{battery_chains.chain}/segments/{segment.id}/edit"
        version = segment.version
    fields = {
        "name": "整车制造",
        "stage": "downstream",
        "importance": "key",
        "parent_id": "0",
        "sort_order": "1",
    }
    assert client.post(url, data={**fields, "version": str(version)}).status_code == 302

    stale = client.post(url, data={**fields, "name": "整车组装", "version": str(version)})
    assert stale.status_code == 409
    stored = conflict_box(stale.get_data(as_text=True))
    assert stored["环节名称"] == "整车制造"
    assert stored["阶段"] == "下游" and stored["重要度"] == "关键"
    with app.app_context(), system_scope():
        assert (
            db.session.execute(select(Segment.name).where(Segment.id == segment.id)).scalar_one()
            == "整车制造"
        )


def test_editing_refusals_speak_the_users_language(app, client, auth, battery_chains):
    """The chain's refusals are translated like every other page's (they were Chinese in the
    English interface)."""
    auth.login("a_staff")
    client.get("/lang/en", headers={"Referer": "http://localhost/chains/"})
    seg = battery_chains.segments
    cycle = client.post(
        f"/chains/{battery_chains.chain}/links/new",
        data={"supplier_id": seg["整车"], "consumer_id": seg["正极材料"]},
    ).get_data(as_text=True)
    assert "it would close the cycle 整车 → 正极材料 → 电芯 → 整车" in cycle and "将形成循环" not in cycle
    duplicate = client.post(
        f"/chains/{battery_chains.chain}/segments/new",
        data={"name": "电芯", "stage": "midstream", "importance": "core"},
    )
    assert duplicate.status_code == 422
    assert "This chain already has a segment “电芯”" in duplicate.get_data(as_text=True)
    picker = client.get("/chains/new").get_data(as_text=True)
    assert "segments)" in picker and "个环节" not in picker


def test_deleting_a_chain_takes_its_segments_links_firms_and_aims_with_it(app, client, auth, battery_chains):
    from chains import services
    from chains.models import Chain, ProjectSegment
    from crm.projects.models import Project

    cid = battery_chains.chain
    with app.app_context(), system_scope():
        project = Project(county_id=db.session.get(Chain, cid).county_id, name="电芯配套项目", stage="lead")
        db.session.add(project)
        db.session.flush()
        services.aim_project(project, db.session.get(Segment, battery_chains.segments["电芯"]))
        db.session.get(Segment, battery_chains.segments["隔膜"]).parent_id = battery_chains.segments["电芯"]
        db.session.commit()
        project_id = project.id
    auth.login("a_staff")
    response = client.post(f"/chains/{cid}/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith("/chains/")
    assert "产业链已删除" in client.get("/chains/").get_data(as_text=True)
    assert count_of(app, Chain, id=cid) == 0
    for part in (Segment, SegmentLink, ChainFirm):
        assert count_of(app, part, chain_id=cid) == 0, part
    assert count_of(app, ProjectSegment, project_id=project_id) == 0
    assert count_of(app, Project, id=project_id) == 1  # the project itself stays
    assert count_of(app, Chain, id=battery_chains.other_chain) == 1  # county B's chain untouched
    for table in ("chains", "chain_segments", "chain_segment_links", "chain_firms", "project_segments"):
        assert count_of(app, AuditEvent, table_name=table, action="delete") >= 1, table  # each audited


def test_deleting_a_firm_and_a_link_from_their_buttons(app, client, auth, battery_chains):
    cid, firm_id, link_id = battery_chains.chain, battery_chains.firms["target"], battery_chains.links[0]
    auth.login("a_staff")
    firm = client.post(f"/chains/{cid}/firms/{firm_id}/delete", data={"version": "1"})
    assert firm.status_code == 302
    assert count_of(app, ChainFirm, id=firm_id) == 0
    link = client.post(f"/chains/{cid}/links/{link_id}/delete")
    assert link.status_code == 302
    assert count_of(app, SegmentLink, id=link_id) == 0
    assert count_of(app, SegmentLink, chain_id=cid) == len(battery_chains.links) - 1


def test_an_edit_that_moves_and_renames_a_segment_is_one_change(app, client, auth, battery_chains):
    """One edit is one change of the record: one audit row, one version step."""
    sid = battery_chains.segments["隔膜"]
    with app.app_context(), system_scope():
        version = db.session.get(Segment, sid).version
        rows_before = len(audit_rows("chain_segments", sid))
    auth.login("a_manager")
    response = client.post(
        f"/chains/{battery_chains.chain}/segments/{sid}/edit",
        data=_segment_form(
            "湿法隔膜",
            "upstream",
            "key",
            parent_id=str(battery_chains.segments["正极材料"]),
            sort_order="3",
            version=str(version),
        ),
    )
    assert response.status_code == 302
    with app.app_context(), system_scope():
        segment = db.session.get(Segment, sid)
        assert (segment.name, segment.parent_id, segment.sort_order) == (
            "湿法隔膜",
            battery_chains.segments["正极材料"],
            3,
        )
        assert segment.version == version + 1
        new_rows = audit_rows("chain_segments", sid)[rows_before:]
    assert len(new_rows) == 1
    assert new_rows[0].action == "update"
