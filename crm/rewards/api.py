"""/api/v1: reward rules and eligibility, reward lists (finalize: managers), referrals CRUD."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from crm.api.openapi import PAGE_PARAMETERS
from crm.api.util import columns_dict, json_body, jsonable, paginate
from crm.core.access import load_or_404, require_write
from crm.core.db import db
from crm.core.errors import ServiceError, problem
from crm.projects.confidential import name_for
from crm.projects.models import Project
from crm.rewards import services
from crm.rewards.models import REFERRAL_STATUSES, Referral, RewardList, RewardRule
from crm.util.dates import parse_user_date

LINE_FIELDS = (
    "project_id",
    "project_name",
    "referral_id",
    "referrer_name",
    "referrer_kind",
    "is_public_official",
    "signed_on",
    "referral_registered_on",
    "milestone_reached_on",
    "eligible",
    "reason_code",
    "reason",
    "basis_wan",
    "rates",
    "arithmetic",
    "reward_wan",
    "capped",
)

rules_bp = Blueprint("rewards_rules_api", __name__, url_prefix="/api/v1/reward-rules")
lists_bp = Blueprint("rewards_lists_api", __name__, url_prefix="/api/v1/reward-lists")
referrals_bp = Blueprint("rewards_referrals_api", __name__, url_prefix="/api/v1/referrals")


def line_json(line) -> dict:
    data = {key: jsonable(getattr(line, key)) for key in LINE_FIELDS}
    data["project_name"] = name_for(line.project_ref, current_user)
    return data


def list_json(reward_list: RewardList, with_lines: bool = True) -> dict:
    data = columns_dict(reward_list)
    if with_lines:
        data["eligible"] = [line_json(line) for line in reward_list.eligible_lines]
        data["ineligible"] = [line_json(line) for line in reward_list.ineligible_lines]
    return data


def _require_manager() -> None:
    if not current_user.has_role("manager"):
        abort(403)


# ---- rules -----------------------------------------------------------------------------------


@rules_bp.route("")
def list_rules():
    statement = select(RewardRule).order_by(RewardRule.year.desc(), RewardRule.id)
    if request.args.get("current") in ("1", "true"):
        statement = statement.where(RewardRule.superseded_by_id.is_(None))
    return paginate(statement, columns_dict)


@rules_bp.route("/<int:rule_id>")
def get_rule(rule_id: int):
    return jsonify(columns_dict(load_or_404(RewardRule, rule_id)))


@rules_bp.route("/<int:rule_id>/eligibility")
def rule_eligibility(rule_id: int):
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


# ---- lists -----------------------------------------------------------------------------------


@lists_bp.route("")
def list_lists():
    statement = select(RewardList).order_by(RewardList.id.desc())
    if request.args.get("status") in ("draft", "finalized"):
        statement = statement.where(RewardList.status == request.args["status"])
    return paginate(statement, lambda lst: list_json(lst, with_lines=False))


def _int_field(body: dict, key: str) -> int:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ServiceError(f"{key} 必须是整数", {key: ["必须是整数"]})
    return value


@lists_bp.route("", methods=["POST"])
def create_list():
    require_write()
    body = json_body()
    rule = load_or_404(RewardRule, _int_field(body, "rule_id"))
    period, title = body.get("period"), body.get("title")
    if not isinstance(period, str):
        raise ServiceError("period 必须是文本，如 2025Q4", {"period": ["必须是文本，如 2025Q4"]})
    if title is not None and not isinstance(title, str):
        raise ServiceError("title 必须是文本", {"title": ["必须是文本"]})
    reward_list = services.create_list(rule, period, title)
    db.session.commit()
    return jsonify(list_json(reward_list)), 201


@lists_bp.route("/<int:list_id>")
def get_list(list_id: int):
    return jsonify(list_json(load_or_404(RewardList, list_id)))


@lists_bp.route("/<int:list_id>/finalize", methods=["POST"])
def finalize_list(list_id: int):
    reward_list = load_or_404(RewardList, list_id)
    _require_manager()
    require_write(reward_list)
    body = request.get_json(silent=True) or {}
    version = body.get("version") if isinstance(body, dict) else None
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise ServiceError("version 必须是整数", {"version": ["必须是整数"]})
    services.finalize_list(reward_list, version)
    db.session.commit()
    return jsonify(list_json(reward_list))


# ---- referrals -------------------------------------------------------------------------------


def referral_json(referral: Referral) -> dict:
    data = columns_dict(referral)
    data["project_name"] = referral.project.name_for(current_user)
    data["registered_after_signing"] = referral.registered_late()
    return data


def _referral_values(body: dict, partial_of: Referral | None = None) -> dict:
    """Type-check the JSON body; missing keys keep the record's values on PATCH."""
    errors: dict[str, list[str]] = {}
    values = {}
    for key in services.REFERRAL_FIELDS:
        if key not in body:
            values[key] = getattr(partial_of, key) if partial_of is not None else None
            continue
        value = body[key]
        if key in ("is_public_official", "investor_confirmed"):
            if not isinstance(value, bool):
                errors[key] = ["必须是 true 或 false"]
        elif key in ("registered_on", "investor_confirmed_on"):
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
    # referral_json shows the project's name and signing date: load them with the page.
    statement = select(Referral).options(joinedload(Referral.project)).order_by(Referral.id)
    if request.args.get("status") in REFERRAL_STATUSES:
        statement = statement.where(Referral.status == request.args["status"])
    if request.args.get("project_id", "").isdigit():
        statement = statement.where(Referral.project_id == int(request.args["project_id"]))
    return paginate(statement, referral_json)


