"""The raw facts of the review tests: projects and funds of 岐山县 (A) and 扶风县 (B) across
2025Q3, 2026Q2 and 2026Q3. conftest.py writes them to the database (fixture ``review_case``);
review_oracle.py works the review out again from them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

__all__ = ["FUNDS", "MOVES", "PROJECTS"]

# (key, county, stage, planned 万元, 签约, 注册, 开工, 投产)
PROJECTS = [
    ("a1", "a", "started", Decimal(15000), date(2026, 2, 10), date(2026, 3, 15), date(2026, 8, 1), None),
    ("a2", "a", "signed", Decimal(5000), date(2026, 8, 20), None, None, None),
    ("a3", "a", "producing", Decimal(8000), date(2025, 5, 1), None, date(2025, 7, 10), date(2026, 7, 15)),
    ("a4", "a", "lost", Decimal(2000), date(2026, 4, 1), None, None, None),
    ("a5", "a", "lead", None, None, None, None, None),
    ("b1", "b", "signed", Decimal(3000), date(2026, 7, 1), None, None, None),
    # Started, moved back to 签约, then put on hold: its 开工 date stays on record, but it no
    # longer stands at 开工.
    ("b2", "b", "on_hold", Decimal(2500), date(2026, 1, 5), None, date(2026, 5, 10), None),
]
# The recorded stage moves of a project (project, stages it moved to in order); a project
# not named here has none (written straight at its stage, as an imported ledger's row).
MOVES = {"b2": ("signed", "started", "signed", "on_hold")}
# (project, month, origin, 万元, confirmed)
FUNDS = [
    ("a1", date(2026, 2, 1), "out_of_province", Decimal(1000), True),
    ("a1", date(2026, 5, 1), "in_province", Decimal(400), True),
    ("a1", date(2026, 8, 1), "in_city", Decimal(500), True),
    ("a1", date(2026, 8, 1), "out_of_province", Decimal(999), False),  # awaiting 认定: never counts
    ("a2", date(2026, 9, 1), "in_province", Decimal(300), True),
    ("a3", date(2025, 8, 1), "out_of_province", Decimal(200), True),
    ("b1", date(2026, 7, 1), "out_of_province", Decimal(800), True),
]
