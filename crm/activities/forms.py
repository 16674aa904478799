from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from crm.activities.models import ACTIVITY_KINDS
from crm.activities.services import EDITABLE_FIELDS
from crm.core.fields import UserDateField
from crm.core.forms import Form


def kind_choices(blank: str | None = None):
    choices = [(code, _l(label)) for code, label in ACTIVITY_KINDS.items()]
    return ([("", blank)] if blank is not None else []) + choices


class ActivityForm(Form):
    kind = SelectField(_l("跟进方式"), choices=kind_choices(), validators=[InputRequired()])
    occurred_on = UserDateField(_l("跟进日期"), validators=[InputRequired(message=_l("请填写跟进日期"))])
    subject = StringField(_l("主题"), validators=[InputRequired(message=_l("请填写主题")), Length(max=200)])
    participants = TextAreaField(_l("参与人员"), validators=[Optional()])
    summary = TextAreaField(_l("内容摘要"), validators=[Optional()])
    next_step = TextAreaField(_l("下一步工作"), validators=[Optional()])
    next_follow_up_on = UserDateField(_l("下次跟进日期"), validators=[Optional()])
    version = HiddenField()

    VALUE_FIELDS = EDITABLE_FIELDS
