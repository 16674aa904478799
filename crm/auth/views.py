from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from crm.auth import services
from crm.auth.forms import LoginForm, PasswordForm, UserForm, role_choices
from crm.auth.models import ROLE_LABELS, Role, User
from crm.core.access import public, roles_required
from crm.core.db import db
from crm.core.errors import ConflictError, ServiceError
from crm.core.forms import apply_service_errors
from crm.regions.models import Region

bp = Blueprint("auth", __name__)

MANAGER_ASSIGNABLE_ROLES = ("manager", "staff", "leader")


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                form.username.data, form.password.data, request.remote_addr or "",
                current_app.config["LOGIN_MAX_FAILURES"], current_app.config["LOGIN_LOCKOUT_MINUTES"],
            )
        except ServiceError as exc:
            db.session.commit()
            flash(exc.message, "danger")
            return render_template("auth/login.html", form=form), 429
        db.session.commit()  # failed attempts are recorded for throttling
        if user is None:
            flash(_("用户名或密码错误"), "danger")
            return render_template("auth/login.html", form=form), 200
        # A fresh session on login: nothing from before the login survives.
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        login_user(user)
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    logout_user()
    session.clear()
    flash(_("已退出登录"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_own_password():
    form = PasswordForm()
    if form.validate_on_submit():
        services.change_password(current_user, form.password.data)
        db.session.commit()
        login_user(current_user)  # this session carries the new epoch; others end
        flash(_("密码已修改，其他设备上的登录已失效"), "success")
        return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form, target=current_user)


def _manageable_users_query():
    query = select(User).order_by(User.username)
    if current_user.role == Role.manager:
        query = query.where(User.region_id == current_user.region_id)
    return query


def _load_manageable_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if current_user.role == Role.manager and user.region_id != current_user.region_id:
        abort(404)
    return user


def _region_choices():
    if current_user.role == Role.manager:
        return [(str(current_user.region.id), current_user.region.name)]
    regions = db.session.execute(select(Region).order_by(Region.code)).scalars()
    return [(str(r.id), f"{r.code} {r.name}") for r in regions]


def _prepare_user_form(form: UserForm) -> None:
    allowed = MANAGER_ASSIGNABLE_ROLES if current_user.role == Role.manager else tuple(ROLE_LABELS)
    form.role.choices = role_choices(allowed)
    form.region.choices = _region_choices()


@bp.route("/admin/users")
@roles_required("admin", "manager")
def users():
    rows = db.session.execute(_manageable_users_query()).scalars().all()
    return render_template("auth/users.html", users=rows, role_labels=ROLE_LABELS)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@roles_required("admin", "manager")
def create_user():
    form = UserForm()
    _prepare_user_form(form)
    if form.validate_on_submit():
        region = db.session.get(Region, int(form.region.data))
        try:
            services.create_user(form.username.data, form.password.data or "", form.role.data,
                                 region, form.display_name.data or "")
        except ServiceError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
        else:
            db.session.commit()
            flash(_("用户已创建"), "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=None)


@bp.route("/admin/users/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required("admin", "manager")
def edit_user(user_id: int):
    user = _load_manageable_user(user_id)
    form = UserForm(obj=None)
    _prepare_user_form(form)
    del form.password
    del form.username
    if request.method == "GET":
        form.display_name.data = user.display_name
        form.role.data = user.role.value
        form.region.data = str(user.region_id)
        form.is_active.data = user.is_active_user
        form.version.data = str(user.version)
    if form.validate_on_submit():
        region = db.session.get(Region, int(form.region.data))
        try:
            services.update_user(user, display_name=form.display_name.data or "", role=form.role.data,
                                 region=region, is_active=form.is_active.data,
                                 version=int(form.version.data or user.version))
        except ConflictError as exc:
            db.session.rollback()
            flash(_("该用户已被他人修改，当前值已显示，请确认后重新保存。"), "warning")
            return render_template("auth/user_form.html", form=form, user=user, conflict=exc.current), 409
        except ServiceError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
        else:
            db.session.commit()
            flash(_("用户已保存"), "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=user)


@bp.route("/admin/users/<int:user_id>/password", methods=["GET", "POST"])
@roles_required("admin", "manager")
def reset_password(user_id: int):
    user = _load_manageable_user(user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        services.change_password(user, form.password.data)
        db.session.commit()
        flash(_("密码已重置，该用户的登录已全部失效"), "success")
        return redirect(url_for("auth.users"))
    return render_template("auth/password.html", form=form, target=user)


def init_views(app) -> None:
    from crm.core.nav import SYSTEM_MENU, register_nav

    app.register_blueprint(bp)
    register_nav(app, "用户管理", "auth.users", {"admin", "manager"}, order=900, group=SYSTEM_MENU)
