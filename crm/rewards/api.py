"""/api/v1: reward rules and eligibility, reward lists (finalize: managers), referrals CRUD."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from crm.api import mount
from crm.api.handlers import committed, deleted, saved_at_version, versioned_body
from crm.api.util import columns_dict, json_body, jsonable, paginate, version_from
from crm.core.access import load_or_404, require_write, writable
from crm.core.db import db
from crm.core.errors import ServiceError, problem
from crm.core.parsing import record_id_or_none
from crm.projects.confidential import name_for
from crm.projects.models import Project
from crm.rewards import publicity, services
from crm.rewards.discrepancies import discrepancies
from crm.rewards.models import (
    LIST_STATUSES,
    REFERRAL_STATUSES,
    Referral,
    RewardList,
    RewardObjection,
    RewardRule,
)
from crm.util.dates import parse_user_date

rules_bp = Blueprint("rewards_rules_api", __name__, url_prefix="/api/v1/reward-rules")
lists_bp = Blueprint("rewards_lists_api", __name__, url_prefix="/api/v1/reward-lists")
referrals_bp = Blueprint("rewards_referrals_api", __name__, url_prefix="/api/v1/referrals")
objections_bp = Blueprint("rewards_objections_api", __name__, url_prefix="/api/v1/reward-objections")


def line_json(line) -> dict:
    """A line of a list or of a computed eligibility; a saved line carries its ``id``, which
    an objection names."""
    data = {key: jsonable(getattr(line, key)) for key in services.LINE_FIELDS}
    data["project_name"] = name_for(line.project_ref, current_user)
    if getattr(line, "id", None) is not None:
        data["id"] = line.id
    return data


def list_json(reward_list: RewardList, with_lines: bool = True) -> dict:
    data = columns_dict(reward_list)
    if with_lines:
        data["eligible"] = [line_json(line) for line in reward_list.eligible_lines]
        data["ineligible"] = [line_json(line) for line in reward_list.ineligible_lines]
        data["discrepancies"] = [
            {
                "project_id": d.line.project_id,
                "project_name": name_for(d.project_ref, current_user),
                "recorded_on": d.recorded_on.isoformat(),
                "current_on": d.current_on.isoformat() if d.current_on else None,
                "in_period": d.in_period,
            }
            for d in discrepancies(reward_list)
        ]
        data["objections"] = [objection_json(o) for o in reward_list.objections]
    return data


def objection_json(objection: RewardObjection) -> dict:
    data = columns_dict(objection)
    data["project_name"] = name_for(objection.line.project_ref, current_user)
    return data


def _require_manager() -> None:
    if not current_user.has_role("manager"):
        abort(403)


def _managed(model, record_id: int):
    """The ``model`` record a manager changes: 404 when the caller cannot read it, else 403
    unless the caller is a manager who may write it."""
    record = load_or_404(model, record_id)
    _require_manager()
    require_write(record)
    return record


# ---- rules -----------------------------------------------------------------------------------


@rules_bp.route("")
def list_rules():
    """One page of the reward rules, newest year first; ``current=1`` leaves out superseded versions."""
    statement = select(RewardRule).order_by(RewardRule.year.desc(), RewardRule.id)
    if request.args.get("current") in ("1", "true"):
        statement = statement.where(RewardRule.superseded_by_id.is_(None))
    return paginate(statement, columns_dict)


@rules_bp.route("/<int:rule_id>")
def get_rule(rule_id: int):
    """One reward rule with its conditions and rates."""
    return jsonify(columns_dict(load_or_404(RewardRule, rule_id)))


@rules_bp.route("/<int:rule_id>/eligibility")
def rule_eligibility(rule_id: int):
    """Who is eligible under a rule for a period, with each line's reasons and arithmetic."""
    rule = load_or_404(RewardRule, rule_id)
    result = services.eligibility(rule, request.args.get("period", ""))
    return jsonify(
        {
            "rule": columns_dict(rule),
            "period": {
                "text": result.period_text,
                "start": result.period_start.isoformat(),
                "end": result.period_end.isoformat(),
            },
            "eligible": [line_json(line) for line in result.eligible_lines],
            "ineligible": [line_json(line) for line in result.ineligible_lines],
            "total_reward_wan": str(result.total_reward_wan),
        }
    )


# What each field of a rule may be in JSON; the service checks the values themselves.
NUMBER_TEXT = (str, int, float)
RULE_TYPES = {
    "name": (str,),
    "year": (int,),
    "basis": (str,),
    "milestone": (str,),
    "mode": (str,),
    "tiers": (list,),
    "cap_wan": (*NUMBER_TEXT, type(None)),
    "exclude_public_officials": (bool,),
    "note": (str, type(None)),
    "min_planned_investment_wan": (*NUMBER_TEXT, type(None)),
    "min_fixed_asset_percent": (*NUMBER_TEXT, type(None)),
    "min_outside_city_percent": (*NUMBER_TEXT, type(None)),
    "new_entity_only": (bool,),
    "industries": (list,),
    "exclude_public_institution_staff": (bool,),
    "exclude_investor_related": (bool,),
    "application_days": (int, type(None)),
}


