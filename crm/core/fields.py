"""Form fields for how bureau staff write money and dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.widgets import TextInput

from crm.util.dates import parse_month, parse_user_date
from crm.util.money import format_wan, parse_wan

__all__ = ["DateTextInput", "MoneyField", "MonthField", "UserDateField"]


class DateTextInput(TextInput):
    """A text input for a date the user may type in any accepted way, marked
    ``data-datepicker`` so that static/js/app.js adds a button opening the browser's own
    date (or month) picker, which fills the text in ISO form. Without JavaScript it is a
    plain text input: the forgiving parser stays the only reader of what was sent."""

    def __init__(self, kind: str = "date", placeholder: str = "YYYY-MM-DD"):
        super().__init__()
        self.kind = kind
        self.placeholder = placeholder

    def __call__(self, field, **kwargs):
        kwargs.setdefault("placeholder", self.placeholder)
        kwargs.setdefault("autocomplete", "off")
        kwargs.setdefault("data-datepicker", self.kind)
        return super().__call__(field, **kwargs)


DATE_HINT = _l("如 2026-03-05 或 2026年3月5日，也可点日历按钮选择")
MONTH_HINT = _l("如 2026-03 或 2026年3月，也可点日历按钮选择")


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


class _PickedDateField(_TextParsedField):
    """A date text with the browser's picker beside it (``widget``) and, unless the form says
    otherwise, a hint of the accepted forms as its description (``hint``)."""

    hint = DATE_HINT

    def __init__(self, label=None, validators=None, description=None, **kwargs):
        super().__init__(label, validators, description=description or self.hint, **kwargs)


class UserDateField(_PickedDateField):
    """A date as users write it: 2025-03-05, 2025/3/5, 2025.3.5, 2025年3月5日, 20250305.
    Rendered with the browser's date picker beside it and a format hint (its description)."""

    widget = DateTextInput("date", "YYYY-MM-DD")
    hint = DATE_HINT

    def parse(self, text: str) -> date:
        return parse_user_date(text)

    def render_value(self, value) -> str:
        return value.isoformat()


class MonthField(_PickedDateField):
    """A month (stored as its first day): 2025-03, 2025年3月, 2025/3; with the browser's
    month picker beside it and a format hint."""

    widget = DateTextInput("month", "YYYY-MM")
    hint = MONTH_HINT

    def parse(self, text: str) -> date:
        return parse_month(text)

    def render_value(self, value) -> str:
        return value.strftime("%Y-%m")
