"""The landing page after login."""

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    """The start page: the dashboard for a county or coordinator account, a welcome page for an administrator."""
    landing = {
        "manager": "dashboard.index",
        "staff": "dashboard.index",
        "leader": "dashboard.index",
        "coordinator": "dashboard.index",
    }
    endpoint = landing.get(current_user.role.value)
    if endpoint and endpoint in current_app.view_functions:
        return redirect(url_for(endpoint))
    return render_template("home.html")


def init_app(app) -> None:
    app.register_blueprint(bp)
