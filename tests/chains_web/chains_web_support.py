"""The small battery chain the chain web tests build, the hostile name one of its firms
carries, and where a node of the gap graph is on the page (imported by name, not from
conftest: see tests/passwords.py)."""

from __future__ import annotations

__all__ = ["HOSTILE", "build_small_chain", "node_point"]

HOSTILE = "<script>alert(1)</script>"


def build_small_chain(county_id: int, name: str = "动力电池") -> tuple:
    """正极材料 → 电芯 → 整车, 隔膜 → 电芯; firms: local leader and supporter on 电芯,
    a target (with a hostile name) on 隔膜; 整车 and 正极材料 are gaps."""
    from chains import services

    chain = services.create_chain(name, leader_official="副县长 王某", county_id=county_id)
    seg = {}
    for seg_name, stage, importance in (
        ("正极材料", "upstream", "key"),
        ("隔膜", "upstream", "general"),
        ("电芯", "midstream", "core"),
        ("整车", "downstream", "core"),
    ):
        seg[seg_name] = services.add_segment(chain, name=seg_name, stage=stage, importance=importance)
    links = [
        services.add_link(chain, seg[a].id, seg[b].id).id
        for a, b in (("正极材料", "电芯"), ("隔膜", "电芯"), ("电芯", "整车"))
    ]
    firms = {
        "leader": services.add_firm(
            seg["电芯"], company_name="甲电池有限公司", role="leader", presence="local"
        ),
        "support": services.add_firm(
            seg["电芯"], company_name="乙电池材料有限公司", role="supporting", presence="local"
        ),
        "hostile": services.add_firm(seg["隔膜"], company_name=HOSTILE, role="supporting", presence="target"),
        "target": services.add_firm(
            seg["整车"], company_name="丙汽车集团有限公司", role="leader", presence="target"
        ),
    }
    return chain, seg, firms, links


def node_point(page, node_id: str) -> tuple[float, float]:
    """Viewport coordinates of a node of the gap graph (Playwright), from its fixed canvas
    position, the graph scrolled into view."""
    page.locator("#chain-graph").scroll_into_view_if_needed()
    return page.evaluate(
        """(id) => {
        const p = chainNetwork.canvasToDOM(chainNetwork.getPositions([id])[id]);
        const box = document.getElementById("chain-graph").getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }""",
        node_id,
    )
