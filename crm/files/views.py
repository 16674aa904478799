"""Evidence file pages: a record's attachments (list and upload), download, detach, and the
manager's purge of detached files."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, require_write, roles_required
from crm.core.db import db
from crm.core.handlers import action_post, form_post, go_to
from crm.core.redirects import next_or
from crm.core.tenancy import current_scope
from crm.files import queries, services
from crm.files.access import may_read_files
from crm.files.forms import UploadForm, kind_choices
from crm.files.models import ATTACHMENT_KINDS, Attachment
from crm.files.registry import OwnerKind, owner_kind, owner_kinds
from crm.files.sniff import FILE_TYPES
from crm.files.storage import store

__all__ = ["bp", "load_owner", "readable_attachment", "render_panel", "send_attachment"]

bp = Blueprint("files", __name__, url_prefix="/files")


def load_owner(key: str, owner_id: int) -> tuple[OwnerKind, object]:
    """The record that takes files, through the tenant scope (404), readable by the user (403)."""
    kind = owner_kind(key)
    if kind is None:
        abort(404)
    record = kind.load(owner_id)
    if record is None:
        abort(404)
    if not may_read_files(kind, record):
        abort(403, description=_("保密项目的附件只有负责人和局长可以查看"))
    return kind, record


def _may_write(kind: OwnerKind, record) -> bool:
    scope = current_scope()
    return (
        current_user.has_role(*WRITE_ROLES)
        and scope is not None
        and scope.can_write(record.county_id)
        and kind.may_write(record, current_user)
    )


def _upload_form(kind: OwnerKind) -> UploadForm:
    form = UploadForm()
    form.kind.choices = kind_choices(kind.suggested_kinds)
    return form


def _uploaded_bytes(form: UploadForm) -> tuple[bytes, str]:
    """The file sent, read up to one byte past the limit (an oversized file is refused by its
    size, not read whole)."""
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        return b"", ""
    return upload.read(services.max_bytes() + 1), upload.filename


def render_panel(key: str, record, back: str | None = None) -> Markup:
    """A record's attachments panel (list, and the upload form for who may add files), for a
    module's own page; empty for a user who may not read the record's files (no heading, no
    link that would answer 403)."""
    kind = owner_kind(key)
    if not may_read_files(kind, record):
        return Markup("")
    return Markup(
        render_template(
            "files/_panel.html",
            kind=kind,
            record=record,
            attachments=queries.attached_to(key, record.id),
            form=_upload_form(kind) if _may_write(kind, record) else None,
            upload_url=url_for("files.owner_page", owner_kind=key, owner_id=record.id, next=back),
            **_labels(),
        )
    )


def _labels() -> dict:
    return {
        "kind_labels": ATTACHMENT_KINDS,
        "file_types": FILE_TYPES,
        "may_detach": lambda attachment: services.may_detach(attachment, current_user),
    }


@bp.route("/for/<owner_kind>/<int:owner_id>", methods=["GET", "POST"])
@roles_required(*READ_ROLES)
def owner_page(owner_kind: str, owner_id: int):
    """A record's evidence files, and the upload form for who may add them."""
    kind, record = load_owner(owner_kind, owner_id)
    can_write = _may_write(kind, record)
    if request.method == "POST" and not can_write:
        abort(403)
    form = _upload_form(kind)
    page_url = url_for("files.owner_page", owner_kind=owner_kind, owner_id=owner_id)

    def page(**_extra):
        return render_template(
            "files/owner.html",
            kind=kind,
            record=record,
            title=kind.title(record, current_user),
            back=kind.url(record),
            attachments=queries.attached_to(owner_kind, owner_id),
            form=form if can_write else None,
            **_labels(),
        )

    def save():
        data, filename = _uploaded_bytes(form)
        return services.attach(owner_kind, record, data, filename, form.kind.data, current_user)

    return form_post(
        form,
        page=page,
        save=save,
        done=go_to(next_or(page_url)),
        saved=_("附件已上传"),
    )


def readable_attachment(attachment_id: int) -> Attachment:
    """An attachment of the user's scope whose record the user may read (404/403). A file
    detached from its record, or of a deleted record, is for the county's managers only."""
    attachment = load_or_404(Attachment, attachment_id)
    if attachment.purged_at is not None:
        abort(404)
    kind = owner_kind(attachment.owner_kind)
    record = kind.load(attachment.owner_id) if kind else None
    managers_only = record is None or attachment.detached_at is not None
    if managers_only:
        scope = current_scope()
        if not (current_user.has_role("manager") and scope and scope.can_write(attachment.county_id)):
            abort(404)
    elif not may_read_files(kind, record):
        abort(403, description=_("保密项目的附件只有负责人和局长可以查看"))
    return attachment


def send_attachment(attachment: Attachment, user):
    """The file as a download under its original name, never shown inline; audited."""
    blobs = store()
    if not blobs.exists(attachment.sha256):
        abort(404)
    services.record_download(attachment, user)
    db.session.commit()
    file_type = FILE_TYPES.get(attachment.file_type)
    response = send_file(
        blobs.path_for(attachment.sha256),
        mimetype=file_type.content_type if file_type else "application/octet-stream",
        as_attachment=True,
        download_name=attachment.original_name,
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:attachment_id>/download")
@roles_required(*READ_ROLES)
def download(attachment_id: int):
    """The file, always as a download under its original name (never shown inline)."""
    return send_attachment(readable_attachment(attachment_id), current_user)


@bp.route("/<int:attachment_id>/delete", methods=["POST"])
@roles_required(*WRITE_ROLES)
def delete(attachment_id: int):
    """Detach a file from its record (the manager, or its uploader); the bytes stay until purged."""
    attachment = readable_attachment(attachment_id)
    require_write(attachment)
    back = next_or(
        url_for("files.owner_page", owner_kind=attachment.owner_kind, owner_id=attachment.owner_id)
    )
    return action_post(lambda: services.detach(attachment, current_user), back=back, saved=_("附件已删除"))


@bp.route("/purge", methods=["GET", "POST"])
@roles_required("manager")
def purge():
    """The county's detached files and files of deleted records; a manager purges the chosen ones."""
    require_write()
    county_id = current_user.county_id
    candidates = queries.purgeable(county_id)
    if request.method == "POST":
        chosen = {int(i) for i in request.form.getlist("ids") if i.isdigit()}
        selected = [a for a, _gone in candidates if a.id in chosen]
        return action_post(
            lambda: services.purge(selected, current_user),
            back=url_for("files.purge"),
            saved=_("已清除 %(n)s 个附件", n=len(selected)),
        )
    uploaders = _names([a.uploaded_by_id for a, _ in candidates] + [a.detached_by_id for a, _ in candidates])
    return render_template(
        "files/purge.html", candidates=candidates, kinds=owner_kinds(), names=uploaders, **_labels()
    )


def _names(user_ids) -> dict[int, str]:
    from crm.auth.models import User

    ids = {i for i in user_ids if i}
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.display_name, User.username).where(User.id.in_(ids)))
    return {user_id: display or username for user_id, display, username in rows}
