"""Forms of the chain editor. Choices that depend on the chain are set by the views."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from chains.vocabulary import IMPORTANCE_LABELS, PRESENCE_LABELS, ROLE_LABELS, STAGE_LABELS
from crm.core.forms import Form
from crm.core.parsing import int_or_none

__all__ = [
    "ChainCreateForm",
    "ChainForm",
    "ConfirmForm",
    "FirmEditForm",
    "FirmForm",
    "ImportForm",
    "LinkForm",
    "SegmentForm",
]


def _choices(labels: dict[str, str]) -> list[tuple[str, object]]:
    return [(code, _l(label)) for code, label in labels.items()]


class ChainCreateForm(Form):
    template = SelectField(_l("模板"), validators=[Optional()])
    name = StringField(
        _l("产业链名称"), validators=[Optional(), Length(max=100)], description=_l("留空则使用模板名称")
    )
    leader_official = StringField(_l("链长"), validators=[Optional(), Length(max=100)])
    description = TextAreaField(_l("简介"), validators=[Optional()])


class ChainForm(Form):
    name = StringField(
        _l("产业链名称"), validators=[DataRequired(message=_l("请填写产业链名称")), Length(max=100)]
    )
    leader_official = StringField(_l("链长"), validators=[Optional(), Length(max=100)])
    description = TextAreaField(_l("简介"), validators=[Optional()])
    version = HiddenField()


class SegmentForm(Form):
    name = StringField(
        _l("环节名称"), validators=[DataRequired(message=_l("请填写环节名称")), Length(max=100)]
    )
    stage = SelectField(_l("阶段"), choices=_choices(STAGE_LABELS))
    importance = SelectField(_l("重要度"), choices=_choices(IMPORTANCE_LABELS), default="general")
    parent_id = SelectField(_l("上级环节"), coerce=int_or_none, validate_choice=False)
    sort_order = IntegerField(_l("排序"), validators=[Optional()])
    version = HiddenField()


class LinkForm(Form):
    supplier_id = SelectField(_l("供应环节"), coerce=int_or_none, validate_choice=False)
    consumer_id = SelectField(_l("需求环节"), coerce=int_or_none, validate_choice=False)


class FirmForm(Form):
    company_name = StringField(
        _l("企业名称"),
        validators=[DataRequired(message=_l("请选择或填写企业名称")), Length(max=200)],
        description=_l("从已有企业中选择，或填写新企业的全称"),
    )
    uscc = StringField(_l("统一社会信用代码"), validators=[Optional(), Length(max=30)])
    role = SelectField(_l("角色"), choices=_choices(ROLE_LABELS), default="supporting")
    presence = SelectField(_l("企业分布"), choices=_choices(PRESENCE_LABELS), default="target")
    note = TextAreaField(_l("备注"), validators=[Optional()])


class FirmEditForm(Form):
    role = SelectField(_l("角色"), choices=_choices(ROLE_LABELS))
    presence = SelectField(_l("企业分布"), choices=_choices(PRESENCE_LABELS))
    note = TextAreaField(_l("备注"), validators=[Optional()])
    version = HiddenField()


class ImportForm(Form):
    file = FileField(_l("产业链 JSON 文件"))
    name = StringField(
        _l("产业链名称"), validators=[Optional(), Length(max=100)], description=_l("留空则使用文件中的名称")
    )
    leader_official = StringField(_l("链长"), validators=[Optional(), Length(max=100)])


class ConfirmForm(Form):
    """A bare POST (delete, 新建招商线索) carrying only the CSRF token."""
