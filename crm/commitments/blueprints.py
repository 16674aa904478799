"""The commitments blueprints: pages (``bp``) and the JSON API (``api_bp``), and the labels
every commitments page shows. The view modules add their routes to these; ``init_app``
registers them once all are imported."""

from __future__ import annotations

from flask import Blueprint

from crm.commitments.models import (
    CLEANUP_CAUSES,
    CLEANUP_RESOLUTIONS,
    COMMITMENT_STATUSES,
    CONSEQUENCES,
    DECISIONS,
    FAIR_REVIEW_STATES,
    LEGAL_REVIEW_STATES,
    OBLIGATION_KINDS,
    OBLIGATION_STATUSES,
    OBLIGATION_UNITS,
    POLICY_KINDS,
    REVIEW_KINDS,
)
from crm.commitments.register import format_rate
from crm.commitments.risk import RISK_FLAGS
from crm.commitments.services import ACTION_LABELS

__all__ = ["api_bp", "bp", "LABELS"]

bp = Blueprint("commitments", __name__)
api_bp = Blueprint("commitments_api", __name__, url_prefix="/api/v1")

LABELS = {
    "policy_kinds": POLICY_KINDS,
    "fair_review": FAIR_REVIEW_STATES,
    "legal_review": LEGAL_REVIEW_STATES,
    "review_kinds": REVIEW_KINDS,
    "cleanup_causes": CLEANUP_CAUSES,
    "cleanup_resolutions": CLEANUP_RESOLUTIONS,
    "risk_flags": RISK_FLAGS,
    "statuses": COMMITMENT_STATUSES,
    "obligation_kinds": OBLIGATION_KINDS,
    "obligation_statuses": OBLIGATION_STATUSES,
    "obligation_units": OBLIGATION_UNITS,
    "consequences": CONSEQUENCES,
    "actions": ACTION_LABELS,
    "decisions": DECISIONS,
}


@bp.context_processor
def _labels():
    return {"labels": LABELS, "format_rate": format_rate}
