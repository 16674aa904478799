"""The administrator's pages for regions (行政区划)."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _

from crm.core.access import load_or_404, roles_required
from crm.core.handlers import edit_form, form_page, form_post, go_to
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
        page=form_page("regions/form.html", form=form),
        done=go_to(url_for("regions.index")),
        saved=_("行政区划已创建"),
    )


@bp.route("/<int:region_id>/rename", methods=["GET", "POST"])
@roles_required("admin")
def rename(region_id: int):
    """Rename a region (撤县设区); its code, level and parent stay."""
    region = load_or_404(Region, region_id)
    form = edit_form(RenameForm, region)
    return form_post(
        form,
        save=lambda: rename_region(region, form.name.data, int_or_none(form.version.data)),
        page=form_page("regions/rename.html", form=form, region=region),
        done=go_to(url_for("regions.index")),
        saved=_("行政区划已改名"),
    )
