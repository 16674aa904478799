from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from crm.auth.models import ROLE_LABELS
from crm.core.forms import Form


class LoginForm(Form):
    username = StringField(_l("用户名"), validators=[DataRequired(message=_l("请输入用户名"))])
    password = PasswordField(_l("密码"), validators=[DataRequired(message=_l("请输入密码"))])


def role_choices(allowed: tuple[str, ...]):
    return [(code, _l(ROLE_LABELS[code])) for code in allowed]


class UserForm(Form):
    username = StringField(_l("用户名"), validators=[DataRequired(), Length(max=64)])
    display_name = StringField(_l("姓名"), validators=[Length(max=100)])
    role = SelectField(_l("角色"), validators=[DataRequired()])
    region = SelectField(_l("所属区划"), validators=[DataRequired()])
    password = PasswordField(_l("初始密码"))
    is_active = BooleanField(_l("启用"), default=True)
    version = HiddenField()


class PasswordForm(Form):
    """A new password set by an administrator or manager (the rules are the service's)."""

    password = PasswordField(
        _l("新密码"), validators=[DataRequired(), Length(min=8, message=_l("密码至少 8 位"))]
    )
    confirm = PasswordField(
        _l("确认新密码"), validators=[EqualTo("password", message=_l("两次输入的密码不一致"))]
    )


class OwnPasswordForm(Form):
    """One's own password: the current one proves it is really the owner at the keyboard."""

    current_password = PasswordField(_l("当前密码"), validators=[DataRequired(message=_l("请输入当前密码"))])
    password = PasswordField(
        _l("新密码"), validators=[DataRequired(), Length(min=8, message=_l("密码至少 8 位"))]
    )
    confirm = PasswordField(
        _l("确认新密码"), validators=[EqualTo("password", message=_l("两次输入的密码不一致"))]
    )
