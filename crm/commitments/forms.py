from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional

from crm.commitments.collective import DecisionInput
from crm.commitments.models import (
    CLEANUP_RESOLUTIONS,
    CONSEQUENCES,
    FAIR_REVIEW_STATES,
    OBLIGATION_KINDS,
    POLICY_KINDS,
    REVIEW_CONCLUSIONS,
    REVIEW_KINDS,
)
from crm.commitments.policies import POLICY_FIELDS
from crm.core.fields import MoneyField, UserDateField
from crm.core.forms import Form


def _choices(labels: dict) -> list[tuple[str, str]]:
    return [(code, _l(label)) for code, label in labels.items()]


class PolicyForm(Form):
    region_id = SelectField(_l("发布区划"))
    name = StringField(_l("政策名称"), validators=[Length(max=200)])
    kind = SelectField(_l("政策类型"), choices=_choices(POLICY_KINDS))
    legal_basis = StringField(_l("政策依据（文号）"), validators=[Length(max=200)])
    max_amount_wan = MoneyField(_l("最高金额（万元）"))
    max_ratio_pct = DecimalField(
        _l("最高比例（占投资额 %）"), places=2, validators=[Optional(), NumberRange(min=0, max=100)]
    )
    valid_from = UserDateField(_l("生效日期"))
    valid_to = UserDateField(_l("失效日期（空为长期）"))
    fair_review = SelectField(_l("公平竞争审查"), choices=_choices(FAIR_REVIEW_STATES))
    description = TextAreaField(_l("说明"))
    version = HiddenField()

    VALUE_FIELDS = POLICY_FIELDS


class CommitmentForm(Form):
    policy_id = SelectField(_l("依据政策"), coerce=str)
    clause = TextAreaField(_l("承诺条款"))
    amount_wan = MoneyField(_l("承诺金额（万元）"))
    conditions = TextAreaField(_l("兑现条件"))
    committed_on = UserDateField(_l("承诺日期（空为今天）"))
    due_on = UserDateField(_l("兑现期限"))
    risk_legal_basis = TextAreaField(_l("法律依据（条款涉及风险事项时必填）"))
    version = HiddenField()

    # The policy is chosen by id: the view hands the service the record (``policy``).
    VALUE_FIELDS = ("clause", "amount_wan", "due_on", "committed_on", "conditions", "risk_legal_basis")


class ReviewForm(Form):
    kind = SelectField(_l("审查类型"), choices=_choices(REVIEW_KINDS))
    reviewer = StringField(_l("审查机构及审查人"), validators=[Length(max=100)])
    reviewed_on = UserDateField(_l("审查日期"))
    document_no = StringField(_l("审查意见书文号"), validators=[Length(max=100)])
    conclusion = SelectField(_l("审查结论"), choices=_choices(REVIEW_CONCLUSIONS))
    attachment_ref = StringField(_l("附件（档案号或存放位置）"), validators=[Length(max=200)])
    note = StringField(_l("备注"))
    version = HiddenField()

    VALUE_FIELDS = ("kind", "reviewer", "reviewed_on", "document_no", "conclusion", "attachment_ref", "note")


class CollectiveDecisionForm(Form):
    """A form that may rest on a collective decision (集体决策): its meeting, day and minute
    number. Each form declares ``decision_meeting`` itself, its label saying when the
    decision is required."""

    decision_held_on = UserDateField(_l("会议日期"))
    decision_minute_no = StringField(_l("会议纪要号"), validators=[Length(max=100)])

    def decision(self) -> DecisionInput:
        """The decision as the form gives it, for the service to check."""
        return DecisionInput(
            self.decision_meeting.data, self.decision_held_on.data, self.decision_minute_no.data
        )

    def values(self) -> dict:
        """The fields in ``VALUE_FIELDS`` and the ``decision`` they rest on."""
        return {**super().values(), "decision": self.decision()}


class ApproveForm(CollectiveDecisionForm):
    """Above the policy's cap, the collective decision the approval rests on."""

    decision_meeting = StringField(_l("集体决策会议（超出政策上限时必填）"), validators=[Length(max=200)])
    version = HiddenField()


class RefuseForm(Form):
    reason = TextAreaField(_l("驳回理由"))
    version = HiddenField()


class StatusForm(Form):
    action = HiddenField()
    note = TextAreaField(_l("说明"))
    version = HiddenField()


class FulfillmentForm(CollectiveDecisionForm):
    fulfilled_on = UserDateField(_l("兑现日期"))
    amount_wan = MoneyField(_l("兑现金额（万元）"))
    evidence = StringField(_l("兑现凭证（拨付凭证号/文件号）"), validators=[Length(max=200)])
    note = StringField(_l("备注"))
    conditions_evidence = TextAreaField(_l("兑现条件核实依据（承诺附有兑现条件时必填）"))
    # Only when a linked obligation or a condition is unmet: the collective decision to pay.
    decision_meeting = StringField(_l("集体决策会议（条件未满足仍兑现时必填）"), validators=[Length(max=200)])
    version = HiddenField()

    VALUE_FIELDS = ("fulfilled_on", "amount_wan", "evidence", "note", "conditions_evidence")


class CleanupForm(CollectiveDecisionForm):
    """A manager's decision on a commitment on the 存量清理 list."""

    resolution = SelectField(_l("处理结果"), choices=_choices(CLEANUP_RESOLUTIONS))
    note = TextAreaField(_l("处理说明"))
    decision_meeting = StringField(_l("集体决策会议（继续履行时必填）"), validators=[Length(max=200)])
    version = HiddenField()

    VALUE_FIELDS = ("resolution", "note")


class WithdrawPolicyForm(Form):
    withdrawn_on = UserDateField(_l("废止日期"))
    document = StringField(_l("废止文件文号"), validators=[Length(max=100)])
    reason = TextAreaField(_l("废止原因"))
    version = HiddenField()

    VALUE_FIELDS = ("withdrawn_on", "document", "reason")


class LinkObligationsForm(Form):
    obligation_ids = SelectMultipleField(_l("兑现所依赖的企业履约事项"), coerce=int, validate_choice=False)
    version = HiddenField()


class ObligationForm(Form):
    kind = SelectField(_l("履约事项"), choices=_choices(OBLIGATION_KINDS))
    target_value = DecimalField(
        _l("目标值（万元、万元/亩或人；时限类不填）"), places=2, validators=[Optional()]
    )
    due_on = UserDateField(_l("履约期限"))
    consequence = SelectField(_l("未履约处理"), choices=_choices(CONSEQUENCES))
    note = TextAreaField(_l("备注"))
    version = HiddenField()

    VALUE_FIELDS = ("kind", "target_value", "due_on", "consequence", "note")


class OutcomeForm(Form):
    actual_value = DecimalField(_l("实际值"), places=2, validators=[Optional()])
    actual_on = UserDateField(_l("实际日期（开工/投产）"))
    missed = BooleanField(_l("期限已过仍未履约"))
    note = StringField(_l("核验说明"))
    version = HiddenField()

    VALUE_FIELDS = ("actual_value", "actual_on", "missed", "note")


class LiftForm(Form):
    note = TextAreaField(_l("解除暂缓的说明"))
    version = HiddenField()

    VALUE_FIELDS = ("note",)
