"""The 跟进记录 of the list (its filters applied) as a spreadsheet, oldest first, with the
headers the ledger import reads (crm/imports/headers.py), so an exported ledger imports back
into a county that holds the projects. A confidential project reads by the name the user may
see (its code name for everyone but its owner and the county's managers), as on the list."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from crm.activities import queries
from crm.activities.models import ACTIVITY_KINDS, Activity
from crm.activities.views import bp
from crm.auth.models import User
from crm.core import clock
from crm.core.access import READ_ROLES, load_or_404, roles_required
from crm.core.db import db
from crm.core.i18n import translator
from crm.projects.confidential import name_column
from crm.projects.models import Project
from crm.regions.services import region_names
from crm.util.exports import Column, Sheet, download_as_asked, table_sheet

__all__ = ["columns", "export", "sheet"]


def columns(county_names: dict[int, str]) -> list[Column]:
    """The sheet's columns, each header beside its cell of a row (activity, project_name, recorder)."""
    label = translator()  # one translation per label, not one per cell

    def kind(row) -> str:
        return (
            label(ACTIVITY_KINDS[row.Activity.kind])
            if row.Activity.kind in ACTIVITY_KINDS
            else row.Activity.kind
        )

    # 所属县区 and 记录人 are for the reader; the import leaves them out.
    return [
        Column(_("所属县区"), lambda row: county_names.get(row.Activity.county_id, "")),
        Column(_("项目名称"), lambda row: row.project_name),
        Column(_("跟进日期"), lambda row: row.Activity.occurred_on),
        Column(_("跟进方式"), kind),
        Column(_("主题"), lambda row: row.Activity.subject),
        Column(_("跟进内容"), lambda row: row.Activity.summary or ""),
        Column(_("参加人员"), lambda row: row.Activity.participants or ""),
        Column(_("下一步"), lambda row: row.Activity.next_step or ""),
        Column(_("下次跟进日期"), lambda row: row.Activity.next_follow_up_on),
        Column(_("记录人"), lambda row: row.recorder or ""),
    ]


@bp.route("/activities/export")
@roles_required(*READ_ROLES)
def export():
    """The listed 跟进记录 (every page of them) as XLSX or CSV."""
    filters = queries.ActivityFilters.from_args(request.args)
    if filters.project_id:
        load_or_404(Project, filters.project_id)  # another county's project: 404, not an empty file
    return download_as_asked(
        sheet(filters, current_user), _("跟进记录") + "_" + clock.today().strftime("%Y%m%d")
    )


def sheet(filters: queries.ActivityFilters, viewer) -> Sheet:
    """The filtered activities, oldest first, as ``viewer`` may read their projects' names."""
    statement = filters.apply(
        select(Activity, name_column(viewer).label("project_name"), User.display_name.label("recorder"))
        .join(Project, Activity.project_id == Project.id)
        .outerjoin(User, User.id == Activity.created_by_id)
    ).order_by(Activity.occurred_on, Activity.id)
    activities = db.session.execute(statement.execution_options(yield_per=1000))
    return table_sheet(_("跟进记录"), columns(region_names()), activities)
