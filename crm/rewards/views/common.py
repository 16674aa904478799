"""What every rewards page shares: the blueprint, the labels its templates read, file answers."""

from __future__ import annotations

from flask import Blueprint, Response
from flask_login import current_user

from crm.projects.models import STAGE_LABELS
from crm.rewards import exports, models, queries
from crm.rewards.conditions import describe_options
from crm.rewards.util import describe_tiers
from crm.util.exports import content_disposition

__all__ = ["bp", "file_response"]

bp = Blueprint("rewards", __name__, url_prefix="/rewards")

# The label tables the templates read, by the name they know each by.
LABELS = {
    "bases": models.BASES,
    "modes": models.MODE_LABELS,
    "stages": STAGE_LABELS,
    "kinds": models.REFERRER_KINDS,
    "referral_statuses": models.REFERRAL_STATUSES,
    "list_statuses": models.LIST_STATUSES,
    "reasons": models.INELIGIBLE_REASONS,
    "objection_statuses": models.OBJECTION_STATUSES,
}


def _dispute_count() -> int:
    if not current_user.is_authenticated or not current_user.has_role("manager"):
        return 0
    return queries.dispute_count()


@bp.context_processor
def _labels():
    return {
        "labels": LABELS,
        "describe_tiers": describe_tiers,
        "describe_options": describe_options,
        "dispute_count": _dispute_count,
    }


def file_response(source, fmt: str, encoding: str) -> Response:
    """A list or a computed eligibility as an XLSX or CSV file, each project named as the
    user may read it."""
    name = exports.file_stem(source) + "." + fmt
    if fmt == "xlsx":
        return Response(
            exports.to_xlsx(source, current_user),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": content_disposition(name)},
        )
    encoding = "gb18030" if encoding.lower() == "gb18030" else "utf-8-sig"
    charset = "gb18030" if encoding == "gb18030" else "utf-8"
    return Response(
        exports.to_csv(source, encoding, current_user),
        headers={
            "Content-Disposition": content_disposition(name),
            "Content-Type": f"text/csv; charset={charset}",
        },
    )
