"""Chain documents: the shipped templates, validation messages, export/import."""

import json

import networkx as nx
import pytest
from chain_expectations import PROVINCE_CHAINS

from chains.build import document_from_graph, graph_from_document
from chains.catalog import PROVINCE_TEMPLATE_KEYS, TEMPLATE_KEYS, list_templates, load_template
from chains.documents import (
    ChainDocumentError,
    dump_chain_document,
    normalize_chain_document,
    parse_chain_document,
    validate_chain_document,
)

REQUIRED_CHAINS = {
    "新能源汽车",
    "光伏",
    "生物医药",
    "高端装备制造",
    "新材料",
    "电子信息",
    "绿色食品及农产品精深加工",
    "文化旅游",
}
# PROVINCE_CHAINS (chain_expectations) are listed after the eight.
STAGE_RANK = {"upstream": 0, "midstream": 1, "downstream": 2}


def test_list_templates_names_every_required_chain():
    listing = list_templates()
    assert {t["name"] for t in listing} == REQUIRED_CHAINS | set(PROVINCE_CHAINS.values())
    assert [t["key"] for t in listing] == list(TEMPLATE_KEYS)
    assert all(15 <= t["segment_count"] <= 40 for t in listing)
    assert [t["name"] for t in listing if t["group"] == "province"] == list(PROVINCE_CHAINS.values())
    assert {t["name"] for t in listing if t["group"] == "general"} == REQUIRED_CHAINS


@pytest.mark.parametrize("key", TEMPLATE_KEYS)
def test_every_template_is_a_valid_acyclic_chain(key):
    doc = load_template(key)
    assert validate_chain_document(doc) == []
    names = [s["name"] for s in doc["segments"]]
    assert len(names) == len(set(names))
    assert 15 <= len(names) <= 40
    assert {s["stage"] for s in doc["segments"]} == {"upstream", "midstream", "downstream"}
    assert all(s["importance"] in ("core", "key", "general") for s in doc["segments"])
    assert any(s["importance"] == "core" for s in doc["segments"])
    G = graph_from_document(doc)
    assert nx.is_directed_acyclic_graph(G)
    linked = {name for link in doc["links"] for name in link}
    assert set(names) == linked, "every segment takes part in at least one supply link"
    stage = {s["name"]: s["stage"] for s in doc["segments"]}
    backwards = [(a, b) for a, b in doc["links"] if STAGE_RANK[stage[a]] > STAGE_RANK[stage[b]]]
    assert backwards == [], "supply runs from upstream to downstream, never back"


@pytest.mark.parametrize("key", PROVINCE_TEMPLATE_KEYS)
def test_province_template_loads_and_builds_a_dag_from_raw_material_to_market(key):
    doc = load_template(key)
    assert doc["name"] == PROVINCE_CHAINS[key]
    G = graph_from_document(doc)
    assert nx.is_directed_acyclic_graph(G)
    assert G.number_of_nodes() == len(doc["segments"]) and G.number_of_edges() == len(doc["links"])
    # A chain, not a bag of segments: every market is fed from some raw material or input,
    # and every input ends up in some market.
    by_stage = {s: {n for n in G if G.nodes[n]["stage"] == s} for s in STAGE_RANK}
    for market in by_stage["downstream"]:
        assert nx.ancestors(G, market) & by_stage["upstream"], G.nodes[market]["name"]
    for source in by_stage["upstream"]:
        assert nx.descendants(G, source) & by_stage["downstream"], G.nodes[source]["name"]


def _doc(**changes):
    doc = {
        "name": "示例链",
        "segments": [
            {"name": "矿", "stage": "upstream", "importance": "key"},
            {"name": "材料", "stage": "upstream"},
            {"name": "电芯", "stage": "midstream", "importance": "core"},
        ],
        "links": [["矿", "材料"], ["材料", "电芯"]],
    }
    doc.update(changes)
    return doc


