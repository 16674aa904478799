from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired

from crm.core.forms import Form
from crm.regions.models import LEVEL_LABELS


class RegionForm(Form):
    code = StringField(_l("行政区划代码"), validators=[DataRequired()])
    name = StringField(_l("名称"), validators=[DataRequired()])
    level = SelectField(_l("级别"), choices=[(k, _l(v)) for k, v in LEVEL_LABELS.items()])
    parent_code = StringField(_l("上级区划代码"))


class RenameForm(Form):
    """A region's new name, at the version the page showed."""

    name = StringField(_l("名称"), validators=[DataRequired()])
    version = HiddenField()
