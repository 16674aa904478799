"""Typed reading of an API request's JSON body: one message per bad field, all answered
together as 422 (``Input.check``), never a 500.

A handler reads every field it takes (``text``, ``money``, ``day`` ...), then calls
``check()``; ``crm.api.handlers`` does both around a reader function.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from crm.core.errors import ServiceError
from crm.util.dates import parse_user_date
from crm.util.money import parse_wan

__all__ = ["Input"]


class Input:
    """Reads typed values from a JSON object, collecting one message per bad field."""

    def __init__(self, data: dict):
        self.data, self.errors = data, {}

    def has(self, key: str) -> bool:
        return key in self.data

    def _fail(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def text(self, key: str, default=None):
        value = self.data.get(key, default)
        if value is None or isinstance(value, str):
            return value
        self._fail(key, _("应为文本"))
        return None

    def choice(self, key: str, default=None):
        return self.text(key, default)

    def money(self, key: str):
        value = self.data.get(key)
        if value is None or value == "":
            return None
        try:
            return parse_wan(value)
        except (ValueError, TypeError) as exc:
            self._fail(key, str(exc) or _("金额无效"))
            return None

    def number(self, key: str):
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self._fail(key, _("应为数字"))
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self._fail(key, _("应为数字"))
            return None
        if not number.is_finite():
            self._fail(key, _("应为有限的数字"))
            return None
        return number

    def day(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self._fail(key, _("日期应写成 2025-03-05"))
            return None
        try:
            return parse_user_date(value)
        except ValueError as exc:
            self._fail(key, str(exc))
            return None

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if isinstance(value, bool):
            return value
        self._fail(key, _("应为 true 或 false"))
        return False

    def version(self) -> int | None:
        """The version every change carries (the OpenAPI body requires it: a body without
        one is refused before the view; this names it for any caller past the contract)."""
        value = self.data.get("version")
        if value is None:
            self._fail("version", _("请提供记录的 version（防止覆盖他人的修改）"))
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self._fail("version", _("version 应为整数"))
            return None
        return value

    def refuse_other_keys(self, allowed, message: str) -> None:
        """Refuse, each by name with ``message``, the body's keys outside ``allowed`` and
        ``version``: a PATCH says what it may not change rather than ignoring it."""
        for key in sorted(set(self.data) - set(allowed) - {"version"}):
            self._fail(key, message)

    def check(self) -> None:
        """422 naming every field refused so far (``errors`` per field), if any was."""
        if self.errors:
            raise ServiceError(_("请求中的字段有误"), self.errors)
