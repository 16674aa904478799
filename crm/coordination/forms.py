"""Forms of the transfer offer, the 异地建设 agreement, the answer and the collision ruling."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from crm.coordination.models import COLLISION_RULINGS, TRANSFER_REASONS
from crm.core.forms import Form

__all__ = ["AgreementForm", "AnswerForm", "OfferForm", "RulingForm"]


class OfferForm(Form):
    to_county_id = SelectField(_l("接收县"), coerce=int, validators=[InputRequired()])
    reason = SelectField(
        _l("流转原因"),
        choices=[(k, _l(v)) for k, v in TRANSFER_REASONS.items()],
        validators=[InputRequired()],
    )
    from_share_percent = StringField(
        _l("本县分成比例（%）"),
        validators=[InputRequired(message=_l("请填写本县的分成比例"))],
        description=_l("到位资金、产值、税收按此比例归本县，其余归接收县"),
    )
    years = IntegerField(_l("分成年限（年）"), validators=[InputRequired(), NumberRange(1, 30)], default=5)
    note = TextAreaField(_l("说明"), validators=[Optional(), Length(max=2000)])

    VALUE_FIELDS = ("to_county_id", "reason", "from_share_percent", "years", "note")


class AgreementForm(Form):
    host_county_id = SelectField(_l("建设所在县"), coerce=int, validators=[InputRequired()])
    park = StringField(_l("园区"), validators=[Optional(), Length(max=200)])
    origin_funds_percent = StringField(_l("本县到位资金分成（%）"), validators=[InputRequired()])
    origin_output_percent = StringField(_l("本县产值分成（%）"), validators=[InputRequired()])
    origin_tax_percent = StringField(_l("本县税收分成（%）"), validators=[InputRequired()])
    years = IntegerField(_l("分成年限（年）"), validators=[InputRequired(), NumberRange(1, 30)], default=5)

    VALUE_FIELDS = (
        "host_county_id",
        "park",
        "origin_funds_percent",
        "origin_output_percent",
        "origin_tax_percent",
        "years",
    )


class AnswerForm(Form):
    note = TextAreaField(_l("意见"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()


class RulingForm(Form):
    ruling = SelectField(
        _l("裁定结果"),
        choices=[(k, _l(v)) for k, v in COLLISION_RULINGS.items()],
        validators=[InputRequired()],
    )
    lead_county_id = SelectField(_l("主导县"), coerce=int, validators=[Optional()])
    from_share_percent = StringField(_l("流转时移出县分成（%）"), default="50", validators=[Optional()])
    years = IntegerField(_l("分成年限（年）"), default=5, validators=[Optional(), NumberRange(1, 30)])
    note = TextAreaField(_l("裁定意见"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()
