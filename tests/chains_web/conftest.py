"""Fixtures of the chain web tests: a small chain in county A (岐山县) and one in county B
(built by chains_web_support.build_small_chain)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from chains_web_support import build_small_chain

from crm.core.db import db
from crm.core.tenancy import system_scope


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
