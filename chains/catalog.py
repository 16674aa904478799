"""The catalog of bundled chain templates (标准产业链模板).

Each template is a chain document (:mod:`chains.documents`) under
``chains/templates_data/<key>.json``: the segments of one industry from upstream to
downstream, their importance, the supply links between them and the firm roles typical of
each segment, with no firms (a county places its own). A county starts a chain from one
(:func:`chains.services.create_chain_from_template`), and the chain remembers its template
so the analysis can suggest the template's segments it does not have yet.

Pure functions, no Flask and no database.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from chains.documents import parse_chain_document

__all__ = [
    "TEMPLATE_KEYS",
    "TEMPLATE_MAX_SEGMENTS",
    "TEMPLATE_MIN_SEGMENTS",
    "list_templates",
    "load_template",
]

# The order list_templates() keeps: the eight general industries first, then the
# industries of the seed province's counties.
TEMPLATE_KEYS = (
    "new_energy_vehicle",
    "photovoltaic",
    "biomedicine",
    "high_end_equipment",
    "new_materials",
    "electronic_information",
    "green_food",
    "cultural_tourism",
)
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
    """Return ``{"key", "name", "description", "segment_count"}`` for every bundled template.

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
            }
        )
    return listing
