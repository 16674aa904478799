"""The administrator's pages for regions (行政区划)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _

from crm.core.access import roles_required
from crm.core.handlers import form_post
from crm.regions.forms import RegionForm
from crm.regions.models import LEVEL_LABELS
from crm.regions.services import all_regions, create_region

bp = Blueprint("regions", __name__, url_prefix="/admin/regions")


@bp.route("/")
@roles_required("admin")
def index():
    """Every region, in code order."""
    return render_template("regions/index.html", regions=all_regions(), level_labels=LEVEL_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@roles_required("admin")
def create():
    """Create a region; its code is checked against its level and parent."""
    form = RegionForm()
    return form_post(
        form,
        save=lambda: create_region(
            form.code.data, form.name.data, form.level.data, form.parent_code.data or None
        ),
        page=lambda conflict=None: render_template("regions/form.html", form=form),
        done=lambda _region: redirect(url_for("regions.index")),
        saved=_("行政区划已创建"),
    )
