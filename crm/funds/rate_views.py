"""The province's monthly USD rates: everyone reads them, a province coordinator keeps them."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.core import clock
from crm.core.access import READ_ROLES, roles_required
from crm.core.handlers import form_post, go_to
from crm.core.parsing import int_or_none
from crm.funds import rates
from crm.funds.forms import RateForm
from crm.funds.views import bp


@bp.route("/funds/rates", methods=["GET", "POST"], endpoint="rates")
@roles_required(*READ_ROLES)
def rates_page():
    """The rates of the user's province, latest month first; a province coordinator enters
    or corrects one (a correction converts that month's 境外 records again)."""
    may_enter = rates.may_enter_rates(current_user)
    if request.method == "POST" and not may_enter:
        abort(403)
    province_id = rates.province_id_of(current_user.region_id)
    form = RateForm()
    if request.method == "GET":
        form.month.data = clock.today().replace(day=1)

    def page(conflict=None):
        return render_template(
            "funds/rates.html",
            form=form,
            rates=rates.rates_of(province_id),
            may_enter=may_enter,
            conflict=conflict,
        )

    return form_post(
        form,
        page=page,
        done=go_to(url_for("funds.rates")),
        saved=_("汇率已保存"),
        save=lambda: rates.set_rate(current_user, **form.values(), version=int_or_none(form.version.data)),
    )
