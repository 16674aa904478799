"""What the chain catalog must offer, written out by hand so that tests hold the catalog to it."""

from __future__ import annotations

__all__ = ["PROVINCE_CHAINS"]

# The industries of the seed provinces' counties (issue 14 item 18), by catalog key.
PROVINCE_CHAINS = {
    "titanium": "钛及钛合金",
    "energy_chemical": "能源化工",
    "fruit_processing": "果品深加工（苹果、猕猴桃）",
    "textile_apparel": "纺织服装",
    "building_materials": "新型建材",
    "steel_equipment": "钢铁及装备制造",
}
