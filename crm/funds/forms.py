from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from crm.core.fields import MoneyField, MonthField
from crm.core.forms import Form
from crm.funds.models import EXCLUSIONS, FUND_ORIGINS


def origin_choices(blank=None):
    choices = [(code, _l(label)) for code, label in FUND_ORIGINS.items()]
    return ([("", blank)] if blank is not None else []) + choices


class FundsForm(Form):
    month = MonthField(_l("月份"), validators=[InputRequired(message=_l("请填写月份，如 2026-03"))])
    origin = SelectField(_l("资金来源"), choices=origin_choices(), validators=[InputRequired()])
    exclusion = SelectField(
        _l("资金类别"),
        choices=[(code, _l(label)) for code, label in EXCLUSIONS.items()],
        default="none",
        description=_l("银行贷款、政府资金和本地资金不计入招商引资到位资金"),
    )
    # One of the two amounts is asked for, as the origin says: the service names the missing one.
    amount_wan = MoneyField(_l("到位金额（万元）"), validators=[Optional()])
    amount_usd_wan = MoneyField(
        _l("到位金额（万美元）"),
        validators=[Optional()],
        description=_l("仅境外资金填写，按当月汇率折算为万元"),
    )
    evidence_ref = StringField(
        _l("凭证编号"),
        validators=[Optional(), Length(max=200)],
        description=_l("银行进账单、验资报告或统计报表编号"),
    )
    note = TextAreaField(_l("备注"), validators=[Optional()])
    version = HiddenField()

    VALUE_FIELDS = ("month", "origin", "exclusion", "amount_wan", "amount_usd_wan", "evidence_ref", "note")


class TargetForm(Form):
    year = IntegerField(_l("年度"), validators=[InputRequired(), NumberRange(2000, 2100)])
    funds_target_wan = MoneyField(
        _l("到位资金目标（万元）"), validators=[InputRequired(message=_l("请填写金额（万元）"))]
    )
    signed_projects_target = IntegerField(
        _l("签约项目目标（个）"), validators=[Optional(), NumberRange(min=0)]
    )
    version = HiddenField()

    VALUE_FIELDS = ("year", "funds_target_wan", "signed_projects_target")


class RateForm(Form):
    month = MonthField(_l("月份"), validators=[InputRequired(message=_l("请填写月份，如 2026-03"))])
    # Text, checked by the rate's own rules (range, four decimals) in crm.funds.rates.
    cny_per_usd = StringField(
        _l("汇率（人民币元/美元）"),
        validators=[InputRequired(message=_l("请填写汇率（人民币元/美元），如 7.1268"))],
    )
    source = StringField(
        _l("来源"), validators=[Optional(), Length(max=200)], description=_l("如：国家外汇管理局当月折算率")
    )
    version = HiddenField()

    VALUE_FIELDS = ("month", "cny_per_usd", "source")
