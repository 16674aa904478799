"""Form fields for how bureau staff write money and dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from wtforms import Field
from wtforms.widgets import TextInput

from crm.util.dates import parse_month, parse_user_date
from crm.util.money import format_wan, parse_wan

__all__ = ["MoneyField", "MonthField", "UserDateField"]


class _TextParsedField(Field):
    """A text input whose value is parsed; the user's text is kept when it does not parse."""

    widget = TextInput()

    def parse(self, text: str):  # pragma: no cover - overridden
        raise NotImplementedError

    def render_value(self, value) -> str:
        return str(value)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else self.render_value(self.data)

    def process_formdata(self, valuelist):
        if not valuelist or not (valuelist[0] or "").strip():
            self.data = None
            return
        try:
            self.data = self.parse(valuelist[0])
        except ValueError as exc:
            self.data = None
            raise ValueError(str(exc)) from exc


class MoneyField(_TextParsedField):
    """An amount in 万元 (Decimal). Accepts ``1,234.5``, ``1234.5万``, ``1.2亿``."""

    def __init__(self, label=None, validators=None, allow_negative: bool = False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.allow_negative = allow_negative

    def parse(self, text: str) -> Decimal:
        return parse_wan(text, allow_negative=self.allow_negative)

    def render_value(self, value) -> str:
        return format_wan(value).replace(",", "")


class UserDateField(_TextParsedField):
    """A date as users write it: 2025-03-05, 2025/3/5, 2025.3.5, 2025年3月5日, 20250305."""

    def parse(self, text: str) -> date:
        return parse_user_date(text)

    def render_value(self, value) -> str:
        return value.isoformat()


class MonthField(_TextParsedField):
    """A month (stored as its first day): 2025-03, 2025年3月, 2025/3."""

    def parse(self, text: str) -> date:
        return parse_month(text)

    def render_value(self, value) -> str:
        return value.strftime("%Y-%m")
