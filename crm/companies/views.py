"""The companies pages (企业库) and each county's contacts at those companies."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.companies import queries, services
from crm.companies.forms import CompanyForm, ContactForm, MergeForm
from crm.companies.industries import industry_label, industry_options
from crm.companies.models import COMPANY_TAGS, Company, Contact
from crm.core import clock
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, require_write, roles_required, writable
from crm.core.handlers import action_post, edit_form, form_page, form_post, go_to
from crm.core.pagination import paged
from crm.core.parsing import record_id_or_none

bp = Blueprint("companies", __name__)


def _form_page(form, company=None):
    """The company form's page for ``form_post``: after a refused create it lists the
    companies the new one looked like."""

    def page(conflict=None):
        duplicates = None
        if company is None and form.errors and request.method == "POST":
            confirmed = bool(getattr(form, "not_duplicate", None) and form.not_duplicate.data)
            duplicates = services.duplicate_refusal(form.values(), confirmed)
        return render_template(
            "companies/form.html",
            form=form,
            company=company,
            industries=industry_options(),
            duplicates=duplicates,
            conflict=conflict,
        )

    return page


def _to_detail(company: Company):
    """After a save: the credit code's warnings (saved all the same), then the company's page."""
    for warning in services.uscc_warnings(company.uscc):
        flash(_("统一社会信用代码提示：%(warning)s（已保存，请核对）", warning=warning), "warning")
    return redirect(url_for("companies.detail", company_id=company.id))


@bp.route("/companies")
@roles_required(*READ_ROLES)
def index():
    """The shared companies, searched by name or credit code, filtered by tag, sorted by
    name, credit code or last change, paged."""
    q = request.args.get("q", "").strip()
    tag = request.args.get("tag", "")
    tag = tag if tag in COMPANY_TAGS else ""
    order = queries.CompanyOrder.from_args(request.args)
    companies, pager = paged(lambda page, per_page: queries.company_page(q, tag, page, per_page, order))
    return render_template(
        "companies/index.html",
        companies=companies,
        order=order,
        **pager,
        q=q,
        tag=tag,
        tags=COMPANY_TAGS,
        industry_label=industry_label,
        local=clock.local,  # the last change's day in the bureau's zone
    )


@bp.route("/companies/lookup")
@roles_required(*READ_ROLES)
def lookup():
    """The type-ahead of the company pickers (static/js/picker.js): up to 20 companies
    matching ``q`` by name, credit code or pinyin initials, each with its credit code to
    tell namesakes apart."""
    items = [
        {"id": c.id, "label": c.name, "detail": c.uscc or _("无统一社会信用代码"), "uscc": c.uscc}
        for c in services.lookup_companies(request.args.get("q", ""))
    ]
    return jsonify({"items": items})


@bp.route("/companies/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def create():
    """Create a company after the duplicate checks."""
    form = CompanyForm()
    return form_post(
        form,
        save=lambda: services.create_company(form.values(), confirm_not_duplicate=form.not_duplicate.data),
        page=_form_page(form),
        done=_to_detail,
        saved=_("企业已创建"),
    )


@bp.route("/companies/<int:company_id>")
@roles_required(*READ_ROLES)
def detail(company_id: int):
    """A company's facts, this county's contacts there and the projects it takes part in."""
    from crm.projects.models import STAGE_LABELS

    company = load_or_404(Company, company_id)
    return render_template(
        "companies/detail.html",
        company=company,
        contacts=queries.contacts_of(company),
        projects=queries.projects_of(company),
        stage_labels=STAGE_LABELS,
        industry_label=industry_label,
        size_labels=services.SIZE_LABELS,
        warnings=services.uscc_warnings(company.uscc),
        can_write=current_user.has_role(*WRITE_ROLES),
        can_merge=current_user.has_role("manager"),
        project_url=lambda project: url_for("projects.detail", project_id=project.id),
    )


@bp.route("/companies/<int:company_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit(company_id: int):
    """Edit a company (refused if someone else saved it first)."""
    company = load_or_404(Company, company_id)
    form = edit_form(CompanyForm, company)
    del form.not_duplicate
    return form_post(
        form,
        save=lambda: services.update_company(company, form.values(), form.version.data),
        page=_form_page(form, company),
        done=_to_detail,
        saved=_("企业信息已保存"),
    )


@bp.route("/companies/<int:company_id>/merge", methods=["GET", "POST"])
@roles_required("manager")
def merge(company_id: int):
    """Merge a duplicate into one company (a manager's act): every link moves to the one kept."""
    company = load_or_404(Company, company_id)
    form = MergeForm()
    if request.method == "GET" and record_id_or_none(request.args.get("other")):
        form.other_id.data = record_id_or_none(request.args.get("other"))
    candidates = services.find_duplicates(company.name, None, exclude_id=company.id, limit=10).similar

    def merged(result):
        keep, moved = result
        flash(_("已合并：%(links)d 条关联已转到保留的企业", links=moved), "success")
        return redirect(url_for("companies.detail", company_id=keep.id))

    return form_post(
        form,
        save=lambda: services.merge_with(company, form.other_id.data, form.keep.data == "this", current_user),
        page=form_page("companies/merge.html", form=form, company=company, candidates=candidates),
        done=merged,
    )


# Contacts ---------------------------------------------------------------------------


def _contact_form(company: Company, contact: Contact | None = None):
    """The contact page of ``company``: a new contact, or ``contact`` changed at the version it
    was read at; saved, the company's page."""
    form = edit_form(ContactForm, contact)

    def save():
        if contact is None:
            return services.create_contact(company, form.values(), created_by_id=current_user.id)
        return services.update_contact(contact, form.values(), form.version.data)

    return form_post(
        form,
        save=save,
        page=form_page("companies/contact_form.html", form=form, company=company, contact=contact),
        done=go_to(url_for("companies.detail", company_id=company.id)),
        saved=_("联系人已添加") if contact is None else _("联系人已保存"),
    )


@bp.route("/companies/<int:company_id>/contacts/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def create_contact(company_id: int):
    """Add one of this county's contacts at a company."""
    company = load_or_404(Company, company_id)
    require_write()
    return _contact_form(company)


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit_contact(contact_id: int):
    """Edit a contact (refused if someone else saved it first)."""
    contact = writable(Contact, contact_id)
    return _contact_form(contact.company, contact)


@bp.route("/contacts/<int:contact_id>/delete", methods=["POST"])
@roles_required(*WRITE_ROLES)
def delete_contact(contact_id: int):
    """Delete a contact."""
    contact = writable(Contact, contact_id)
    back = url_for("companies.detail", company_id=contact.company_id)
    return action_post(lambda: services.delete_contact(contact), back=back, saved=_("联系人已删除"))