@referrals_bp.route("", methods=["POST"])
def create_referral():
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
    return jsonify(referral_json(load_or_404(Referral, referral_id)))


@referrals_bp.route("/<int:referral_id>", methods=["PATCH"])
def update_referral(referral_id: int):
    referral = load_or_404(Referral, referral_id)
    require_write(referral)
    body = json_body()
    if "version" not in body:
        raise ServiceError("更新须带上记录的 version", {"version": ["必填"]})
    version = _int_field(body, "version")
    services.update_referral(referral, version=version, **_referral_values(body, partial_of=referral))
    db.session.commit()
    return jsonify(referral_json(referral))


@referrals_bp.route("/<int:referral_id>", methods=["DELETE"])
def delete_referral(referral_id: int):
    referral = load_or_404(Referral, referral_id)
    _require_manager()
    require_write(referral)
    services.delete_referral(referral)
    db.session.commit()
    return "", 204


@referrals_bp.route("/<int:referral_id>/resolve", methods=["POST"])
def resolve_referral(referral_id: int):
    claim = load_or_404(Referral, referral_id)
    _require_manager()
    require_write(claim)
    body = json_body()
    services.resolve_dispute(
        claim, body.get("action"), body.get("note") if isinstance(body.get("note"), str) else None
    )
    db.session.commit()
    return jsonify(referral_json(claim))


def _op(summary, ok="200", schema=None, params=(), body=None, extra=("404",)):
    operation = {
        "summary": summary,
        "responses": {
            ok: {
                "description": "OK",
                **({"content": {"application/json": {"schema": schema}}} if schema else {}),
            },
            **{code: {"$ref": "#/components/responses/Problem"} for code in ("401", *extra)},
        },
    }
    if params:
        operation["parameters"] = list(params)
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return operation


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _page(name):
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": _ref(name)},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
        },
    }


_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
_PERIOD = {
    "name": "period",
    "in": "query",
    "required": True,
    "schema": {"type": "string", "minLength": 1},
    "description": "2025, 2025Q4, 2025-03 or 2025-01-01..2025-06-30",
}
_MONEY = {"type": ["string", "null"], "description": "万元 as a decimal string"}

