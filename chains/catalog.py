"""The catalog of bundled chain templates (标准产业链模板).

Each template is a chain document (:mod:`chains.documents`) under
``chains/templates_data/<key>.json``: the segments of one industry from upstream to
downstream, their importance and the supply links between them, with no firms (a county
places its own). A county starts a chain from one
(:func:`chains.services.create_chain_from_template`), and the chain remembers its template
so the analysis can suggest the template's segments it does not have yet.

Two groups: the eight general industries, and the industries of the seed provinces'
counties (钛及钛合金, 能源化工, 果品深加工, 纺织服装, 新型建材, 钢铁及装备制造).

Pure functions, no Flask and no database.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from chains.documents import parse_chain_document

__all__ = [
    "GENERAL_TEMPLATE_KEYS",
    "PROVINCE_TEMPLATE_KEYS",
    "TEMPLATE_KEYS",
    "TEMPLATE_MAX_SEGMENTS",
    "TEMPLATE_MIN_SEGMENTS",
    "list_templates",
    "load_template",
]

# The eight industries every county plans for (the national strategic industries).
GENERAL_TEMPLATE_KEYS = (
    "new_energy_vehicle",
    "photovoltaic",
    "biomedicine",
    "high_end_equipment",
    "new_materials",
    "electronic_information",
    "green_food",
    "cultural_tourism",
)
# The industries the seed provinces' counties actually have (宝鸡's titanium valley, the
# northern coal and chemical bases, the apple and kiwi belts, textile, building
# materials, steel and machinery), which the general eight describe too loosely.
PROVINCE_TEMPLATE_KEYS = (
    "titanium",
    "energy_chemical",
    "fruit_processing",
    "textile_apparel",
    "building_materials",
    "steel_equipment",
)
# The order list_templates() and the create page keep: the general industries first.
TEMPLATE_KEYS = GENERAL_TEMPLATE_KEYS + PROVINCE_TEMPLATE_KEYS
TEMPLATE_MIN_SEGMENTS = 15
TEMPLATE_MAX_SEGMENTS = 40


@cache
def _template_text(key: str) -> str:
    return resources.files("chains").joinpath("templates_data", f"{key}.json").read_text("utf-8")


def load_template(key: str) -> dict:
    """Return the normalized document of a bundled template; ``KeyError`` if unknown.

    >>> doc = load_template("photovoltaic")
    >>> doc["name"], TEMPLATE_MIN_SEGMENTS <= len(doc["segments"]) <= TEMPLATE_MAX_SEGMENTS
    ('光伏', True)
    >>> load_template("blueprints")
    Traceback (most recent call last):
    ...
    KeyError: 'blueprints'
    """
    if key not in TEMPLATE_KEYS:
        raise KeyError(key)
    return parse_chain_document(_template_text(key))


def list_templates() -> list[dict]:
    """Return ``{"key", "name", "description", "segment_count", "group"}`` for every
    bundled template; ``group`` is ``general`` or ``province`` (the seed provinces' own
    industries), which the create page lists apart.

    >>> [t["name"] for t in list_templates()][:2]
    ['新能源汽车', '光伏']
    """
    listing = []
    for key in TEMPLATE_KEYS:
        doc = load_template(key)
        listing.append(
            {
                "key": key,
                "name": doc["name"],
                "description": doc["description"],
                "segment_count": len(doc["segments"]),
                "group": "province" if key in PROVINCE_TEMPLATE_KEYS else "general",
            }
        )
    return listing
