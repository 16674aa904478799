"""Figures and tables for bench/province.py: per-endpoint statistics, text and Markdown."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

MEDIAN_TARGET_MS = 50
P95_TARGET_MS = 150


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class EndpointStats:
    name: str
    path: str
    n: int
    errors: int
    median: float
    p95: float
    rps: float
    sql_min: int | None
    sql_max: int | None
    peak_mb: float
    failures: list[str]

    @classmethod
    def of(cls, name, path, samples, wall, peak_mb, failures) -> EndpointStats:
        ms = [s.ms for s in samples]
        sql = [s.sql for s in samples if s.sql is not None]
        return cls(
            name,
            path,
            len(samples),
            sum(1 for s in samples if not 200 <= s.status < 300),
            statistics.median(ms) if ms else math.nan,
            percentile(ms, 95),
            len(samples) / wall if wall else 0.0,
            min(sql) if sql else None,
            max(sql) if sql else None,
            peak_mb,
            failures,
        )

    @property
    def sql(self) -> str:
        if self.sql_min is None:
            return "–"
        return str(self.sql_min) if self.sql_min == self.sql_max else f"{self.sql_min}–{self.sql_max}"

    @property
    def missed(self) -> list[str]:
        out = []
        if self.median > MEDIAN_TARGET_MS:
            out.append(f"med>{MEDIAN_TARGET_MS}")
        if self.p95 > P95_TARGET_MS:
            out.append(f"p95>{P95_TARGET_MS}")
        return out


class Table:
    """Rows printed as aligned text and written as a Markdown table."""

    def __init__(self, title: str, headers: list[str], right: set[int] | None = None):
        self.title, self.headers, self.rows = title, headers, []
        self.right = right if right is not None else set(range(1, len(headers)))

    def add(self, *cells) -> None:
        self.rows.append([_cell(c) for c in cells])

    def text(self) -> str:
        widths = [max(_width(r[i]) for r in [self.headers, *self.rows]) for i in range(len(self.headers))]

        def line(row):
            return "  ".join(_pad(c, widths[i], i in self.right) for i, c in enumerate(row)).rstrip()

        rule = "  ".join("-" * w for w in widths)
        return "\n".join([self.title, line(self.headers), rule, *(line(r) for r in self.rows)])

    def markdown(self) -> str:
        head = "| " + " | ".join(self.headers) + " |"
        align = "|" + "|".join("---:" if i in self.right else ":---" for i in range(len(self.headers))) + "|"
        body = ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in self.rows]
        return "\n".join([f"### {self.title}", "", head, align, *body])


def _cell(value) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        return f"{value:.1f}" if value < 1000 else f"{value:.0f}"
    return str(value)


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def endpoint_table(title: str, stats: list[EndpointStats]) -> Table:
    table = Table(
        title,
        ["endpoint", "n", "err", "median ms", "p95 ms", "req/s", "SQL/req", "peak MB", "target"],
        right=set(range(1, 8)),
    )
    for s in stats:
        table.add(s.name, s.n, s.errors, s.median, s.p95, s.rps, s.sql, s.peak_mb, " ".join(s.missed) or "ok")
    return table


def comparison_table(title: str, scales: list[int], by_scale: dict[int, list[EndpointStats]]) -> Table:
    """Per endpoint: median / p95 / SQL at every scale; flags SQL growth and missed targets."""
    headers = ["endpoint"]
    for scale in scales:
        headers += [f"med {scale}×", f"p95 {scale}×", f"SQL {scale}×"]
    headers.append("notes")
    table = Table(title, headers, right=set(range(1, len(headers) - 1)))
    names = [s.name for s in by_scale[scales[0]]]
    for name in names:
        cells, notes, sqls = [name], [], set()
        for scale in scales:
            s = next((x for x in by_scale.get(scale, []) if x.name == name), None)
            if s is None:
                cells += ["–", "–", "–"]
                continue
            cells += [_cell(s.median), _cell(s.p95), s.sql]
            sqls.add((s.sql_min, s.sql_max))
            notes += [f"{m} at {scale}×" for m in s.missed]
            if s.errors:
                notes.append(f"{s.errors} errors at {scale}×")
        if len(sqls) > 1:
            notes.insert(0, "SQL COUNT GROWS" if _grows(sqls) else "SQL differs")
        table.add(*cells, "; ".join(notes) or "ok")
    return table


def _grows(sqls: set) -> bool:
    return len({hi for _lo, hi in sqls if hi is not None}) > 1


def format_ms_list(values: list[float]) -> str:
    if not values:
        return "–"
    return f"median {statistics.median(values):.1f} ms, p95 {percentile(values, 95):.1f} ms"
