"""Gap analysis rules of docs/design.md on small hand-built chains."""

import pytest

from chains.analysis import (
    CycleError,
    chain_summary,
    check_new_link,
    completeness,
    critical_gaps,
    extension_suggestions,
    leader_supply_rates,
    local_supply_rate,
    segment_statuses,
    would_create_cycle,
)
from chains.build import build_chain_graph


def chain(segments, links=(), firms=(), aims=()):
    """segments: (id, name, stage, importance); firms: (segment, company, role, presence)."""
    return build_chain_graph(
        [{"id": i, "name": n, "stage": s, "importance": imp} for i, n, s, imp in segments],
        [{"supplier_id": a, "consumer_id": b} for a, b in links],
        [{"segment_id": seg, "company": c, "role": r, "presence": p} for seg, c, r, p in firms],
        [{"segment_id": seg, "project_id": pid, "stage": st} for seg, pid, st in aims],
    )


def test_every_status():
    G = chain(
        [
            (1, "空白", "upstream", "general"),
            (2, "只有外地", "upstream", "general"),
            (3, "招商目标", "upstream", "general"),
            (4, "有项目", "upstream", "general"),
            (5, "项目已终止", "upstream", "general"),
            (6, "一家本地", "midstream", "key"),
            (7, "核心无龙头", "midstream", "core"),
            (8, "核心有龙头", "midstream", "core"),
            (9, "两家本地", "downstream", "general"),
            (10, "本地龙头独苗", "downstream", "core"),
        ],
        firms=[
            (2, "外地甲", "leader", "external"),
            (3, "目标乙", "supporting", "target"),
            (6, "本地丙", "supporting", "local"),
            (6, "目标丁", "leader", "target"),
            (7, "本地戊", "supporting", "local"),
            (7, "本地己", "service", "local"),
            (7, "外地龙头", "leader", "external"),
            (8, "本地庚", "leader", "local"),
            (8, "本地辛", "supporting", "local"),
            (9, "本地壬", "supporting", "local"),
            (9, "本地癸", "service", "local"),
            (10, "本地龙头", "leader", "local"),
        ],
        aims=[(4, 100, "negotiating"), (5, 101, "lost")],
    )
    assert segment_statuses(G) == {
        1: "gap",
        2: "gap",  # an external firm is not local and not a target
        3: "targeted",  # target firm
        4: "targeted",  # open project
        5: "gap",  # a lost project does not count
        6: "weak",  # one local firm; a target firm changes nothing once local exists
        7: "weak",  # core, two local firms but the leader is external
        8: "strong",
        9: "strong",
        10: "weak",  # a local leader alone is still fewer than 2
    }


def test_on_hold_project_still_targets_its_segment():
    G = chain([(1, "电芯", "midstream", "core")], aims=[(1, 5, "on_hold")])
    assert segment_statuses(G) == {1: "targeted"}


def test_completeness_is_weighted_by_importance():
    G = chain(
        [
            (1, "核心", "upstream", "core"),
            (2, "关键", "midstream", "key"),
            (3, "一般", "downstream", "general"),
        ],
        firms=[
            (1, "甲", "supporting", "local"),
            (2, "乙", "supporting", "target"),
            (3, "丙", "leader", "local"),
        ],
    )
    assert completeness(G) == pytest.approx((3 + 1) / (3 + 2 + 1))


def test_completeness_counts_only_local_firms_and_is_zero_for_empty_chain():
    G = chain([(1, "核心", "upstream", "core")], firms=[(1, "甲", "leader", "external")])
    assert completeness(G) == 0.0
    assert completeness(chain([])) == 0.0
    G = chain([(1, "核心", "upstream", "core")], firms=[(1, "甲", "leader", "local")])
    assert completeness(G) == 1.0


def test_local_supply_rate_uses_transitive_ancestors():
    # 矿 → 材料 → 电芯 → 整车, 隔膜 → 电芯; only 矿 and 隔膜 are local.
    G = chain(
        [
            (1, "矿", "upstream", "general"),
            (2, "材料", "upstream", "key"),
            (3, "隔膜", "upstream", "key"),
            (4, "电芯", "midstream", "core"),
            (5, "整车", "downstream", "core"),
            (6, "孤立", "downstream", "general"),
        ],
        links=[(1, 2), (2, 4), (3, 4), (4, 5)],
        firms=[
            (1, "矿企", "supporting", "local"),
            (3, "隔膜厂", "supporting", "local"),
            (5, "整车厂", "leader", "local"),
            (6, "孤立龙头", "leader", "target"),
        ],
    )
    assert local_supply_rate(G, 5) == pytest.approx(2 / 4)  # ancestors 矿, 材料, 隔膜, 电芯
    assert local_supply_rate(G, 4) == pytest.approx(2 / 3)
    assert local_supply_rate(G, 1) == 1.0  # no ancestor at all
    assert local_supply_rate(G, 6) == 1.0
    rates = {row["company"]: row["rate"] for row in leader_supply_rates(G)}
    assert rates == {"整车厂": pytest.approx(0.5), "孤立龙头": 1.0}