def _rule_values(body: dict, stored: RewardRule | None = None) -> dict:
    """Type-check a rule's JSON; keys left out keep the stored rule's values (PATCH)."""
    errors: dict[str, list[str]] = {}
    values = {}
    for key in services.RULE_FIELDS:
        if key not in body:
            values[key] = getattr(stored, key) if stored is not None else None
            continue
        value = body[key]
        allowed = RULE_TYPES[key]
        if (isinstance(value, bool) and bool not in allowed) or not isinstance(value, allowed):
            errors[key] = ["类型有误"]
        values[key] = value
    if errors:
        raise ServiceError("请求中的字段类型有误", errors)
    return values


@rules_bp.route("", methods=["POST"])
def create_rule():
    """Add a reward rule (managers)."""
    _require_manager()
    require_write()
    rule = services.create_rule(**_rule_values(json_body()))
    return committed(columns_dict, rule, status=201)


@rules_bp.route("/<int:rule_id>", methods=["PATCH"])
def update_rule(rule_id: int):
    """Change a rule; one a finalized list used answers its new version."""
    rule = _managed(RewardRule, rule_id)
    body, version = versioned_body()
    values = _rule_values(body, stored=rule)
    return saved_at_version(lambda: services.update_rule(rule, version=version, **values), columns_dict)


# ---- lists -----------------------------------------------------------------------------------


@lists_bp.route("")
def list_lists():
    """One page of the reward lists, newest first."""
    statement = select(RewardList).order_by(RewardList.id.desc())
    if request.args.get("status") in LIST_STATUSES:
        statement = statement.where(RewardList.status == request.args["status"])
    return paginate(statement, lambda lst: list_json(lst, with_lines=False))


def _int_field(body: dict, key: str) -> int:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ServiceError(f"{key} 必须是整数", {key: ["必须是整数"]})
    return value


@lists_bp.route("", methods=["POST"])
def create_list():
    """Draft a reward list from a rule's eligibility for a period."""
    require_write()
    body = json_body()
    rule = load_or_404(RewardRule, _int_field(body, "rule_id"))
    period, title = body.get("period"), body.get("title")
    if not isinstance(period, str):
        raise ServiceError("period 必须是文本，如 2025Q4", {"period": ["必须是文本，如 2025Q4"]})
    if title is not None and not isinstance(title, str):
        raise ServiceError("title 必须是文本", {"title": ["必须是文本"]})
    reward_list = services.create_list(rule, period, title)
    return committed(list_json, reward_list, status=201)


@lists_bp.route("/<int:list_id>")
def get_list(list_id: int):
    """One reward list with its lines."""
    return jsonify(list_json(load_or_404(RewardList, list_id)))


@lists_bp.route("/<int:list_id>/finalize", methods=["POST"])
def finalize_list(list_id: int):
    """Finalize a drafted list: its lines and the rule version it used are fixed."""
    reward_list = _managed(RewardList, list_id)
    body = request.get_json(silent=True)
    services.finalize_list(reward_list, version_from(body if isinstance(body, dict) else None, required=True))
    return committed(list_json, reward_list)


def _date_field(body: dict, key: str, errors: dict):
    value = body.get(key)
    if value is None:
        return None
    try:
        return parse_user_date(value if isinstance(value, str) else "")
    except ValueError as exc:
        errors[key] = [str(exc)]
        return None


def _text(body: dict, key: str):
    value = body.get(key)
    return value if isinstance(value, str) else None


@lists_bp.route("/<int:list_id>/publish", methods=["POST"])
def publish_list(list_id: int):
    """Publish a finalized list for its publicity period (公示)."""
    reward_list = _managed(RewardList, list_id)
    body = json_body()
    errors: dict[str, list[str]] = {}
    start, end = _date_field(body, "notice_start", errors), _date_field(body, "notice_end", errors)
    if errors:
        raise ServiceError("请求中的字段类型有误", errors)
    publicity.publish_list(reward_list, start, end, version_from(body, required=True))
    return committed(list_json, reward_list)


@lists_bp.route("/<int:list_id>/objections", methods=["POST"])
def create_objection(list_id: int):
    """Record an objection to a published list during its publicity period."""
    reward_list = writable(RewardList, list_id)
    body = json_body()
    errors: dict[str, list[str]] = {}
    received_on = _date_field(body, "received_on", errors)
    if errors:
        raise ServiceError("请求中的字段类型有误", errors)
    objection = publicity.record_objection(
        reward_list,
        line_id=body.get("line_id"),
        objector=_text(body, "objector"),
        objector_contact=_text(body, "objector_contact"),
        received_on=received_on,
        content=_text(body, "content"),
    )
    return committed(objection_json, objection, status=201)


@objections_bp.route("/<int:objection_id>/resolve", methods=["POST"])
def resolve_objection(objection_id: int):
    """Decide an objection (upheld or dismissed) with the manager's note."""
    objection = _managed(RewardObjection, objection_id)
    body, version = versioned_body()
    publicity.resolve_objection(objection, body.get("decision"), _text(body, "outcome"), version)
    return committed(objection_json, objection)


