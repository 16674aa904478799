"""Errors that services raise and how a request turns them into pages or problem+json."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from crm.core.i18n import N_
from crm.core.session import TenantScopeError

__all__ = [
    "ConflictError",
    "init_app",
    "is_unique_violation",
    "problem",
    "refuse_stale",
    "ServiceError",
    "StaleVersionError",
    "status_title",
]


class ServiceError(Exception):
    """A rule of the domain refused the change. ``errors`` maps field names to messages."""

    status = 422

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}

    def describe(self) -> str:
        """One line with the message and every field message, for the CLI."""
        details = "; ".join(m for messages in self.errors.values() for m in messages)
        return f"{self.message}: {details}" if details else self.message


class ConflictError(ServiceError):
    """Someone else saved the record first; ``current`` holds the values now stored."""

    status = 409

    def __init__(self, message: str, current: dict | None = None):
        super().__init__(message)
        self.current = current or {}


class StaleVersionError(ConflictError):
    """The record changed since the user read it: ``current`` is that record, its
    ``version`` included (another conflict, such as the same money reported twice, may name
    another record)."""


def refuse_stale(
    record, version, message: str, current: dict | None = None, *, required: bool = False
) -> None:
    """Refuse a change of ``record`` made at a stale ``version`` (409, ``StaleVersionError``).

    ``current`` is what is stored now, by field name; it always carries the record's
    current ``version``, so that the page can show the values and save again over them
    once the user has read them, and an API client can retry. ``version`` None is no check
    (system work: the CLI, the demo, an import) unless ``required``: a change that must
    have read the record (an API upsert of a record that exists) is then stale too.
    """
    if version is None and not required:
        return
    if version is None or int(version) != record.version:
        raise StaleVersionError(message, {**(current or {}), "version": record.version})


def is_unique_violation(exc: Exception) -> bool:
    """Whether ``exc`` is a unique key refused by the database (PostgreSQL's 23505, SQLite's
    "UNIQUE constraint failed"); any other integrity error is a fault of the code."""
    if not isinstance(exc, IntegrityError):
        return False
    original = getattr(exc, "orig", None)
    return getattr(original, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(original)


def status_title(status: int) -> str:
    """A problem's ``title``: the status's own reason phrase (400 "Bad Request", 409 "Conflict",
    422 "Unprocessable Entity"), so title and status never disagree."""
    return HTTP_STATUS_CODES.get(status, "Error")


def problem(status: int, title: str, detail: str = "", errors=None, **extra):
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def _wants_problem() -> bool:
    return request.path.startswith("/api/")


def _refusal_page(message: str | None = None):
    """The HTML page of a permission refusal (403): it says that it is one, names the
    user's role and what was refused, and links back."""
    from crm.auth.models import ROLE_LABELS

    role = None
    if getattr(current_user, "is_authenticated", False):
        role = ROLE_LABELS.get(current_user.role.value, current_user.role.value)
    back = request.referrer if request.referrer and request.referrer != request.url else None
    page = render_template(
        "errors/403.html",
        message=message,
        role=role,
        refused_method=request.method,
        refused_path=request.path,
        back=back,
    )
    return page, 403


# What a page says of a refused request that is neither a permission (403) nor a missing
# page (404): the user's words, not the framework's English.
EXPIRED_FORM = (
    N_("页面已过期"),
    N_(
        "页面的安全令牌已失效（页面打开太久，或已重新登录），本次提交未保存。请返回上一页，刷新后重新填写提交。"
    ),
)
# Over HTTPS a form post must name a same-site page it came from (Flask-WTF's strict check).
NO_REFERRER = (
    N_("来源页缺失"),
    N_(
        "浏览器没有发送同站的来源页（Referer），出于安全原因本次提交未保存。请检查浏览器或代理的隐私设置，然后返回上一页重新提交。"
    ),
)
HTTP_PAGE_WORDS = {
    400: (N_("请求无效"), N_("请求的内容不完整或格式有误，未作任何修改。请返回上一页重试。")),
    405: (N_("不支持的操作方式"), N_("该地址不接受这种请求，未作任何修改。请使用页面上的按钮或链接。")),
}
OTHER_REFUSAL = (N_("请求未完成"), N_("服务器未能完成该请求，未作任何修改。请返回上一页重试。"))


