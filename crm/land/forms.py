"""Forms of the land module."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FileField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from crm.core.fields import MoneyField, UserDateField, _TextParsedField
from crm.core.forms import Form
from crm.land.models import CARRIER_KINDS, LAND_USES, PARCEL_STATUSES, PARK_KINDS

__all__ = [
    "CarrierForm",
    "EfficiencyForm",
    "FigureField",
    "ImportForm",
    "ParcelForm",
    "ParkForm",
    "RulesForm",
    "SiteForm",
]


class FigureField(_TextParsedField):
    """A plain decimal figure (亩, ㎡, 容积率, 吨标煤…): ``1,234.5`` as well as ``1234.5``."""

    def parse(self, text: str) -> Decimal:
        try:
            value = Decimal(text.replace(",", "").replace("，", "").strip())
        except InvalidOperation:
            raise ValueError(_l("请填写数字")) from None
        if not value.is_finite():
            raise ValueError(_l("请填写数字"))
        return value

    def render_value(self, value) -> str:
        return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def _choices(mapping):
    return [(code, _l(label)) for code, label in mapping.items()]


class ParkForm(Form):
    name = StringField(_l("园区名称"), validators=[InputRequired(), Length(max=100)])
    kind = SelectField(_l("园区类型"), choices=_choices(PARK_KINDS))
    area_mu = FigureField(_l("规划面积（亩）"), validators=[Optional()])
    host_county = StringField(_l("飞地所在县（区）"), validators=[Optional(), Length(max=100)])
    share_percent = FigureField(
        _l("本县分享比例（%）"),
        validators=[Optional()],
        description=_l("飞地园区的统计数据和税收按此比例计入本县"),
    )
    sharing_note = TextAreaField(_l("分享协议说明"), validators=[Optional()])
    version = HiddenField()

    VALUE_FIELDS = ("name", "kind", "area_mu", "host_county", "share_percent", "sharing_note")


class ParcelForm(Form):
    code = StringField(_l("地块编号"), validators=[InputRequired(), Length(max=50)])
    area_mu = FigureField(_l("面积（亩）"), validators=[InputRequired()])
    land_use = SelectField(_l("用地性质"), choices=_choices(LAND_USES))
    status = SelectField(_l("供地状态"), choices=_choices(PARCEL_STATUSES))
    standard = BooleanField(
        _l("标准地"), description=_l("出让前设定投资强度、亩均产值、亩均税收、容积率、单位能耗")
    )
    investment_intensity_wan = MoneyField(_l("投资强度（万元/亩）"), validators=[Optional()])
    output_per_mu_wan = MoneyField(_l("亩均产值（万元/亩）"), validators=[Optional()])
    tax_per_mu_wan = MoneyField(_l("亩均税收（万元/亩）"), validators=[Optional()])
    plot_ratio = FigureField(_l("容积率（不低于）"), validators=[Optional()])
    energy_per_output = FigureField(_l("单位能耗（吨标煤/万元，不高于）"), validators=[Optional()])
    approved_on = UserDateField(_l("批准用地日期"), validators=[Optional()])
    supplied_on = UserDateField(_l("供地日期"), validators=[Optional()])
    agreed_start_on = UserDateField(_l("约定动工日期"), validators=[Optional()])
    grid_row = IntegerField(_l("规划图行"), validators=[Optional(), NumberRange(0, 50)], default=0)
    grid_col = IntegerField(_l("规划图列"), validators=[Optional(), NumberRange(0, 50)], default=0)
    note = TextAreaField(_l("备注"), validators=[Optional()])
    version = HiddenField()

    VALUE_FIELDS = (
        "code",
        "area_mu",
        "land_use",
        "status",
        "standard",
        "investment_intensity_wan",
        "output_per_mu_wan",
        "tax_per_mu_wan",
        "plot_ratio",
        "energy_per_output",
        "approved_on",
        "supplied_on",
        "agreed_start_on",
        "grid_row",
        "grid_col",
        "note",
    )


class CarrierForm(Form):
    name = StringField(_l("载体名称"), validators=[InputRequired(), Length(max=100)])
    kind = SelectField(_l("载体类型"), choices=_choices(CARRIER_KINDS))
    floor_area_m2 = FigureField(_l("建筑面积（㎡）"), validators=[InputRequired()])
    vacant_area_m2 = FigureField(_l("空置面积（㎡）"), validators=[InputRequired()])
    industries = StringField(
        _l("适宜产业"),
        validators=[Optional(), Length(max=300)],
        description=_l("多个产业用顿号分隔，如：新能源、装备制造"),
    )
    version = HiddenField()

    VALUE_FIELDS = ("name", "kind", "floor_area_m2", "vacant_area_m2", "industries")


class SiteForm(Form):
    target = SelectField(_l("落地地块或载体"), choices=[], validators=[InputRequired()])
    agreed_start_on = UserDateField(_l("约定开工日期"), validators=[Optional()])
    agreed_production_on = UserDateField(_l("约定投产日期"), validators=[Optional()])
    note = TextAreaField(_l("备注"), validators=[Optional()])


class EfficiencyForm(Form):
    park_id = SelectField(_l("园区"), choices=[], coerce=int, validators=[InputRequired()])
    year = IntegerField(_l("年度"), validators=[InputRequired(), NumberRange(2000, 2100)])
    firm_name = StringField(_l("企业名称"), validators=[InputRequired(), Length(max=200)])
    uscc = StringField(_l("统一社会信用代码"), validators=[Optional(), Length(max=18)])
    land_mu = FigureField(_l("用地面积（亩）"), validators=[InputRequired()])
    value_added_wan = MoneyField(_l("增加值（万元）"), validators=[InputRequired()])
    tax_wan = MoneyField(_l("税收（万元）"), validators=[InputRequired()])
    energy_tce = FigureField(_l("综合能耗（吨标煤）"), validators=[InputRequired()])
    employees = IntegerField(_l("从业人数"), validators=[InputRequired(), NumberRange(0)])
    version = HiddenField()

    VALUE_FIELDS = (
        "year",
        "firm_name",
        "uscc",
        "land_mu",
        "value_added_wan",
        "tax_wan",
        "energy_tce",
        "employees",
    )

    def values(self, parks: dict) -> dict:
        """The firm-year's figures, with the chosen park of ``parks`` (by id) as ``park``."""
        return {**super().values(), "park": parks.get(self.park_id.data)}


