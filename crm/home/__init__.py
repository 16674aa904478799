"""The landing page after login."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    landing = {
        "manager": "dashboard.index",
        "staff": "dashboard.index",
        "leader": "dashboard.index",
        "coordinator": "dashboard.index",
    }
    endpoint = landing.get(current_user.role.value)
    from flask import current_app

    if endpoint and endpoint in current_app.view_functions:
        return redirect(url_for(endpoint))
    return render_template("home.html")


def init_app(app) -> None:
    app.register_blueprint(bp)
