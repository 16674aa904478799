"""The OpenAPI 3.1 document, assembled from what each module registers."""
from __future__ import annotations

import copy

OPENAPI_BASE = {
    "openapi": "3.1.0",
    "info": {"title": "chaincrm API", "version": "1"},
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerAuth": []}],
    "paths": {},
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Problem": {
                "type": "object",
                "properties": {
                    "type": {"type": "string"}, "title": {"type": "string"},
                    "status": {"type": "integer"}, "detail": {"type": "string"},
                    "errors": {"type": "object",
                               "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                },
                "required": ["type", "title", "status"],
            }
        },
        "responses": {
            "Problem": {
                "description": "An error (400/401/403/404/409/422)",
                "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
            }
        },
    },
}

_REGISTERED: dict[str, tuple[dict, dict]] = {}


def register_paths(owner: str, paths: dict, schemas: dict | None = None) -> None:
    """Add a module's paths and schemas; calling again with the same owner replaces them."""
    _REGISTERED[owner] = (paths, schemas or {})


def document(app=None) -> dict:
    doc = copy.deepcopy(OPENAPI_BASE)
    for paths, schemas in _REGISTERED.values():
        for path, operations in paths.items():
            doc["paths"].setdefault(path, {}).update(copy.deepcopy(operations))
        doc["components"]["schemas"].update(copy.deepcopy(schemas))
    return doc
