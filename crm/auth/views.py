"""Login, logout, one's own password and tokens, and the accounts an administrator or a
manager manages (``crm.auth.policy`` decides which)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from crm.auth import policy, services, tokens
from crm.auth.forms import LoginForm, OwnPasswordForm, PasswordForm, UserForm, role_choices
from crm.auth.models import ROLE_LABELS, User
from crm.auth.services import LoginThrottled
from crm.core.access import public, roles_required
from crm.core.db import db, utcnow
from crm.core.errors import ServiceError
from crm.core.forms import apply_service_errors
from crm.core.handlers import action_post, form_page, form_post, go_to
from crm.core.parsing import int_or_none
from crm.core.redirects import safe_next
from crm.regions.models import Region

bp = Blueprint("auth", __name__)


def _throttled_page(template: str, exc: LoginThrottled, **context):
    response = make_response(render_template(template, **context), 429)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Log in. A failed attempt is committed on purpose: throttling counts it and the audit
    log keeps it, so this view does not go through ``form_post``."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        address = request.remote_addr or ""
        try:
            user = services.authenticate(form.username.data, form.password.data, address)
        except LoginThrottled as exc:
            db.session.commit()  # the audit row of the refused attempt
            flash(exc.message, "danger")
            return _throttled_page("auth/login.html", exc, form=form)
        if user is None:
            db.session.commit()  # the failure is counted and audited
            flash(_("用户名或密码错误"), "danger")
            return render_template("auth/login.html", form=form), 200
        # A fresh session on login: nothing from before the login survives.
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        services.log_in(user, address, request.user_agent.string)
        db.session.commit()
        login_user(user)
        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.get("/logout")
@public
def confirm_logout():
    """A typed or bookmarked /logout: the button that logs out (a link must change nothing)."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return render_template("auth/logout.html")


@bp.route("/logout", methods=["POST"])
@public
def logout():
    """End this session on the server (a copied cookie stops working) and in the browser."""
    if current_user.is_authenticated:
        services.log_out(current_user)  # the server-side session ends: a copied cookie is dead
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("已退出登录"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_own_password():
    """Change one's own password (the current one is asked; a wrong one counts as a failed
    login and is committed, so not ``form_post``); other sessions end."""
    form = OwnPasswordForm()
    if form.validate_on_submit():
        try:
            services.change_own_password(
                current_user, form.current_password.data, form.password.data, request.remote_addr or ""
            )
        except LoginThrottled as exc:
            db.session.rollback()
            flash(exc.message, "danger")
            return _throttled_page("auth/password.html", exc, form=form, target=current_user, own=True)
        except ServiceError as exc:
            db.session.commit()  # a wrong current password counts as a failed login
            apply_service_errors(form, exc)
        else:
            db.session.commit()
            flash(_("密码已修改，其他设备上的登录已失效"), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form, target=current_user, own=True)


@bp.route("/account/tokens")
def own_tokens():
    """One's own API tokens, with when each was used and expires."""
    return render_template("auth/tokens.html", tokens=tokens.tokens_of(current_user), now=utcnow())


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
def revoke_own_token(token_id: int):
    """Revoke one of one's own API tokens (another user's token is 404)."""
    token = tokens.token_by_id(token_id, owner=current_user)
    if token is None:
        abort(404)
    return action_post(
        lambda: tokens.revoke_token(token), back=url_for("auth.own_tokens"), saved=_("令牌已吊销")
    )


def _load_manageable_user(user_id: int) -> User:
    """The user, if the current user may manage them; anyone else is 404."""
    user = db.session.get(User, user_id)
    if user is None or not policy.can_manage(current_user, user):
        abort(404)
    return user


def _prepare_user_form(form: UserForm) -> None:
    form.role.choices = role_choices(tuple(role.value for role in policy.assignable_roles(current_user)))
    regions = db.session.execute(policy.assignable_regions(current_user)).scalars()
    form.region.choices = [(str(r.id), f"{r.code} {r.name}") for r in regions]


def _chosen_region(form: UserForm) -> Region:
    # The choices are the regions the current user may assign; validation kept to them.
    return db.session.get(Region, int(form.region.data))


@bp.route("/admin/users")
@roles_required("admin", "manager")
def users():
    """The accounts the current user may manage."""
    rows = db.session.execute(policy.manageable_users(current_user)).scalars().all()
    return render_template("auth/users.html", users=rows, role_labels=ROLE_LABELS)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@roles_required("admin", "manager")
def create_user():
    """Create an account the current user may manage."""
    form = UserForm()
    _prepare_user_form(form)
    return form_post(
        form,
        save=lambda: services.create_user(
            form.username.data,
            form.password.data or "",
            form.role.data,
            _chosen_region(form),
            form.display_name.data or "",
            actor=current_user,
        ),
        page=lambda conflict=None: render_template("auth/user_form.html", form=form, user=None),
        done=go_to(url_for("auth.users")),
        saved=_("用户已创建"),
    )


@bp.route("/admin/users/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required("admin", "manager")
def edit_user(user_id: int):
    """Change an account's name, role, region or whether it may log in."""
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
    return form_post(
        form,
        save=lambda: services.update_user(
            user,
            display_name=form.display_name.data or "",
            role=form.role.data,
            region=_chosen_region(form),
            is_active=form.is_active.data,
            version=int_or_none(form.version.data) or user.version,
            actor=current_user,
        ),
        page=form_page("auth/user_form.html", form=form, user=user),
        done=go_to(url_for("auth.users")),
        saved=_("用户已保存"),
        conflict=_("该用户已被他人修改，当前值已显示，请确认后重新保存。"),
    )


@bp.route("/admin/users/<int:user_id>/password", methods=["GET", "POST"])
@roles_required("admin", "manager")
def reset_password(user_id: int):
    """Set a new password for an account one manages; its sessions end."""
    user = _load_manageable_user(user_id)
    if user.id == current_user.id:
        return redirect(url_for("auth.change_own_password"))
    form = PasswordForm()
    return form_post(
        form,
        save=lambda: services.reset_password(user, form.password.data, actor=current_user),
        page=form_page("auth/password.html", form=form, target=user, own=False),
        done=go_to(url_for("auth.users")),
        saved=_("密码已重置，该用户的登录已全部失效"),
    )


def init_views(app) -> None:
    from crm.core.nav import SYSTEM_MENU, register_nav

    app.register_blueprint(bp)
    register_nav(app, "用户管理", "auth.users", {"admin", "manager"}, order=900, group=SYSTEM_MENU)
