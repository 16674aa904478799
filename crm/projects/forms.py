from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from crm.companies.industries import DIVISIONS, SECTIONS
from crm.companies.models import Company
from crm.core.db import db
from crm.core.fields import MoneyField, UserDateField, _TextParsedField
from crm.core.forms import Form
from crm.projects.models import ALL_STAGES, FUND_ORIGINS, PROJECT_KINDS, SOURCE_CHANNELS, STAGE_LABELS
from crm.projects.sections import county_industries


class AreaField(_TextParsedField):
    """Land in 亩 (Decimal); ``12.5`` or ``12.5亩``."""

    def parse(self, text: str) -> Decimal:
        cleaned = text.strip().replace(",", "").replace("，", "").removesuffix("亩").strip()
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise ValueError(_l("请填写以亩为单位的数字，如 120 或 85.5")) from None
        if not value.is_finite():
            raise ValueError(_l("请填写以亩为单位的数字，如 120 或 85.5"))
        return value


def _optional_int(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # an id that exists nowhere: the service reports it on the field


def confirmation_for_managers_only(form, user) -> None:
    """Only a manager confirms a local company registered outside the city: for anyone
    else the field shows the stored confirmation and is sent back unchanged."""
    if not user.has_role("manager"):
        form.local_company_confirmation.render_kw = {"readonly": True}


def company_choices() -> list[tuple[str, str]]:
    """Every company, in pinyin order (a picker upgrades the select to a type-ahead)."""
    statement = select(Company.id, Company.name).order_by(Company.name_pinyin, Company.name, Company.id)
    rows = db.session.execute(statement).all()
    return [("", "—")] + [(str(cid), name) for cid, name in rows]


def company_picker(*fields) -> None:
    """Mark company selects for the type-ahead (static/js/picker.js); without JavaScript
    they stay plain selects."""
    picker = {
        "data-lookup": url_for("companies.lookup"),
        "data-lookup-placeholder": _("输入企业名称、统一社会信用代码或拼音首字母"),
        "data-lookup-none": _("没有匹配的企业"),
    }
    for field in fields:
        field.render_kw = {**(field.render_kw or {}), **picker}


def _optional_text(value):
    return value or None


def industry_choices(county_id: int | None, current: str | None = None) -> dict:
    """所属产业 offered as groups for a select: the county's chains, then GB/T 4754-2017's
    sections (门类) and divisions (大类); the stored value is kept first when it is none of
    them (a text from before the list, an import or the API), so an edit never loses it.
    The value saved is the name; the label shows the code."""
    chain_names = county_industries(county_id) if county_id is not None else []
    sections = [(name, f"{letter} {name}") for letter, name in SECTIONS.items()]
    divisions = [(name, f"{code} {name}") for code, name in sorted(DIVISIONS.items())]
    known = set(chain_names) | {v for v, _label in sections} | {v for v, _label in divisions}
    groups: dict = {None: [("", "—")]}
    if current and current not in known:
        groups[_("当前填写的产业（不在列表中）")] = [(current, current)]
    if chain_names:
        groups[_("本县产业链")] = [(name, name) for name in chain_names]
    groups[_("国民经济行业分类 门类（GB/T 4754-2017）")] = sections
    groups[_("国民经济行业分类 大类（GB/T 4754-2017）")] = divisions
    return groups


class StageEvidenceForm(Form):
    """The project's fields a stage asks for as evidence (signing, registration, start,
    production, loss), declared once for the project form and the stage form."""

    signed_on = UserDateField(_l("签约日期"))
    contract_no = StringField(_l("合同编号"), validators=[Optional(), Length(max=100)])
    planned_investment_wan = MoneyField(_l("计划投资（万元）"))
    local_company_id = SelectField(_l("本地注册企业"), coerce=_optional_int, validate_choice=False)
    registered_on = UserDateField(_l("注册日期"))
    construction_started_on = UserDateField(_l("开工日期"))
    production_started_on = UserDateField(_l("投产日期"))
    local_company_confirmation = StringField(
        _l("异地登记确认（局长填写）"), validators=[Optional(), Length(max=500)]
    )
    lost_reason = TextAreaField(_l("终止原因"), validators=[Optional()])
    version = HiddenField()


class ProjectForm(StageEvidenceForm):
    name = StringField(
        _l("项目名称"), validators=[DataRequired(message=_l("请填写项目名称")), Length(max=200)]
    )
    code_name = StringField(_l("项目代号（保密项目）"), validators=[Optional(), Length(max=100)])
    investor_company_id = SelectField(_l("投资方企业"), coerce=_optional_int, validate_choice=False)
    kind = SelectField(_l("项目类型"), choices=[(k, _l(v)) for k, v in PROJECT_KINDS.items()])
    source_channel = SelectField(_l("招商方式"), choices=[(k, _l(v)) for k, v in SOURCE_CHANNELS.items()])
    owner_id = SelectField(_l("负责人"), coerce=_optional_int, validate_choice=False)
    responsible_unit = StringField(_l("责任单位"), validators=[Optional(), Length(max=100)])
    leader_in_charge = StringField(_l("包抓领导"), validators=[Optional(), Length(max=100)])
    industry = SelectField(
        _l("所属产业"),
        coerce=_optional_text,
        description=_l("从本县产业链或国民经济行业分类（GB/T 4754-2017）中选择"),
    )
    fixed_asset_investment_wan = MoneyField(_l("固定资产投资（万元）"))
    foreign_investment_wan = MoneyField(_l("利用外资（万元）"))
    expected_annual_output_wan = MoneyField(_l("预计年产值（万元）"))
    expected_annual_tax_wan = MoneyField(_l("预计年税收（万元）"))
    expected_jobs = IntegerField(
        _l("预计就业（人）"), validators=[Optional(), NumberRange(min=0, max=1_000_000)]
    )
    land_mu = AreaField(_l("用地（亩）"))
    capital_origin = SelectField(
        _l("资金来源"), choices=[("", "—")] + [(k, _l(v)) for k, v in FUND_ORIGINS.items()]
    )
    first_contact_on = UserDateField(_l("首次接洽日期"))
    next_follow_up_on = UserDateField(_l("下次跟进日期"))
    description = TextAreaField(_l("项目简介"), validators=[Optional()])

    def fill_choices(self, owners, county_id: int | None = None, industry: str | None = None) -> None:
        """``industry`` is the stored 所属产业, kept as a choice even when not in the list."""
        self.industry.choices = industry_choices(county_id, industry)
        companies = company_choices()
        self.investor_company_id.choices = companies
        self.local_company_id.choices = companies
        company_picker(self.investor_company_id, self.local_company_id)
        self.owner_id.choices = [("", "—")] + [(str(u.id), u.display_name) for u in owners]

    def service_data(self) -> dict:
        return {f.name: f.data for f in self if f.name not in ("csrf_token", "version")}


class StageForm(StageEvidenceForm):
    """The no-JavaScript way to move a project, with the evidence the target stage needs."""

    to_stage = SelectField(_l("移到阶段"), choices=[(s, _l(STAGE_LABELS[s])) for s in ALL_STAGES])
    note = TextAreaField(_l("说明（退回阶段时必填）"), validators=[Optional()])

    def evidence(self) -> dict:
        return {f.name: f.data for f in self if f.name not in ("csrf_token", "version", "to_stage", "note")}
