from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from crm.core.fields import MoneyField, MonthField
from crm.core.forms import Form
from crm.funds.models import FUND_ORIGINS


def origin_choices(blank=None):
    choices = [(code, _l(label)) for code, label in FUND_ORIGINS.items()]
    return ([("", blank)] if blank is not None else []) + choices


class FundsForm(Form):
    month = MonthField(_l("月份"), validators=[InputRequired(message=_l("请填写月份，如 2026-03"))])
    origin = SelectField(_l("资金来源"), choices=origin_choices(), validators=[InputRequired()])
    amount_wan = MoneyField(
        _l("到位金额（万元）"), validators=[InputRequired(message=_l("请填写金额（万元）"))]
    )
    evidence_ref = StringField(
        _l("凭证编号"),
        validators=[Optional(), Length(max=200)],
        description=_l("银行进账单、验资报告或统计报表编号"),
    )
    note = TextAreaField(_l("备注"), validators=[Optional()])
    version = HiddenField()

    def values(self) -> dict:
        return {
            name: getattr(self, name).data
            for name in ("month", "origin", "amount_wan", "evidence_ref", "note")
        }


class TargetForm(Form):
    year = IntegerField(_l("年度"), validators=[InputRequired(), NumberRange(2000, 2100)])
    funds_target_wan = MoneyField(
        _l("到位资金目标（万元）"), validators=[InputRequired(message=_l("请填写金额（万元）"))]
    )
    signed_projects_target = IntegerField(
        _l("签约项目目标（个）"), validators=[Optional(), NumberRange(min=0)]
    )
    version = HiddenField()
