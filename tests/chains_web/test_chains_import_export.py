"""Chain JSON: export, import, and refusal of malformed or oversized files."""

from __future__ import annotations

import io
import json

from sqlalchemy import func, select

from chains.models import Chain, ChainFirm, Segment
from crm.companies.models import Company
from crm.core.db import db
from crm.core.tenancy import system_scope


def _counts(app):
    with app.app_context(), system_scope():
        return tuple(
            db.session.execute(select(func.count(m.id))).scalar_one()
            for m in (Chain, Segment, ChainFirm, Company)
        )


def _upload(client, content: bytes, **fields):
    data = {"file": (io.BytesIO(content), "chain.json"), **fields}
    return client.post("/chains/import", data=data, content_type="multipart/form-data")


def _refused_page(app, client, content: bytes | dict) -> str:
    """Upload a file (bytes, or a document to write as JSON) that must be refused: the answer is
    422 and nothing is written. The page that says why."""
    if isinstance(content, dict):
        content = json.dumps(content, ensure_ascii=False).encode()
    before = _counts(app)
    response = _upload(client, content)
    assert response.status_code == 422
    assert _counts(app) == before
    return response.get_data(as_text=True)


def test_export_then_import_round_trip(app, client, auth, battery_chains):
    auth.login("a_staff")
    exported = client.get(f"/chains/{battery_chains.chain}/export.json")
    assert exported.status_code == 200
    assert "filename*=UTF-8''" in exported.headers["Content-Disposition"]
    doc = json.loads(exported.data)
    assert {s["name"] for s in doc["segments"]} == {"正极材料", "隔膜", "电芯", "整车"}
    auth.logout()
    auth.login("b_staff")
    response = _upload(client, exported.data, name="动力电池")
    assert response.status_code == 302, response.get_data(as_text=True)
    new_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    again = json.loads(client.get(f"/chains/{new_id}/export.json").data)
    assert again == doc
    with app.app_context(), system_scope():
        # Firms are matched to the shared companies, not duplicated.
        assert (
            db.session.execute(
                select(func.count(Company.id)).where(Company.name == "甲电池有限公司")
            ).scalar_one()
            == 1
        )


def test_malformed_json_is_refused_naming_the_problem(app, client, auth, world):
    auth.login("a_staff")
    assert "文件不是有效的 JSON" in _refused_page(app, client, b'{"name": "x", "segments": [')


def test_invalid_document_is_refused_naming_every_problem(app, client, auth, world):
    auth.login("a_staff")
    doc = {
        "name": "坏链",
        "segments": [
            {"name": "A", "stage": "upstream"},
            {"name": "B", "stage": "sideways"},
            {"name": "A", "stage": "upstream"},
        ],
        "links": [["A", "B"], ["B", "A"]],
        "firms": [{"segment": "X", "company": "某公司", "role": "leader", "presence": "local"}],
    }
    page = _refused_page(app, client, doc)
    assert "环节名称重复：“A”" in page
    assert "阶段“sideways”无效" in page
    assert "供应关系形成循环：A → B → A" in page
    assert "所在环节“X”不存在" in page


def test_firm_twice_on_one_segment_in_a_file_is_refused(app, client, auth, world):
    auth.login("a_staff")
    firm = {"segment": "A", "company": "重复企业有限公司", "role": "supporting", "presence": "local"}
    doc = {"name": "重复", "segments": [{"name": "A", "stage": "upstream"}], "firms": [firm, dict(firm)]}
    assert "企业“重复企业有限公司”在环节“A”上出现了两次" in _refused_page(app, client, doc)


def test_oversized_files_are_refused(app, client, auth, world):
    auth.login("a_staff")
    too_many = {"name": "大链", "segments": [{"name": f"环节{i}", "stage": "upstream"} for i in range(501)]}
    assert "环节过多（501 个），上限为 500 个" in _refused_page(app, client, too_many)
    huge = json.dumps(
        {"name": "大文件", "description": "长" * 400_000, "segments": [{"name": "A", "stage": "upstream"}]},
        ensure_ascii=False,
    ).encode()
    assert len(huge) > 1024 * 1024
    page = _refused_page(app, client, huge)
    assert "文件过大" in page and "上限为 1 MB" in page


def test_import_without_a_file_asks_for_one(client, auth, world):
    auth.login("a_staff")
    response = client.post("/chains/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "请选择要导入的 JSON 文件" in response.get_data(as_text=True)


def test_import_name_clash_is_refused(app, client, auth, battery_chains):
    auth.login("a_staff")
    exported = client.get(f"/chains/{battery_chains.chain}/export.json").data
    assert "已有同名产业链“动力电池”" in _refused_page(app, client, exported)


def test_import_matches_firms_by_uscc_then_name_and_refuses_a_bad_code(app, client, auth, world):
    from crm.util.uscc import make_uscc

    code = make_uscc("610323", 42)
    with app.app_context(), system_scope():
        db.session.add(Company(name="旧名称电池有限公司", name_key="旧名称电池", uscc=code, tags=[]))
        db.session.add(Company(name="乙材料有限公司", name_key="乙材料", tags=[]))
        db.session.commit()
    auth.login("a_staff")
    doc = {
        "name": "匹配",
        "segments": [{"name": "A", "stage": "upstream"}, {"name": "B", "stage": "midstream"}],
        "firms": [
            {
                "segment": "A",
                "company": "新名称电池有限公司",
                "uscc": code,
                "role": "leader",
                "presence": "local",
            },
            {"segment": "A", "company": "乙材料有限公司", "role": "supporting", "presence": "target"},
            {"segment": "B", "company": "乙材料有限公司", "role": "supporting", "presence": "local"},
        ],
    }
    assert _upload(client, json.dumps(doc, ensure_ascii=False).encode()).status_code == 302
    with app.app_context(), system_scope():
        names = (
            db.session.execute(
                select(Company.name)
                .join(ChainFirm, ChainFirm.company_id == Company.id)
                .order_by(ChainFirm.id)
            )
            .scalars()
            .all()
        )
        assert names == ["旧名称电池有限公司", "乙材料有限公司", "乙材料有限公司"]
        assert db.session.execute(select(func.count(Company.id))).scalar_one() == 2
    bad = code[:-1] + ("0" if code[-1] != "0" else "1")
    doc = {
        "name": "坏代码",
        "segments": [{"name": "A", "stage": "upstream"}],
        "firms": [
            {"segment": "A", "company": "丙新公司", "uscc": bad, "role": "leader", "presence": "local"}
        ],
    }
    assert "企业“丙新公司”：第18位校验码应为" in _refused_page(app, client, doc)


def test_refusals_are_in_the_readers_language(app, client, auth, world):
    auth.login("a_staff")
    assert client.get("/lang/en", headers={"Referer": "http://localhost/chains"}).status_code in (302, 303)
    doc = {
        "name": "坏链",
        "segments": [{"name": "A", "stage": "upstream"}, {"name": "B", "stage": "sideways"}],
        "links": [["A", "B"], ["B", "A"]],
        "firms": [{"segment": "X", "company": "某公司", "role": "leader", "presence": "local"}],
    }
    page = _refused_page(app, client, doc)
    assert (
        "The Stage of segment “B”, “sideways”, is not valid: use upstream (Upstream), midstream"
        in page.replace("&#34;", '"')
    )
    assert "Supply links form a cycle: A → B → A" in page
    assert "The segment of chain firm “某公司”, “X”, does not exist" in page
    assert "环节" not in page.split("<main", 1)[-1].split("</main>", 1)[0]
    assert "The file is not valid JSON: error near line 1" in _refused_page(app, client, b'{"name": "x", "se')
