"""The commitments blueprints: pages (``bp``) and the JSON API (``api_bp``), and the labels
every commitments page shows. The view modules add their routes to these; ``init_app``
registers them once all are imported."""

from __future__ import annotations

from flask import Blueprint

from crm.commitments import models
from crm.commitments.register import format_rate
from crm.commitments.risk import RISK_FLAGS
from crm.commitments.services import ACTION_LABELS

__all__ = ["api_bp", "bp", "LABELS"]

bp = Blueprint("commitments", __name__)
api_bp = Blueprint("commitments_api", __name__, url_prefix="/api/v1")

LABELS = {
    "policy_kinds": models.POLICY_KINDS,
    "fair_review": models.FAIR_REVIEW_STATES,
    "legal_review": models.LEGAL_REVIEW_STATES,
    "review_kinds": models.REVIEW_KINDS,
    "cleanup_causes": models.CLEANUP_CAUSES,
    "cleanup_resolutions": models.CLEANUP_RESOLUTIONS,
    "risk_flags": RISK_FLAGS,
    "statuses": models.COMMITMENT_STATUSES,
    "obligation_kinds": models.OBLIGATION_KINDS,
    "obligation_statuses": models.OBLIGATION_STATUSES,
    "obligation_units": models.OBLIGATION_UNITS,
    "consequences": models.CONSEQUENCES,
    "actions": ACTION_LABELS,
    "decisions": models.DECISIONS,
}


@bp.context_processor
def _labels():
    return {"labels": LABELS, "format_rate": format_rate}
