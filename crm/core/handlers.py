"""One way to handle an HTML post, the same in every domain.

A view does what only it knows, in Indico's order: load the record through the tenant
scope (``load_or_404``: another county's id is a 404), check the role (``roles_required``,
``require_write``: 403; ``writable(Model, id)`` loads and checks a record to change in one
call), build the form. Then it hands the rest to one of these:

``form_post`` — a page with a form (new, or edit with ``edit_form(FundsForm, record)``)::

    form = FundsForm()
    return form_post(
        form,
        save=lambda: services.create_funds(project, form.values(), created_by=current_user),
        page=form_page("funds/form.html", form=form, project=project),
        done=go_to(url_for("funds.project_funds", project_id=project.id)),
        saved=_("到位资金已登记"),
    )

``form_page`` renders the form's template (with ``conflict`` after a conflict); a page
that reads the database as it renders passes its own ``page(conflict=None)``. ``go_to``
is the ``done`` of a form whose next page does not depend on what was saved.

``sheet_post`` — an uploaded sheet (field ``sheet``) read and imported in one go::

    return sheet_post(
        lambda name, data: importer.import_sheet(county_id, year, importer.read_rows(name, data)),
        limit=2_000_000,
        refused=lambda problems: (page(problems), 422),
        done=lambda count: redirect(url_for(...)),
        saved=lambda count: _("已导入 %(n)s 条", n=count),
    )

``action_post`` — a button that posts no form of its own (delete, approve, finalize)::

    return action_post(lambda: services.delete_funds(record), back=url_for(...), saved=_("已删除"))

Both call the service, commit once, flash and redirect; a refusal rolls back and shows
where it belongs: a ``ConflictError`` re-renders the form with the values now stored (409;
so does a save that lost a race to another request's, ``crm.core.db.commit_save``),
a ``ServiceError`` puts its messages beside the fields (422, or the error's status), a
form that does not validate answers 422 with the user's input kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from crm.core.access import writable
from crm.core.db import commit_save, db
from crm.core.errors import ConflictError, ServiceError, StaleVersionError, is_unique_violation
from crm.core.forms import apply_service_errors
from crm.core.parsing import int_or_none

__all__ = [
    "action_post",
    "act_on_record",
    "at_version",
    "conflict_message",
    "edit_form",
    "form_page",
    "form_post",
    "go_to",
    "posted_version",
    "sheet_post",
]

Result = TypeVar("Result")
Page = Callable[..., Any]  # page(**extra) -> a rendered page (str or Response)


def at_version(form, record):
    """``form`` carrying the version ``record`` is read at, set on GET (saving at a stale
    version is refused with 409); a POST keeps the version that was posted."""
    if request.method == "GET":
        form.version.data = str(record.version)
    return form


def posted_version() -> int | None:
    """The version a button posts with its record (field ``version``; None if absent)."""
    return int_or_none(request.form.get("version"))


def edit_form(form_class: Callable[..., Any], record) -> Any:
    """The form that changes ``record``: on GET filled from it ``at_version``; on POST read
    from the request. ``record`` None: the empty form of a new one."""
    form = form_class(obj=record if request.method == "GET" else None)
    return form if record is None else at_version(form, record)


def form_page(template: str, **context) -> Page:
    """The ``page`` of ``form_post``: ``template`` rendered with ``context`` and, after a
    conflict, ``conflict`` (the values now stored; a template that shows none ignores it)."""
    return lambda conflict=None: render_template(template, conflict=conflict, **context)


def go_to(url: str) -> Callable[..., Response]:
    """The ``done`` of ``form_post`` that goes to ``url`` whatever was saved."""
    return lambda _result=None: redirect(url)


def conflict_message() -> str:
    return _("该记录已被他人修改，当前值已显示，请确认后重新保存。")


def form_post(
    form,
    *,
    save: Callable[[], Result],
    page: Page,
    done: Callable[[Result], Response],
    saved: str | None = None,
    conflict: str | None = None,
) -> Response | tuple:
    """Show ``form``'s page, or save it: validate → ``save()`` → commit → flash ``saved`` →
    ``done(result)``. ``page(conflict=current_values)`` renders the page after a conflict."""
    if not form.validate_on_submit():
        return page(), 422 if request.method == "POST" else 200
    try:
        result = commit_save(save)
    except ConflictError as exc:
        db.session.rollback()
        for field_name, messages in exc.errors.items():  # e.g. the same money reported twice
            field = getattr(form, field_name, None)
            if field is not None:
                field.errors = list(field.errors) + list(messages)
        # The form now carries the version the user has just been shown: saving again
        # after reading the current values overwrites them, as the conflict box says.
        if isinstance(exc, StaleVersionError) and getattr(form, "version", None) is not None:
            form.version.data = str(exc.current["version"])
        flash(conflict or exc.message or conflict_message(), "warning")
        return page(conflict=exc.current), 409
    except ServiceError as exc:
        db.session.rollback()
        apply_service_errors(form, exc)
        return page(), exc.status
    except (StaleDataError, IntegrityError) as exc:
        # Saved by someone else between the service's check and this write (the same
        # moment), by a save that checks no version or a unique key: the page again with
        # what the user typed, not the bare 409 page.
        db.session.rollback()
        if isinstance(exc, IntegrityError) and not is_unique_violation(exc):
            raise
        flash(
            _(
                "该记录刚被他人同时保存，您的保存未生效。您填写的内容仍在下方，请刷新页面查看当前内容后再保存。"
            ),
            "warning",
        )
        return page(), 409
    if saved:
        flash(saved, "success")
    return done(result)


def action_post(
    act: Callable[[], Any], *, back: str, saved: str | None = None, done: str | None = None
) -> Response:
    """Run ``act()`` for a button: commit and go to ``done`` (or ``back``) with ``saved``
    flashed, or roll back and go ``back`` with the refusal flashed."""
    try:
        commit_save(act)
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "warning" if isinstance(exc, ConflictError) else "danger")
        return redirect(back)
    if saved:
        flash(saved, "success")
    return redirect(done or back)


def sheet_post(
    run: Callable[[str, bytes], Result],
    *,
    limit: int,
    refused: Callable[[list], Any],
    done: Callable[[Result], Response],
    saved: Callable[[Result], str],
) -> Any:
    """Import the posted ``sheet``: ``run(file name, its first limit bytes)`` → commit →
    flash ``saved(result)`` → ``done(result)``; a refusal (or no file) rolls back, flashes
    and answers ``refused(the sheet's problems)``."""
    upload = request.files.get("sheet")
    try:
        if upload is None or not upload.filename:
            raise ServiceError(_("请选择要导入的文件"), {"sheet": [_("请选择要导入的文件")]})
        result = run(upload.filename, upload.read(limit))
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return refused(exc.errors.get("sheet", []))
    db.session.commit()
    flash(saved(result), "success")
    return done(result)


def act_on_record(
    model,
    record_id: int,
    act: Callable[[Any], Any],
    *,
    back: Callable[[Any], str],
    saved: str | None = None,
    done: str | None = None,
) -> Response:
    """A button on the ``model`` record ``record_id`` (404 if the user cannot read it, 403 if
    they may not change it): ``act(record)`` under ``action_post``, returning to ``back(record)``."""
    record = writable(model, record_id)
    return action_post(lambda: act(record), back=back(record), saved=saved, done=done)
