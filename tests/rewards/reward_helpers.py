"""Helpers shared by the rewards tests that are plain functions rather than fixtures."""

from __future__ import annotations

__all__ = ["export_args"]


def export_args(rule, out, *extra: str, county: str = "610323", period: str = "2025Q4") -> list[str]:
    """The arguments of ``flask rewards export`` for one rule, period and output file."""
    return [
        "rewards",
        "export",
        "--county",
        county,
        "--rule",
        str(rule),
        "--period",
        period,
        "-o",
        str(out),
        *extra,
    ]
