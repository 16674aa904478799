"""Fixtures of the chain web tests: a small chain in county A (岐山县) and one in county B."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from crm.core.db import db
from crm.core.tenancy import system_scope

HOSTILE = "<script>alert(1)</script>"


@dataclass
class BatteryChains:
    """Ids of the small battery chain of county A (``chain``, its segments by name, its
    firms by kind, its links) and of county B's copy (the ``other_*`` ids)."""

    chain: int = 0
    segments: dict[str, int] = field(default_factory=dict)
    firms: dict[str, int] = field(default_factory=dict)
    links: list[int] = field(default_factory=list)
    other_chain: int = 0
    other_segment: int = 0
    other_firm: int = 0
    other_link: int = 0


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


@pytest.fixture
def battery_chains(app, world) -> BatteryChains:
    """动力电池 in county A and 扶风电池 in county B, as built by ``build_small_chain``."""
    ids = BatteryChains()
    with app.app_context(), system_scope():
        chain, seg, firms, links = build_small_chain(world.county_a)
        ids.chain = chain.id
        ids.segments = {k: v.id for k, v in seg.items()}
        ids.firms = {k: v.id for k, v in firms.items()}
        ids.links = links
        other, other_seg, other_firms, other_links = build_small_chain(world.county_b, "扶风电池")
        ids.other_chain, ids.other_segment = other.id, other_seg["电芯"].id
        ids.other_firm, ids.other_link = other_firms["leader"].id, other_links[0]
        db.session.commit()
    return ids
