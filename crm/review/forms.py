"""Forms of the review: a county's annual targets (set by its coordinator), its class, and a
year's weights per county class with each county's class."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

from crm.core.fields import MoneyField
from crm.core.forms import Form
from crm.review.indicators import COUNTY_CLASSES, INDICATORS

__all__ = ["ClassForm", "TargetForm", "class_field_name", "weight_field_name", "weights_form"]

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

    VALUE_FIELDS = TARGET_FIELDS


class ClassForm(Form):
    year = IntegerField(_l("年度"), validators=[InputRequired(), NumberRange(2000, 2100)])
    county_class = SelectField(
        _l("县域类型"), choices=[(code, _l(label)) for code, label in COUNTY_CLASSES.items()]
    )


def weight_field_name(county_class: str, indicator: str) -> str:
    return f"w_{county_class}_{indicator}"


def class_field_name(county_id: int) -> str:
    return f"class_{county_id}"


def weights_form(counties: dict[int, str], **kwargs) -> Form:
    """A year's weights: one whole percent per county class and indicator, and a class per
    county of ``counties`` (id → name). Each class's weights must sum to 100."""

    class WeightsForm(Form):
        def validate(self, extra_validators=None) -> bool:
            valid = super().validate(extra_validators)
            for county_class in COUNTY_CLASSES:
                fields = [getattr(self, weight_field_name(county_class, code)) for code in INDICATORS]
                if any(f.errors for f in fields):
                    continue
                total = sum(f.data for f in fields)
                if total != 100:
                    fields[0].errors = [_l("该类型各项权重合计为 %(total)s，须为 100", total=total)]
                    valid = False
            return valid

        def weights(self, county_class: str) -> dict[str, int]:
            return {code: getattr(self, weight_field_name(county_class, code)).data for code in INDICATORS}

        def county_class(self, county_id: int) -> str:
            return getattr(self, class_field_name(county_id)).data

    for county_class in COUNTY_CLASSES:
        for code, label in INDICATORS.items():
            field = IntegerField(_l(label), validators=[InputRequired(), NumberRange(min=0, max=100)])
            setattr(WeightsForm, weight_field_name(county_class, code), field)
    choices = [(code, _l(label)) for code, label in COUNTY_CLASSES.items()]
    for county_id, name in counties.items():
        setattr(WeightsForm, class_field_name(county_id), SelectField(name, choices=choices))
    return WeightsForm(**kwargs)
