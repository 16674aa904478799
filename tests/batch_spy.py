"""Watching what a cache computes: which batches of ids reach the function behind it."""

from __future__ import annotations


def record_batches(monkeypatch, module, name: str) -> list[list[int]]:
    """Wrap ``module.name`` (a function whose first argument is the ids to compute) so
    that every call records its ids, sorted; returns the list of calls (cache misses)."""
    batches: list[list[int]] = []
    compute = getattr(module, name)

    def spy(ids, *args):
        batches.append(sorted(ids))
        return compute(ids, *args)

    monkeypatch.setattr(module, name, spy)
    return batches