class ImportForm(Form):
    """A year and its sheet (the file is read and checked by ``crm.land.importer``)."""

    year = IntegerField(_l("年度"), validators=[InputRequired(), NumberRange(2000, 2100)])
    sheet = FileField(_l("文件"), description=_l(".xlsx 或 .csv，表头固定"))


class RulesForm(Form):
    benchmark_tax_per_mu = MoneyField(_l("亩均税收基准（万元/亩）"), validators=[InputRequired()])
    benchmark_va_per_mu = MoneyField(_l("亩均增加值基准（万元/亩）"), validators=[InputRequired()])
    benchmark_labour = MoneyField(_l("全员劳动生产率基准（万元/人）"), validators=[InputRequired()])
    benchmark_energy = FigureField(_l("单位能耗增加值基准（万元/吨标煤）"), validators=[InputRequired()])
    weight_tax = IntegerField(_l("亩均税收权重（%）"), validators=[InputRequired(), NumberRange(0, 100)])
    weight_va = IntegerField(_l("亩均增加值权重（%）"), validators=[InputRequired(), NumberRange(0, 100)])
    weight_labour = IntegerField(
        _l("全员劳动生产率权重（%）"), validators=[InputRequired(), NumberRange(0, 100)]
    )
    weight_energy = IntegerField(
        _l("单位能耗增加值权重（%）"), validators=[InputRequired(), NumberRange(0, 100)]
    )
    threshold_a = FigureField(_l("A 类门槛（综合得分不低于）"), validators=[InputRequired()])
    threshold_b = FigureField(_l("B 类门槛"), validators=[InputRequired()])
    threshold_c = FigureField(_l("C 类门槛（低于为 D 类）"), validators=[InputRequired()])
    score_cap = FigureField(_l("单项得分上限"), validators=[InputRequired()])
    min_land_mu = FigureField(
        _l("参评最小用地（亩）"),
        validators=[InputRequired()],
        description=_l("用地少于此面积的企业只列出，不参与分类和排名"),
    )
    version = HiddenField()

    VALUE_FIELDS = (
        "benchmark_tax_per_mu",
        "benchmark_va_per_mu",
        "benchmark_labour",
        "benchmark_energy",
        "weight_tax",
        "weight_va",
        "weight_labour",
        "weight_energy",
        "threshold_a",
        "threshold_b",
        "threshold_c",
        "score_cap",
        "min_land_mu",
    )
