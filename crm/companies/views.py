from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from werkzeug.routing import BuildError

from crm.companies import services
from crm.companies.forms import CompanyForm, ContactForm, MergeForm
from crm.companies.industries import industry_label, industry_options
from crm.companies.models import COMPANY_TAGS, Company, Contact
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, require_write, roles_required
from crm.core.db import db
from crm.core.errors import ConflictError, ServiceError
from crm.core.forms import apply_service_errors
from crm.core.pagination import page_number

bp = Blueprint("companies", __name__)


def _company_or_404(company_id: int) -> Company:
    return load_or_404(Company, company_id)


def _render_form(form, company=None, status=200, **extra):
    return render_template(
        "companies/form.html", form=form, company=company, industries=industry_options(), **extra
    ), status


def _flash_warnings(company: Company) -> None:
    for warning in services.uscc_warnings(company.uscc):
        flash(_("统一社会信用代码提示：%(warning)s（已保存，请核对）", warning=warning), "warning")


@bp.route("/companies")
@roles_required(*READ_ROLES)
def index():
    q = request.args.get("q", "").strip()
    tag = request.args.get("tag", "")
    tag = tag if tag in COMPANY_TAGS else ""
    query = services.search_companies(q, tag)
    per_page = current_app.config["PER_PAGE"]
    page = page_number(request.args.get("page"))
    total = db.session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    companies = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return render_template(
        "companies/index.html",
        companies=companies,
        total=total,
        page=page,
        per_page=per_page,
        q=q,
        tag=tag,
        tags=COMPANY_TAGS,
        industry_label=industry_label,
    )


@bp.route("/companies/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def create():
    form = CompanyForm()
    if form.validate_on_submit():
        try:
            company = services.create_company(
                form.company_data(), confirm_not_duplicate=form.not_duplicate.data
            )
        except services.DuplicateCompanyError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
            return _render_form(form, duplicates=exc, status=422)
        except ServiceError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
            return _render_form(form, status=422)
        db.session.commit()
        flash(_("企业已创建"), "success")
        _flash_warnings(company)
        return redirect(url_for("companies.detail", company_id=company.id))
    return _render_form(form, status=422 if form.errors else 200)


@bp.route("/companies/<int:company_id>")
@roles_required(*READ_ROLES)
def detail(company_id: int):
    from crm.projects.models import STAGE_LABELS, Project

    company = _company_or_404(company_id)
    contacts = db.session.execute(services.contacts_of(company)).scalars().all()
    projects = (
        db.session.execute(
            select(Project)
            .where(or_(Project.investor_company_id == company.id, Project.local_company_id == company.id))
            .order_by(Project.id.desc())
        )
        .scalars()
        .all()
    )
    return render_template(
        "companies/detail.html",
        company=company,
        contacts=contacts,
        projects=projects,
        stage_labels=STAGE_LABELS,
        industry_label=industry_label,
        size_labels=services.SIZE_LABELS,
        warnings=services.uscc_warnings(company.uscc),
        can_write=current_user.has_role(*WRITE_ROLES),
        can_merge=current_user.has_role("manager"),
        project_url=_project_url,
    )


def _project_url(project) -> str | None:
    # The projects module owns its pages; link to them when they exist.
    try:
        return url_for("projects.detail", project_id=project.id)
    except BuildError:
        return None


@bp.route("/companies/<int:company_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit(company_id: int):
    company = _company_or_404(company_id)
    form = CompanyForm(obj=company if request.method == "GET" else None)
    del form.not_duplicate
    if request.method == "GET":
        form.version.data = str(company.version)
    if form.validate_on_submit():
        try:
            services.update_company(company, form.company_data(), form.version.data)
        except ConflictError as exc:
            db.session.rollback()
            flash(exc.message, "warning")
            return _render_form(form, company, conflict=exc.current, status=409)
        except ServiceError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
            return _render_form(form, company, status=422)
        db.session.commit()
        flash(_("企业信息已保存"), "success")
        _flash_warnings(company)
        return redirect(url_for("companies.detail", company_id=company.id))
    return _render_form(form, company, status=422 if form.errors else 200)


@bp.route("/companies/<int:company_id>/merge", methods=["GET", "POST"])
@roles_required("manager")
def merge(company_id: int):
    company = _company_or_404(company_id)
    form = MergeForm()
    candidates = services.find_duplicates(company.name, None, exclude_id=company.id, limit=10).similar
    if form.validate_on_submit():
        other = db.session.get(Company, form.other_id.data)
        if other is None:
            form.other_id.errors.append(_("没有这个编号的企业"))
        else:
            keep, drop = (company, other) if form.keep.data == "this" else (other, company)
            try:
                moved = services.merge_companies(keep, drop, current_user)
            except ServiceError as exc:
                db.session.rollback()
                apply_service_errors(form, exc)
            else:
                db.session.commit()
                flash(_("已合并：%(links)d 条关联已转到保留的企业", links=sum(moved.values())), "success")
                return redirect(url_for("companies.detail", company_id=keep.id))
    elif request.method == "GET" and request.args.get("other", type=int):
        form.other_id.data = request.args.get("other", type=int)
    status = 422 if form.errors else 200
    return render_template("companies/merge.html", form=form, company=company, candidates=candidates), status


# Contacts ---------------------------------------------------------------------------


def _render_contact_form(form, company, contact=None, status=200, **extra):
    return render_template(
        "companies/contact_form.html", form=form, company=company, contact=contact, **extra
    ), status


@bp.route("/companies/<int:company_id>/contacts/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def create_contact(company_id: int):
    company = _company_or_404(company_id)
    require_write()
    form = ContactForm()
    if form.validate_on_submit():
        try:
            services.create_contact(company, form.contact_data(), created_by_id=current_user.id)
        except ServiceError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
            return _render_contact_form(form, company, status=422)
        db.session.commit()
        flash(_("联系人已添加"), "success")
        return redirect(url_for("companies.detail", company_id=company.id))
    return _render_contact_form(form, company, status=422 if form.errors else 200)


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit_contact(contact_id: int):
    contact = load_or_404(Contact, contact_id)
    require_write(contact)
    form = ContactForm(obj=contact if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = str(contact.version)
    if form.validate_on_submit():
        try:
            services.update_contact(contact, form.contact_data(), form.version.data)
        except ConflictError as exc:
            db.session.rollback()
            flash(exc.message, "warning")
            return _render_contact_form(form, contact.company, contact, conflict=exc.current, status=409)
        except ServiceError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
            return _render_contact_form(form, contact.company, contact, status=422)
        db.session.commit()
        flash(_("联系人已保存"), "success")
        return redirect(url_for("companies.detail", company_id=contact.company_id))
    return _render_contact_form(form, contact.company, contact, status=422 if form.errors else 200)


@bp.route("/contacts/<int:contact_id>/delete", methods=["POST"])
@roles_required(*WRITE_ROLES)
def delete_contact(contact_id: int):
    contact = load_or_404(Contact, contact_id)
    require_write(contact)
    company_id = contact.company_id
    services.delete_contact(contact)
    db.session.commit()
    flash(_("联系人已删除"), "success")
    return redirect(url_for("companies.detail", company_id=company_id))
