from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from crm.companies.models import COMPANY_TAGS
from crm.companies.services import SIZE_LABELS
from crm.core.forms import Form


class RequiredMark:
    """Marks a field as required (the asterisk) while the service does the checking."""

    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        return None


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CompanyForm(Form):
    # Every rule (required name, lengths, formats, allowed sizes and tags) is the service's,
    # so that the form, the API and imports report the same messages all at once.
    name = StringField(_l("企业名称"), validators=[RequiredMark()])
    uscc = StringField(_l("统一社会信用代码"))
    industry_code = StringField(_l("行业代码（GB/T 4754-2017）"))
    headquarters = StringField(_l("总部所在地"))
    size = SelectField(
        _l("企业规模"),
        choices=[("", "—")] + [(k, _l(v)) for k, v in SIZE_LABELS.items()],
        validate_choice=False,
    )
    tags = CheckboxListField(_l("标签"), choices=[(t, _l(t)) for t in COMPANY_TAGS], validate_choice=False)
    website = StringField(_l("网址"))
    description = TextAreaField(_l("简介"))
    not_duplicate = BooleanField(_l("不是重复，仍然创建"))
    version = HiddenField()

    VALUE_FIELDS = ("name", "uscc", "industry_code", "headquarters", "size", "tags", "website", "description")


class MergeForm(Form):
    other_id = IntegerField(_l("另一家企业的编号"), validators=[InputRequired(message=_l("请填写企业编号"))])
    keep = RadioField(
        _l("保留哪一条记录"),
        choices=[("this", _l("保留本企业，合并另一家")), ("other", _l("保留另一家，合并本企业"))],
        default="this",
        validators=[DataRequired()],
    )
    confirm = BooleanField(
        _l("我已核对：两条记录是同一家企业，合并后无法撤销"),
        validators=[DataRequired(message=_l("请勾选确认"))],
    )


class ContactForm(Form):
    name = StringField(_l("姓名"), validators=[RequiredMark()])
    title = StringField(_l("职务"))
    phone = StringField(_l("电话"))
    email = StringField(_l("邮箱"))
    wechat = StringField(_l("微信"))
    note = TextAreaField(_l("备注"))
    version = HiddenField()

    VALUE_FIELDS = ("name", "title", "phone", "email", "wechat", "note")