def test_critical_gaps_rank_by_weight_times_descendants_then_name():
    # 乙(general) → 丙(core) → 丁(key); 甲(key) and 戊(key) unconnected.
    G = chain(
        [
            (1, "甲", "upstream", "key"),
            (2, "乙", "upstream", "general"),
            (3, "丙", "midstream", "core"),
            (4, "丁", "downstream", "key"),
            (5, "戊", "downstream", "key"),
            (6, "己", "upstream", "core"),
        ],
        links=[(2, 3), (3, 4)],
        firms=[(3, "本地", "leader", "local"), (5, "目标", "supporting", "target")],
    )
    # 丙 is weak (one local firm): not a gap. 乙: 1 × (1 + 2) = 3 (descendants 丙 and 丁,
    # transitively). 己: 3 × 1 = 3. 甲, 丁, 戊(targeted): 2 × 1 = 2. Ties go by name in
    # code point order (丁 U+4E01 < 乙 U+4E59 < 己 U+5DF1 < 戊 U+620A < 甲 U+7532).
    assert critical_gaps(G) == [(2, 3), (6, 3), (4, 2), (5, 2), (1, 2)]
    names = [G.nodes[n]["name"] for n, _ in critical_gaps(G)]
    assert names == ["乙", "己", "丁", "戊", "甲"]
    assert names[:2] == sorted(names[:2]) and names[2:] == sorted(names[2:])


def test_link_closing_a_cycle_is_refused_with_the_path():
    G = chain(
        [(1, "矿", "upstream", "general"), (2, "材料", "upstream", "key"), (3, "电芯", "midstream", "core")],
        links=[(1, 2), (2, 3)],
    )
    assert would_create_cycle(G, 3, 1)
    with pytest.raises(CycleError) as refused:
        check_new_link(G, 3, 1)
    assert "电芯 → 矿 → 材料 → 电芯" in str(refused.value)
    assert refused.value.path == [3, 1, 2, 3]
    with pytest.raises(CycleError):
        check_new_link(G, 2, 2)
    assert not would_create_cycle(G, 1, 3)
    check_new_link(G, 1, 3)  # a shortcut in the same direction is fine


def test_extension_suggestions_list_missing_template_segments_and_their_links():
    G = chain([(10, "电芯", "midstream", "core"), (11, "整车", "downstream", "core")], links=[(10, 11)])
    template = {
        "name": "新能源汽车",
        "segments": [
            {"name": "正极", "stage": "upstream", "importance": "key", "order": 1},
            {"name": "电芯", "stage": "midstream", "importance": "core", "order": 1},
            {"name": "整车", "stage": "downstream", "importance": "core", "order": 1},
            {"name": "电池回收", "stage": "downstream", "importance": "key", "order": 2},
            {"name": "锂矿", "stage": "upstream", "importance": "general", "order": 0},
        ],
        "links": [["锂矿", "正极"], ["正极", "电芯"], ["电芯", "整车"], ["整车", "电池回收"]],
    }
    suggestions = extension_suggestions(G, template)
    assert [s["name"] for s in suggestions] == ["锂矿", "正极", "电池回收"]
    by_name = {s["name"]: s for s in suggestions}
    assert by_name["正极"]["consumers"] == [10] and by_name["正极"]["suppliers"] == []
    assert by_name["电池回收"]["suppliers"] == [11]
    assert by_name["锂矿"]["consumers"] == []  # 正极 is not in the county's chain
    assert by_name["电池回收"]["stage"] == "downstream"


def test_summary_counts_statuses():
    G = chain(
        [(1, "甲", "upstream", "general"), (2, "乙", "upstream", "general")],
        firms=[(1, "a", "supporting", "local"), (1, "b", "supporting", "local")],
    )
    summary = chain_summary(G)
    assert (summary["gap"], summary["strong"], summary["segments"]) == (1, 1, 2)
    assert summary["completeness"] == pytest.approx(0.5)
