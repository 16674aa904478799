from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from crm.core.access import roles_required
from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.forms import apply_service_errors
from crm.regions.forms import RegionForm
from crm.regions.models import LEVEL_LABELS, Region
from crm.regions.services import create_region

bp = Blueprint("regions", __name__, url_prefix="/admin/regions")


@bp.route("/")
@roles_required("admin")
def index():
    regions = db.session.execute(select(Region).order_by(Region.code)).scalars().all()
    return render_template("regions/index.html", regions=regions, level_labels=LEVEL_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@roles_required("admin")
def create():
    form = RegionForm()
    if form.validate_on_submit():
        try:
            create_region(form.code.data, form.name.data, form.level.data, form.parent_code.data or None)
        except ServiceError as exc:
            db.session.rollback()
            if "parent" in exc.errors:
                exc.errors["parent_code"] = exc.errors.pop("parent")
            apply_service_errors(form, exc)
        else:
            db.session.commit()
            flash(_("行政区划已创建"), "success")
            return redirect(url_for("regions.index"))
    return render_template("regions/form.html", form=form)
