"""The upload form of the attachments panel."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField

from crm.core.forms import Form
from crm.files.models import ATTACHMENT_KINDS

__all__ = ["UploadForm", "kind_choices"]


def kind_choices(suggested: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The file kinds, those suggested for the record first."""
    order = [k for k in suggested if k in ATTACHMENT_KINDS] + [
        k for k in ATTACHMENT_KINDS if k not in suggested
    ]
    return [(key, _l(ATTACHMENT_KINDS[key])) for key in order]


class UploadForm(Form):
    kind = SelectField(_l("附件类别"), choices=kind_choices())
    file = FileField(_l("文件"))