OPENAPI_PATHS = {
    "/reward-rules": {
        "get": _op(
            "Reward rules (奖励办法), every version", schema=_page("RewardRule"), params=PAGE_PARAMETERS
        )
    },
    "/reward-rules/{id}": {"get": _op("One reward rule", schema=_ref("RewardRule"), params=[_ID])},
    "/reward-rules/{id}/eligibility": {
        "get": _op(
            "Who is eligible under the rule in a period, with arithmetic and reasons",
            schema=_ref("Eligibility"),
            params=[_ID, _PERIOD],
            extra=("404", "422"),
        )
    },
    "/reward-lists": {
        "get": _op(
            "Reward lists (奖励名单), without lines", schema=_page("RewardList"), params=PAGE_PARAMETERS
        ),
        "post": _op(
            "Compute a draft list for a rule and period",
            ok="201",
            schema=_ref("RewardList"),
            body={
                "type": "object",
                "required": ["rule_id", "period"],
                "properties": {
                    "rule_id": {"type": "integer"},
                    "period": {"type": "string", "minLength": 1},
                    "title": {"type": ["string", "null"]},
                },
            },
            extra=("400", "403", "404", "422"),
        ),
    },
    "/reward-lists/{id}": {
        "get": _op("A list with its eligible and ineligible lines", schema=_ref("RewardList"), params=[_ID])
    },
    "/reward-lists/{id}/finalize": {
        "post": _op(
            "Finalize a draft (managers only); the list never changes afterwards",
            schema=_ref("RewardList"),
            params=[_ID],
            extra=("403", "404", "409", "422"),
        )
    },
    "/referrals": {
        "get": _op(
            "Referrals (引荐备案); filter by status or project_id",
            schema=_page("Referral"),
            params=PAGE_PARAMETERS,
        ),
        "post": _op(
            "Register a referral; a second claim on a project answers 409 and is kept as disputed",
            ok="201",
            schema=_ref("Referral"),
            body=_ref("ReferralInput"),
            extra=("400", "403", "404", "409", "422"),
        ),
    },
    "/referrals/{id}": {
        "get": _op("One referral", schema=_ref("Referral"), params=[_ID]),
        "patch": _op(
            "Change a referral (carry its version)",
            schema=_ref("Referral"),
            params=[_ID],
            body=_ref("ReferralPatch"),
            extra=("400", "403", "404", "409", "422"),
        ),
        "delete": _op(
            "Delete a referral not used by a finalized list (managers only)",
            ok="204",
            params=[_ID],
            extra=("403", "404", "422"),
        ),
    },
    "/referrals/{id}/resolve": {
        "post": _op(
            "Resolve a disputed claim: keep the existing referral or replace it (managers only)",
            schema=_ref("Referral"),
            params=[_ID],
            body={
                "type": "object",
                "required": ["action"],
                "properties": {"action": {"enum": ["keep", "replace"]}, "note": {"type": "string"}},
            },
            extra=("403", "404", "422"),
        )
    },
}

_LINE = {
    "type": "object",
    "properties": {
        "project_id": {"type": ["integer", "null"]},
        "project_name": {"type": "string"},
        "referral_id": {"type": ["integer", "null"]},
        "referrer_name": {"type": ["string", "null"]},
        "referrer_kind": {"type": ["string", "null"]},
        "is_public_official": {"type": "boolean"},
        "signed_on": {"type": ["string", "null"], "format": "date"},
        "referral_registered_on": {"type": ["string", "null"], "format": "date"},
        "milestone_reached_on": {"type": "string", "format": "date"},
        "eligible": {"type": "boolean"},
        "reason_code": {
            "type": ["string", "null"],
            "enum": [
                None,
                "no_referral",
                "late_registration",
                "not_confirmed",
                "public_official",
                "already_rewarded",
                "zero_basis",
            ],
        },
        "reason": {"type": ["string", "null"]},
        "basis_wan": _MONEY,
        "rates": {"type": ["string", "null"]},
        "arithmetic": {"type": ["string", "null"]},
        "reward_wan": _MONEY,
        "capped": {"type": "boolean"},
    },
}
_TIERS = {
    "type": "array",
    "items": {"type": "object", "properties": {"upper_wan": _MONEY, "rate_permille": {"type": "string"}}},
}
_REFERRAL_PROPS = {
    "project_id": {"type": "integer"},
    "referrer_name": {"type": "string", "minLength": 1},
    "referrer_kind": {"enum": ["individual", "unit", "intermediary"]},
    "is_public_official": {"type": "boolean"},
    "contact": {"type": ["string", "null"]},
    "registered_on": {"type": "string", "format": "date"},
    "investor_confirmed": {"type": "boolean"},
    "investor_confirmed_on": {"type": ["string", "null"], "format": "date"},
    "confirmation_evidence": {"type": ["string", "null"]},
    "note": {"type": ["string", "null"]},
}