def _http_error_page(exc: HTTPException):
    """The page of any other refused request, with the answer's own headers (Allow on 405)."""
    if isinstance(exc, CSRFError):
        title, message = NO_REFERRER if "referrer" in (exc.description or "").lower() else EXPIRED_FORM
    else:
        title, message = HTTP_PAGE_WORDS.get(exc.code, OTHER_REFUSAL)
    page = render_template("errors/http.html", code=exc.code, title=_(title), message=_(message))
    headers = [(name, value) for name, value in exc.get_headers() if name.lower() != "content-type"]
    return page, exc.code, headers


# A problem's detail in the API's language where werkzeug's default would be English.
API_DETAILS = {
    400: N_("请求的内容不完整或格式有误，未作任何修改。"),
    403: N_("无权限：您的角色不能执行此操作。"),
    404: N_("没有这个地址或记录，或它不属于您可查看的范围。"),
    405: N_("该地址不接受这种请求方法。"),
}


def _own_description(exc: HTTPException) -> str | None:
    """The description an ``abort(403, description=...)`` gave, not werkzeug's default."""
    default = type(exc).description
    return exc.description if exc.description and exc.description != default else None


def init_app(app) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if _wants_problem():
            detail = _own_description(exc)
            if detail is None:
                detail = _(API_DETAILS[exc.code]) if exc.code in API_DETAILS else exc.description or ""
            response = problem(exc.code or 500, exc.name, detail)
            # The exception's own headers: Allow on 405, WWW-Authenticate on 401, ...
            for name, value in exc.get_headers():
                if name.lower() != "content-type":
                    response.headers[name] = value
            return response
        if exc.code == 403:
            return _refusal_page(_own_description(exc))
        if exc.code in (404, 500):
            return render_template(f"errors/{exc.code}.html", error=exc), exc.code
        if exc.code is None or exc.code < 400:
            return exc  # a redirect raised as an exception
        return _http_error_page(exc)

    @app.errorhandler(IntegrityError)
    @app.errorhandler(StaleDataError)
    def saved_meanwhile(exc):
        # Written by someone else between a service's own check and this write (the same
        # moment): a unique key taken, or the version moved on. Each service refuses the
        # same by name when the two come in turn.
        from crm.core.db import db

        db.session.rollback()
        if isinstance(exc, IntegrityError) and not is_unique_violation(exc):
            raise exc  # a foreign key or check refused: a fault of the code, a 500
        if isinstance(exc, IntegrityError):
            message = _("相同的记录刚被他人同时保存，您的保存未生效。请刷新后查看当前内容。")
        else:
            message = _("该记录已被他人修改，您的保存未生效。请刷新后查看当前内容再修改。")
        if _wants_problem():
            return problem(409, "Conflict", message)
        return render_template("errors/409.html", message=message), 409

    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError):
        from crm.core.db import db

        db.session.rollback()
        if _wants_problem():
            extra = {"current": exc.current} if isinstance(exc, ConflictError) else {}
            return problem(exc.status, status_title(exc.status), exc.message, exc.errors or None, **extra)
        if exc.status == 403:  # a role refused by a service rule: a permission refusal, not a failed save
            return _refusal_page(exc.message)
        return render_template("errors/409.html", message=exc.message), exc.status

    @app.errorhandler(TenantScopeError)
    def out_of_scope(exc):
        from crm.core.db import db

        db.session.rollback()
        app.logger.warning("tenant scope refused: %s", exc)
        if _wants_problem():
            return problem(404, "Not Found", "")
        return render_template("errors/404.html"), 404

    @app.errorhandler(500)
    def server_error(exc):
        # A failed flush leaves the session unusable, and the page's own queries (the search
        # box, the menu) would fail again: waitress's bare English page instead of ours.
        from crm.core.db import db

        db.session.rollback()
        if _wants_problem():
            return problem(500, "Internal Server Error", "")
        return render_template("errors/500.html"), 500
