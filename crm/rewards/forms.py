from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from crm.core.fields import MoneyField, UserDateField
from crm.core.forms import Form
from crm.projects.models import STAGE_LABELS, STAGES
from crm.rewards.models import BASES, MODE_LABELS, REFERRER_KINDS
from crm.rewards.publicity import OBJECTION_FIELDS
from crm.rewards.services import REFERRAL_FIELDS, RULE_FIELDS


class ReferralForm(Form):
    project_id = SelectField(_l("项目"), coerce=int, validators=[DataRequired(message=_l("请选择项目"))])
    referrer_name = StringField(
        _l("引荐人（单位）"), validators=[DataRequired(message=_l("请填写引荐人")), Length(max=200)]
    )
    referrer_kind = SelectField(_l("引荐人类型"), choices=[(k, _l(v)) for k, v in REFERRER_KINDS.items()])
    is_public_official = BooleanField(_l("引荐人为公职人员"))
    is_public_institution_staff = BooleanField(_l("引荐人为事业单位工作人员"))
    is_investor_related = BooleanField(_l("引荐人为投资方本身或其关联方（股东、子公司、员工等）"))
    contact = StringField(_l("联系方式"), validators=[Length(max=200)])
    registered_on = UserDateField(
        _l("备案登记日期"), validators=[InputRequired(message=_l("请填写备案登记日期"))]
    )
    co_referrers = TextAreaField(
        _l("合作引荐人（可空；每行：姓名, 类型, 比例%，可加 公职人员、事业单位、关联方）"),
        render_kw={"rows": 2},
    )
    share_percent = StringField(_l("本引荐人分成比例（%，有合作引荐人时填写）"))
    share_agreement = StringField(_l("分成协议（文号或存档位置）"), validators=[Length(max=500)])
    applied_on = UserDateField(_l("奖励申请日期（可空）"), validators=[Optional()])
    investor_confirmed = BooleanField(_l("投资方已书面确认引荐关系"))
    investor_confirmed_on = UserDateField(_l("投资方确认日期"), validators=[Optional()])
    confirmation_evidence = StringField(_l("确认材料（文号或存档位置）"), validators=[Length(max=500)])
    note = TextAreaField(_l("备注"))
    version = HiddenField()

    VALUE_FIELDS = REFERRAL_FIELDS


class RuleForm(Form):
    name = StringField(
        _l("办法名称"), validators=[DataRequired(message=_l("请填写办法名称")), Length(max=200)]
    )
    year = IntegerField(_l("年度"), validators=[DataRequired(message=_l("请填写年度"))])
    basis = SelectField(_l("计算基数"), choices=[(k, _l(v)) for k, v in BASES.items()])
    milestone = SelectField(
        _l("达到节点（项目阶段）"), choices=[(s, _l(STAGE_LABELS[s])) for s in STAGES], default="signed"
    )
    mode = SelectField(_l("计算方式"), choices=[(k, _l(v)) for k, v in MODE_LABELS.items()])
    tiers = TextAreaField(
        _l("档位（每行：上限万元, 比例‰；最后一档上限可写“不限”）"),
        validators=[DataRequired(message=_l("请填写至少一档"))],
        render_kw={"rows": 4},
    )
    cap_wan = MoneyField(_l("单个项目封顶（万元，可空）"), validators=[Optional()])
    exclude_public_officials = BooleanField(_l("公职人员不予个人奖励"), default=True)
    # Options a county's 办法 may add (crm/rewards/conditions.py); empty: no condition.
    min_planned_investment_wan = MoneyField(_l("最低计划总投资（万元，可空）"), validators=[Optional()])
    min_fixed_asset_percent = StringField(_l("最低固定资产投资占比（%，可空）"))
    min_outside_city_percent = StringField(_l("最低市外资金占比（%，可空；按期末到位资金来源计算）"))
    new_entity_only = BooleanField(_l("仅奖励新设法人项目（新建、合资）"))
    industries = TextAreaField(_l("适用产业（每行一个或用顿号分隔；空：所有产业）"), render_kw={"rows": 2})
    exclude_public_institution_staff = BooleanField(_l("事业单位工作人员不予个人奖励"))
    exclude_investor_related = BooleanField(_l("投资方本身及其关联方不予奖励"))
    application_days = IntegerField(_l("申请期限（达到节点后天数，可空）"), validators=[Optional()])
    note = TextAreaField(_l("依据与说明"))
    version = HiddenField()

    VALUE_FIELDS = RULE_FIELDS


class ListForm(Form):
    rule_id = SelectField(_l("奖励办法"), coerce=int, validators=[DataRequired(message=_l("请选择奖励办法"))])
    period = StringField(
        _l("期间（如 2025、2025Q4、2025-01-01..2025-06-30）"),
        validators=[DataRequired(message=_l("请填写期间"))],
    )
    title = StringField(_l("名单标题（可空）"), validators=[Length(max=200)])


class DisputeForm(Form):
    action = SelectField(
        _l("处理方式"),
        choices=[("keep", _l("保留现有备案，驳回本次登记")), ("replace", _l("改用本次登记，替换现有备案"))],
    )
    note = StringField(_l("处理说明"), validators=[Length(max=500)])


class VersionForm(Form):
    """A POST with only the CSRF token and the record's version (finalize, delete, refresh)."""

    version = HiddenField()


class PublishForm(Form):
    """公示: the first and last day objections are received."""

    notice_start = UserDateField(
        _l("公示开始日期"), validators=[InputRequired(message=_l("请填写公示开始日期"))]
    )
    notice_end = UserDateField(
        _l("公示结束日期"), validators=[InputRequired(message=_l("请填写公示结束日期"))]
    )
    version = HiddenField()


class ObjectionForm(Form):
    line_id = SelectField(
        _l("异议针对的项目"), coerce=int, validators=[DataRequired(message=_l("请选择项目"))]
    )
    objector = StringField(
        _l("异议人（单位）"), validators=[DataRequired(message=_l("请填写异议人")), Length(max=200)]
    )
    objector_contact = StringField(_l("联系方式"), validators=[Length(max=200)])
    received_on = UserDateField(_l("收到日期"), validators=[InputRequired(message=_l("请填写收到日期"))])
    content = TextAreaField(_l("异议内容"), validators=[DataRequired(message=_l("请填写异议内容"))])

    VALUE_FIELDS = OBJECTION_FIELDS


class ObjectionDecisionForm(Form):
    decision = SelectField(
        _l("处理结论"),
        choices=[("upheld", _l("异议成立，取消该项目奖励")), ("dismissed", _l("异议不成立，维持名单"))],
    )
    outcome = TextAreaField(
        _l("核查情况和处理意见"), validators=[DataRequired(message=_l("请填写核查情况和处理意见"))]
    )
    version = HiddenField()