OPENAPI_SCHEMAS = {
    "RewardRule": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "county_id": {"type": "integer"},
            "name": {"type": "string"},
            "year": {"type": "integer"},
            "basis": {"enum": ["funds_in_place", "fixed_asset_investment", "planned_investment"]},
            "milestone": {"type": "string"},
            "mode": {"enum": ["bracket", "progressive"]},
            "tiers": _TIERS,
            "cap_wan": _MONEY,
            "exclude_public_officials": {"type": "boolean"},
            "rule_version": {"type": "integer"},
            "lineage_id": {"type": ["integer", "null"]},
            "superseded_by_id": {"type": ["integer", "null"]},
            "note": {"type": ["string", "null"]},
            "version": {"type": "integer"},
        },
    },
    "RewardLine": _LINE,
    "Eligibility": {
        "type": "object",
        "properties": {
            "rule": _ref("RewardRule"),
            "period": {
                "type": "object",
                "properties": {
                    "text": {"type": "string"},
                    "start": {"type": "string"},
                    "end": {"type": "string"},
                },
            },
            "eligible": {"type": "array", "items": _ref("RewardLine")},
            "ineligible": {"type": "array", "items": _ref("RewardLine")},
            "total_reward_wan": _MONEY,
        },
    },
    "RewardList": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "rule_id": {"type": "integer"},
            "title": {"type": "string"},
            "status": {"enum": ["draft", "finalized"]},
            "period_text": {"type": "string"},
            "period_start": {"type": "string", "format": "date"},
            "period_end": {"type": "string", "format": "date"},
            "rule_name": {"type": "string"},
            "rule_version": {"type": "integer"},
            "basis": {"type": "string"},
            "milestone": {"type": "string"},
            "mode": {"type": "string"},
            "tiers": _TIERS,
            "cap_wan": _MONEY,
            "total_reward_wan": _MONEY,
            "computed_at": {"type": "string", "format": "date-time"},
            "finalized_at": {"type": ["string", "null"], "format": "date-time"},
            "version": {"type": "integer"},
            "eligible": {"type": "array", "items": _ref("RewardLine")},
            "ineligible": {"type": "array", "items": _ref("RewardLine")},
        },
    },
    "ReferralInput": {
        "type": "object",
        "properties": _REFERRAL_PROPS,
        "required": ["project_id", "referrer_name", "referrer_kind", "registered_on"],
    },
    # A change carries the version it was made on; the project stays the one registered.
    "ReferralPatch": {
        "type": "object",
        "required": ["version"],
        "properties": {
            **{k: v for k, v in _REFERRAL_PROPS.items() if k != "project_id"},
            "version": {"type": "integer"},
        },
    },
    "Referral": {
        "type": "object",
        "properties": {
            **_REFERRAL_PROPS,
            "id": {"type": "integer"},
            "county_id": {"type": "integer"},
            "status": {"enum": list(REFERRAL_STATUSES)},
            "project_name": {"type": "string"},
            "registered_after_signing": {"type": "boolean"},
            "version": {"type": "integer"},
        },
    },
}


def init_api(app) -> None:
    from crm.api.openapi import register_paths

    for bp in (rules_bp, lists_bp, referrals_bp):
        app.register_blueprint(bp)
        app.extensions["csrf"].exempt(bp)
    register_paths("rewards", OPENAPI_PATHS, OPENAPI_SCHEMAS)