# ---- referrals -------------------------------------------------------------------------------


def referral_json(referral: Referral) -> dict:
    data = columns_dict(referral)
    data["co_referrers"] = [co_referrer_values(person) for person in referral.co_referrers]
    data["project_name"] = name_for(referral.project, current_user)
    data["registered_after_signing"] = referral.registered_late()
    return data


BOOLEAN_FIELDS = (
    "is_public_official",
    "is_public_institution_staff",
    "is_investor_related",
    "investor_confirmed",
)


def co_referrer_values(person) -> dict:
    return {
        "referrer_name": person.referrer_name,
        "referrer_kind": person.referrer_kind,
        "share_percent": jsonable(person.share_percent),
        "is_public_official": person.is_public_official,
        "is_public_institution_staff": person.is_public_institution_staff,
        "is_investor_related": person.is_investor_related,
    }


def _stored_value(referral: Referral | None, key: str):
    """What a PATCH that leaves ``key`` out keeps."""
    if referral is None:
        return None
    if key == "co_referrers":
        return [co_referrer_values(person) for person in referral.co_referrers]
    return getattr(referral, key)


def _referral_values(body: dict, partial_of: Referral | None = None) -> dict:
    """Type-check the JSON body; missing keys keep the record's values on PATCH."""
    errors: dict[str, list[str]] = {}
    values = {}
    for key in services.REFERRAL_FIELDS:
        if key not in body:
            values[key] = _stored_value(partial_of, key)
            continue
        value = body[key]
        if key in BOOLEAN_FIELDS:
            if not isinstance(value, bool):
                errors[key] = ["必须是 true 或 false"]
        elif key == "co_referrers":
            if not isinstance(value, list):
                errors[key] = ["必须是列表"]
        elif key == "share_percent":
            if value is not None and (isinstance(value, bool) or not isinstance(value, str | int | float)):
                errors[key] = ["必须是数字或文本"]
        elif key in ("registered_on", "investor_confirmed_on", "applied_on"):
            if value is not None:
                try:
                    value = parse_user_date(value if isinstance(value, str) else "")
                except ValueError as exc:
                    errors[key] = [str(exc)]
        elif value is not None and not isinstance(value, str):
            errors[key] = ["必须是文本"]
        values[key] = value
    if errors:
        raise ServiceError("请求中的字段类型有误", errors)
    return values


@referrals_bp.route("")
def list_referrals():
    """One page of the referrals the caller reads, ordered by project name."""
    # referral_json shows the project's name and signing date: load them with the page.
    statement = (
        select(Referral)
        .options(joinedload(Referral.project), selectinload(Referral.co_referrers))
        .order_by(Referral.id)
    )
    if request.args.get("status") in REFERRAL_STATUSES:
        statement = statement.where(Referral.status == request.args["status"])
    if request.args.get("project_id"):
        project_id = record_id_or_none(request.args["project_id"]) or 0  # no project has id 0
        statement = statement.where(Referral.project_id == project_id)
    return paginate(statement, referral_json)


@referrals_bp.route("", methods=["POST"])
def create_referral():
    """Register who brought a project in; a second claim on it opens a dispute."""
    require_write()
    body = json_body()
    project = load_or_404(Project, _int_field(body, "project_id"))
    referral, refused = services.register_referral(project, **_referral_values(body))
    db.session.commit()
    if refused:
        # The claim is kept (as disputed) for the manager; the caller learns it was not accepted.
        return problem(
            409,
            "Conflict",
            "该项目已有有效的引荐备案，本次登记未被采纳，已列入引荐争议待局长处理",
            referral=referral_json(referral),
        )
    return jsonify(referral_json(referral)), 201


@referrals_bp.route("/<int:referral_id>")
def get_referral(referral_id: int):
    """One referral the caller reads."""
    return jsonify(referral_json(load_or_404(Referral, referral_id)))


@referrals_bp.route("/<int:referral_id>", methods=["PATCH"])
def update_referral(referral_id: int):
    """Change a referral; the body's ``version`` must be the stored one (409 if not)."""
    referral = writable(Referral, referral_id)
    body, version = versioned_body()
    values = _referral_values(body, partial_of=referral)
    return saved_at_version(
        lambda: services.update_referral(referral, version=version, **values), referral_json
    )


@referrals_bp.route("/<int:referral_id>", methods=["DELETE"])
def delete_referral(referral_id: int):
    """Remove a referral at the version the caller read."""
    referral = _managed(Referral, referral_id)
    return deleted(lambda: services.delete_referral(referral))


@referrals_bp.route("/<int:referral_id>/resolve", methods=["POST"])
def resolve_referral(referral_id: int):
    """Decide a disputed claim: the claimant's or the registered referral stands."""
    claim = _managed(Referral, referral_id)
    body = json_body()
    services.resolve_dispute(
        claim, body.get("action"), body.get("note") if isinstance(body.get("note"), str) else None
    )
    return committed(referral_json, claim)


def init_api(app) -> None:
    for bp in (rules_bp, lists_bp, referrals_bp, objections_bp):
        mount(app, bp)
