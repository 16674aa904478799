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
from crm.util.exports import Sheet, download_as_asked

__all__ = ["export", "headers", "rows", "sheet"]


def headers() -> list[str]:
    # 所属县区 and 记录人 are for the reader; the import leaves them out.
    return [
        _("所属县区"),
        _("项目名称"),
        _("跟进日期"),
        _("跟进方式"),
        _("主题"),
        _("跟进内容"),
        _("参加人员"),
        _("下一步"),
        _("下次跟进日期"),
        _("记录人"),
    ]


def rows(activities, county_names: dict[int, str]):
    label = translator()  # one translation per label, not one per cell
    for activity, project_name, recorder in activities:
        yield [
            county_names.get(activity.county_id, ""),
            project_name,
            activity.occurred_on,
            label(ACTIVITY_KINDS[activity.kind]) if activity.kind in ACTIVITY_KINDS else activity.kind,
            activity.subject,
            activity.summary or "",
            activity.participants or "",
            activity.next_step or "",
            activity.next_follow_up_on,
            recorder or "",
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
        select(Activity, name_column(viewer).label("project_name"), User.display_name)
        .join(Project, Activity.project_id == Project.id)
        .outerjoin(User, User.id == Activity.created_by_id)
    ).order_by(Activity.occurred_on, Activity.id)
    county_names = region_names()
    activities = db.session.execute(statement.execution_options(yield_per=1000))
    return Sheet(_("跟进记录"), headers(), rows(activities, county_names))
