"""Forms of the review: a county's annual targets (set by its coordinator), its class."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

from crm.core.fields import MoneyField
from crm.core.forms import Form
from crm.review.indicators import COUNTY_CLASSES

__all__ = ["ClassForm", "TargetForm"]

TARGET_FIELDS = (
    "funds_out_of_province_wan",
    "funds_in_province_wan",
    "funds_in_city_wan",
    "funds_foreign_wan",
    "big_projects",
    "signings",
    "starts",
)


class TargetForm(Form):
    funds_out_of_province_wan = MoneyField(_l("落地金额目标·省外（万元）"), validators=[Optional()])
    funds_in_province_wan = MoneyField(_l("落地金额目标·市外省内（万元）"), validators=[Optional()])
    funds_in_city_wan = MoneyField(_l("落地金额目标·市内县外（万元）"), validators=[Optional()])
    funds_foreign_wan = MoneyField(_l("落地金额目标·境外（万元）"), validators=[Optional()])
    big_projects = IntegerField(_l("亿元以上项目（个）"), validators=[Optional(), NumberRange(min=0)])
    signings = IntegerField(_l("签约项目（个）"), validators=[Optional(), NumberRange(min=0)])
    starts = IntegerField(_l("开工项目（个）"), validators=[Optional(), NumberRange(min=0)])
    version = HiddenField()

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in TARGET_FIELDS}


class ClassForm(Form):
    year = IntegerField(_l("年度"), validators=[InputRequired(), NumberRange(2000, 2100)])
    county_class = SelectField(
        _l("县域类型"), choices=[(code, _l(label)) for code, label in COUNTY_CLASSES.items()]
    )
