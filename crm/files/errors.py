"""A request larger than ``MAX_CONTENT_LENGTH`` (Werkzeug's 413) answered in words: a page,
or problem+json for the API."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from crm.core.access import request_is_api
from crm.core.errors import problem

__all__ = ["init_app"]


def _message(app) -> str:
    limit = (
        min(app.config.get("MAX_CONTENT_LENGTH") or 0, app.config["FILE_MAX_BYTES"])
        or app.config["FILE_MAX_BYTES"]
    )
    return _("上传的文件过大：单个文件不超过 %(mb)s MB，请压缩或拆分后再上传。", mb=round(limit / 1048576, 1))


def init_app(app) -> None:
    @app.errorhandler(413)
    def too_large(exc):
        message = _message(app)
        if request_is_api():
            return problem(413, "Content Too Large", message)
        back = request.referrer if request.referrer and request.referrer != request.url else None
        return render_template("errors/413.html", message=message, back=back), 413
