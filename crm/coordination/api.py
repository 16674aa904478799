"""/api/v1: transfers (offer, accept, decline), benefit-sharing agreements, collision alerts
and the coordinator's ruling. Same rules and names as the pages (crm.coordination.services);
another county's record, or one the reader may not see, answers 404."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify
from flask_babel import gettext as _
from flask_login import current_user

from crm.api.handlers import committed, versioned_body
from crm.api.util import api_value, json_body, paginate_list
from crm.coordination import access, queries, services
from crm.coordination.models import CollisionAlert, Transfer
from crm.core.access import load_or_404
from crm.core.db import MAX_INTEGER, db
from crm.core.errors import ServiceError
from crm.projects.models import Project

bp = Blueprint("coordination_api", __name__, url_prefix="/api/v1")

TRANSFER_FIELDS = (
    "id", "project_id", "from_county_id", "to_county_id", "reason", "note", "status",
    "from_share_percent", "years", "offered_by_id", "answered_by_id", "answered_at",
    "answer_note", "collision_id", "version", "created_at",
)  # fmt: skip
ALERT_FIELDS = (
    "id", "county_a_id", "county_b_id", "match", "company_label", "first_county_id",
    "first_contact_a", "first_contact_b", "status", "ruling", "lead_county_id", "ruling_note",
    "ruled_by_id", "ruled_at", "version", "created_at",
)  # fmt: skip


def _fields(obj, names) -> dict:
    return {name: api_value(getattr(obj, name)) for name in names}


def transfer_json(transfer: Transfer, labels: dict[int, str]) -> dict:
    return {**_fields(transfer, TRANSFER_FIELDS), "project_name": labels.get(transfer.project_id, "")}


def agreement_json(agreement, labels: dict[int, str]) -> dict:
    return {
        "id": agreement.id,
        "project_id": agreement.project_id,
        "project_name": labels.get(agreement.project_id, ""),
        "kind": agreement.kind,
        "origin_county_id": agreement.origin_county_id,
        "host_county_id": agreement.host_county_id,
        "park": agreement.park,
        "starts_on": api_value(agreement.starts_on),
        "years": agreement.years,
        "transfer_id": agreement.transfer_id,
        "shares": [
            {
                "county_id": s.county_id,
                "funds_percent": api_value(s.funds_percent),
                "output_percent": api_value(s.output_percent),
                "tax_percent": api_value(s.tax_percent),
            }
            for s in agreement.shares
        ],
    }


def alert_json(alert: CollisionAlert, labels: dict[int, str]) -> dict:
    """An alert as its reader may read it: the other county's project by code name only and
    its id left out (it would answer 404 anyway)."""
    own = getattr(current_user, "county_id", None)
    projects = []
    for county, project_id in (
        (alert.county_a_id, alert.project_a_id),
        (alert.county_b_id, alert.project_b_id),
    ):
        mine = own is not None and county == own
        projects.append(
            {
                "county_id": county,
                "project_id": project_id if mine else None,
                "name": labels.get(project_id, ""),
            }
        )
    return {**_fields(alert, ALERT_FIELDS), "projects": projects}


def _page_naming_projects(items, serialize):
    """One page of ``items`` (transfers or agreements), each with its project named as the
    reader may read it."""
    labels = queries.project_labels([item.project_id for item in items], current_user)
    return paginate_list(items, lambda item: serialize(item, labels))


def _load(model, record_id: int):
    obj = db.session.get(model, record_id) if 0 < record_id <= MAX_INTEGER else None
    if obj is None:
        abort(404)
    return obj


def _one_transfer(transfer: Transfer) -> dict:
    """One transfer as JSON, its project named as the reader may read it."""
    return transfer_json(transfer, queries.project_labels([transfer.project_id], current_user))


def _one_alert(alert: CollisionAlert) -> dict:
    """One collision alert as JSON, its projects named as the reader may read them."""
    return alert_json(alert, queries.collision_labels([alert], current_user))


@bp.get("/transfers")
def list_transfers():
    """One page of the project transfers the caller's county offered or was offered."""
    return _page_naming_projects(queries.transfers_for(), transfer_json)


@bp.post("/transfers")
def create_transfer():
    """Offer one of the county's projects to another county (异地转移)."""
    data = json_body()
    project_id = data.get("project_id")
    if isinstance(project_id, bool) or not isinstance(project_id, int):
        raise ServiceError(_("请求中的字段有误"), {"project_id": [_("必须是整数")]})
    project = load_or_404(Project, project_id)
    transfer = services.offer_transfer(project, data, current_user)
    return committed(_one_transfer, transfer, status=201)


@bp.get("/transfers/<int:transfer_id>")
def get_transfer(transfer_id: int):
    """One transfer the caller's county is a party to."""
    transfer = _load(Transfer, transfer_id)
    access.require_visible_transfer(transfer)
    return jsonify(_one_transfer(transfer))


def _answer(transfer_id: int, accept: bool):
    transfer = _load(Transfer, transfer_id)
    access.require_visible_transfer(transfer)
    data, version = versioned_body()
    services.answer_transfer(transfer, accept, data.get("note"), version, current_user)
    return committed(_one_transfer, transfer)


@bp.post("/transfers/<int:transfer_id>/accept")
def accept_transfer(transfer_id: int):
    """Accept a transfer offered to the caller's county, at the version read."""
    return _answer(transfer_id, True)


@bp.post("/transfers/<int:transfer_id>/decline")
def decline_transfer(transfer_id: int):
    """Decline a transfer offered to the caller's county, at the version read."""
    return _answer(transfer_id, False)


@bp.get("/agreements")
def list_agreements():
    """One page of the benefit-sharing agreements the caller's counties are party to."""
    return _page_naming_projects(queries.agreements_for(), agreement_json)


@bp.get("/collisions")
def list_collisions():
    """One page of the collision alerts (two counties courting one investor) the caller sees."""
    items = queries.collisions_for(current_user)
    labels = queries.collision_labels(items, current_user)
    return paginate_list(items, lambda alert: alert_json(alert, labels))


@bp.get("/collisions/<int:alert_id>")
def get_collision(alert_id: int):
    """One collision alert the caller sees."""
    alert = _load(CollisionAlert, alert_id)
    access.require_visible_collision(current_user, alert)
    return jsonify(_one_alert(alert))


@bp.post("/collisions/<int:alert_id>/ruling")
def rule_collision(alert_id: int):
    """A coordinator's ruling on a collision alert, at the version read."""
    alert = _load(CollisionAlert, alert_id)
    access.require_visible_collision(current_user, alert)
    data, version = versioned_body()
    services.rule_collision(alert, {**data, "version": version}, current_user)
    return committed(_one_alert, alert)
