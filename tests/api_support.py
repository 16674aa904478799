"""What a domain's tests check of the shared OpenAPI document (/api/v1/openapi.json)."""

from __future__ import annotations

__all__ = ["assert_documented"]


def assert_documented(client, operations: dict[str, set[str]], schemas: set[str] = frozenset()) -> None:
    """The document declares every path with at least the given methods (an empty set: the path
    alone), and every named schema."""
    doc = client.get("/api/v1/openapi.json").get_json()
    for path, methods in operations.items():
        assert path in doc["paths"], path
        assert set(methods) <= set(doc["paths"][path]), (path, methods)
    assert set(schemas) <= set(doc["components"]["schemas"]), schemas