def test_valid_document_has_no_errors():
    assert validate_chain_document(_doc()) == []


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": ""}, "产业链缺少名称"),
        ({"segments": []}, "产业链至少需要一个环节（segments）"),
        ({"segments": [{"name": "矿", "stage": "上游"}]}, "环节“矿”的阶段“上游”无效"),
        (
            {"segments": [{"name": "矿", "stage": "upstream", "importance": "vital"}]},
            "环节“矿”的重要度“vital”无效",
        ),
        (
            {
                "segments": [{"name": "矿", "stage": "upstream"}, {"name": "矿", "stage": "midstream"}],
                "links": [],
            },
            "环节名称重复：“矿”",
        ),
        ({"links": [["矿", "钴"]]}, "供应关系 矿 → 钴 指向不存在的环节“钴”"),
        ({"links": [["矿", "矿"]]}, "供应关系 矿 → 矿 不能指向自身"),
        (
            {"links": [["矿", "材料"], ["材料", "电芯"], ["电芯", "矿"]]},
            "供应关系形成循环：矿 → 材料 → 电芯 → 矿",
        ),
        ({"links": [["矿", "材料"], ["矿", "材料"]]}, "供应关系 矿 → 材料 重复"),
        (
            {"segments": [{"name": "矿", "stage": "upstream", "parent": "资源"}], "links": []},
            "环节“矿”的上级环节“资源”不存在",
        ),
        (
            {
                "segments": [
                    {"name": "甲", "stage": "upstream", "parent": "乙"},
                    {"name": "乙", "stage": "upstream", "parent": "甲"},
                ],
                "links": [],
            },
            "上级环节形成循环：甲 → 乙 → 甲",
        ),
        (
            {"firms": [{"segment": "电芯", "company": "某公司", "role": "boss", "presence": "local"}]},
            "链上企业“某公司”的角色“boss”无效",
        ),
        (
            {"firms": [{"segment": "电芯", "company": "某公司", "role": "leader", "presence": "nearby"}]},
            "链上企业“某公司”的分布“nearby”无效",
        ),
        (
            {"firms": [{"segment": "整车", "company": "某公司", "role": "leader", "presence": "local"}]},
            "链上企业“某公司”所在环节“整车”不存在",
        ),
        (
            {
                "firms": [
                    {
                        "segment": "电芯",
                        "company": "某公司",
                        "role": "leader",
                        "presence": "local",
                        "uscc": "123",
                    }
                ]
            },
            "统一社会信用代码“123”格式不正确",
        ),
    ],
)
def test_invalid_documents_are_explained_in_chinese(changes, message):
    errors = validate_chain_document(_doc(**changes))
    assert any(message in error for error in errors), errors


def test_not_an_object_and_bad_json():
    assert validate_chain_document([1, 2]) == ["产业链文件应为 JSON 对象"]
    with pytest.raises(ChainDocumentError) as bad:
        parse_chain_document('{"name": ')
    assert "不是有效的 JSON" in str(bad.value)


def test_export_then_import_gives_the_same_chain():
    doc = normalize_chain_document(
        _doc(
            segments=[
                {"name": "矿", "stage": "upstream", "importance": "key", "order": 1},
                {"name": "锂矿", "stage": "upstream", "parent": "矿", "order": 2},
                {"name": "电芯", "stage": "midstream", "importance": "core", "order": 3},
            ],
            links=[["锂矿", "电芯"], ["矿", "电芯"]],
            firms=[
                {
                    "segment": "电芯",
                    "company": "<甲> & 乙",
                    "role": "leader",
                    "presence": "target",
                    "note": "已签约",
                }
            ],
        )
    )
    exported = document_from_graph(graph_from_document(doc), doc["name"], doc["description"])
    reimported = parse_chain_document(dump_chain_document(exported))
    assert reimported["segments"] == doc["segments"]
    assert sorted(reimported["links"]) == sorted(doc["links"])
    assert reimported["firms"] == doc["firms"]
    assert "<甲> & 乙" in dump_chain_document(exported)  # readable Chinese, not \\u escapes
    assert json.loads(dump_chain_document(exported)) == exported
