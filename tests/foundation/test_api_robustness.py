"""Bad input to any API endpoint answers 4xx problem+json, never 500.

Every POST/PATCH/PUT in the OpenAPI document gets malformed bodies and, field by field,
values of the wrong type or absurd size, on real demo records.
"""

import re

import pytest
from demo_support import collection_of

JUNK_VALUES = [None, "abc", -1, 10**30, "9" * 400, [], {}, "2025-13-45", True, 1.5e308]
JUNK_BODIES = [None, [], "x", 5]


@pytest.fixture
def demo_ids(demo_app, api):
    """One id per API collection, from county A's lists."""
    doc = demo_app.test_client().get("/api/v1/openapi.json").get_json()
    ids = {}
    for template in doc["paths"]:
        collection = collection_of(template)
        if collection and collection not in ids:
            listing = api.get(f"/api/v1{collection}?per_page=1", as_user="qishan_manager")
            items = listing.get_json().get("items", []) if listing.status_code == 200 else []
            ids[collection] = items[0]["id"] if items and "id" in items[0] else 1
    return doc, ids


def _request_fields(doc, operation) -> list[str]:
    schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = doc["components"]["schemas"].get(schema["$ref"].rsplit("/", 1)[-1], {})
    return sorted(schema.get("properties", {}))


def test_no_bad_input_makes_a_500(demo_app, api, demo_ids):
    doc, ids = demo_ids
    demo_app.config["PROPAGATE_EXCEPTIONS"] = False  # collect every 500 instead of stopping at one
    failures, tried = [], 0
    for template, operations in doc["paths"].items():
        collection = collection_of(template)
        path = "/api/v1" + re.sub(r"\{[^}]+\}", str(ids.get(collection, 1)), template)
        for method in ("post", "patch"):
            if method not in operations:
                continue
            send = getattr(api, method)
            version = 1
            if method == "patch":  # the current version, so that field checks are reached
                current = api.get(path, as_user="qishan_manager")
                version = (current.get_json() or {}).get("version", 1) if current.status_code == 200 else 1
            cases = [("body", body) for body in JUNK_BODIES]
            cases += [
                (field, {field: value, "version": version})
                for field in _request_fields(doc, operations[method])
                for value in JUNK_VALUES
            ]
            for label, body in cases:
                tried += 1
                response = send(path, as_user="qishan_manager", json=body)
                if response.status_code >= 500 or (
                    response.status_code >= 400 and response.mimetype != "application/problem+json"
                ):
                    failures.append((method.upper(), path, label, repr(body)[:60], response.status_code))
    assert tried > 100
    assert failures == [], "\n".join(map(str, failures))
