"""What an API request can be refused for before any domain rule looks at it (400)."""

from __future__ import annotations

from crm.core.errors import ServiceError

__all__ = ["BadQuery", "BadRequestBody"]


class BadRequestBody(ServiceError):
    """The body is not a JSON object."""

    status = 400

    def __init__(self):
        super().__init__("请求体必须是 JSON 对象（Content-Type: application/json）")


class BadQuery(ServiceError):
    """A query parameter outside what the OpenAPI document promises (``crm.api.contract``)."""

    status = 400
