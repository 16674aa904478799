"""The administrator's pages for regions (行政区划)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _

from crm.core.access import load_or_404, roles_required
from crm.core.handlers import edit_form, form_post
from crm.core.parsing import int_or_none
from crm.regions.forms import RegionForm, RenameForm
from crm.regions.models import LEVEL_LABELS, Region
from crm.regions.services import all_regions, create_region, rename_region

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


@bp.route("/<int:region_id>/rename", methods=["GET", "POST"])
@roles_required("admin")
def rename(region_id: int):
    """Rename a region (撤县设区); its code, level and parent stay."""
    region = load_or_404(Region, region_id)
    form = edit_form(RenameForm, region)

    def page(conflict=None):
        return render_template("regions/rename.html", form=form, region=region, conflict=conflict)

    return form_post(
        form,
        save=lambda: rename_region(region, form.name.data, int_or_none(form.version.data)),
        page=page,
        done=lambda _region: redirect(url_for("regions.index")),
        saved=_("行政区划已改名"),
    )
