"""What a domain's tests check of the API as a whole: the shared OpenAPI document
(/api/v1/openapi.json), and another county's records answered as not there."""

from __future__ import annotations

__all__ = ["assert_documented", "assert_not_found"]


def assert_documented(client, operations: dict[str, set[str]], schemas: set[str] = frozenset()) -> None:
    """The document declares every path with at least the given methods (an empty set: the path
    alone), and every named schema."""
    doc = client.get("/api/v1/openapi.json").get_json()
    for path, methods in operations.items():
        assert path in doc["paths"], path
        assert set(methods) <= set(doc["paths"][path]), (path, methods)
    assert set(schemas) <= set(doc["components"]["schemas"]), schemas


def assert_not_found(api, as_user: str, url: str, methods: tuple[str, ...], body: dict | None = None) -> None:
    """Every one of ``methods`` on ``url`` answers 404 to ``as_user``: a record of another
    county is not there for them, whatever they try. ``body`` is sent as JSON with every call
    but a GET."""
    for method in methods:
        sent = {} if method == "get" else {"json": body}
        assert getattr(api, method)(url, as_user=as_user, **sent).status_code == 404, (method, url)
