"""OpenAPI paths and schemas of the commitments API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from crm.api.openapi import (
    DATE,
    DATE_OR_NULL,
    ID_OR_NULL,
    MONEY,
    MONEY_OR_NULL,
    PAGE_PARAMETERS,
    PROBLEM,
    TEXT_OR_NULL,
    TIMESTAMP,
    TIMESTAMP_OR_NULL,
)
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
    POLICY_KINDS,
    REVIEW_CONCLUSIONS,
    REVIEW_KINDS,
)
from crm.commitments.risk import RISK_FLAGS

ERRORS = {code: PROBLEM for code in ("400", "401", "403", "404", "422")}
# What requests may send (``crm.commitments.api.Input``): text or null, amounts as decimal
# text or numbers, dates as YYYY-MM-DD or null.
TEXT_IN = {"type": ["string", "null"]}
MONEY_IN = {"type": ["string", "number", "null"], "description": "万元, decimal text or number"}
NUMBER_IN = {"type": ["string", "number", "null"], "description": "a number, or its decimal text"}
DATE_IN = {"type": ["string", "null"], "format": "date"}
VERSION = {"type": "integer", "description": "the version the change was made on; a stale one answers 409"}
# An approval above the policy's cap rests on a collective decision (issue 14 item 11).
DECISION_IN = {
    "decision_meeting": {**TEXT_IN, "description": "above the cap: the meeting, e.g. 县政府第12次常务会议"},
    "decision_held_on": {**DATE_IN, "description": "above the cap: the meeting's date, not after today"},
    "decision_minute_no": {**TEXT_IN, "description": "above the cap: the minute number (纪要号)"},
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _ok(name: str, code: str = "200", description: str = "OK") -> dict:
    return {code: {"description": description, **_json(_ref(name))}, **ERRORS}


def _list(name: str) -> dict:
    return {
        "200": {
            "description": "Page of items",
            **_json(
                {
                    "type": "object",
                    "properties": {
                        "items": {"type": "array", "items": _ref(name)},
                        "total": {"type": "integer"},
                        "page": {"type": "integer"},
                        "per_page": {"type": "integer"},
                    },
                }
            ),
        },
        **ERRORS,
    }


def _body(name: str) -> dict:
    return {"required": True, **_json(_ref(name))}


def _object(properties: dict, required: tuple[str, ...] = (), closed: bool = False) -> dict:
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if closed:  # the endpoint refuses fields it does not change (422)
        schema["additionalProperties"] = False
    return schema


ID = lambda name: {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}  # noqa: E731
CONFLICT = {"409": PROBLEM}

PATHS = {
    "/policies": {
        "get": {
            "summary": "Policies visible to the caller (own county's and province/city-wide)",
            "parameters": [
                {"name": "kind", "in": "query", "schema": {"enum": list(POLICY_KINDS)}},
                *PAGE_PARAMETERS,
            ],
            "responses": _list("Policy"),
        },
        "post": {
            "summary": "Publish a policy (manager: own county; admin: province/city, give region_code)",
            "requestBody": _body("PolicyInput"),
            "responses": _ok("Policy", "201", "Created"),
        },
    },
    "/policies/{policy_id}": {
        "parameters": [ID("policy_id")],
        "get": {"summary": "One policy", "responses": _ok("Policy")},
        "patch": {
            "summary": "Change a policy (version required)",
            "requestBody": _body("PolicyPatch"),
            "responses": {**_ok("Policy"), **CONFLICT},
        },
    },
    "/commitments": {
        "get": {
            "summary": "County-wide commitment register with figures",
            "parameters": [
                {"name": "status", "in": "query", "schema": {"enum": list(COMMITMENT_STATUSES)}},
                {
                    "name": "due_within",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 0, "maximum": 3660},
                    "description": "days from today",
                },
                {"name": "overdue", "in": "query", "schema": {"type": "boolean"}},
                {"name": "policy_kind", "in": "query", "schema": {"enum": list(POLICY_KINDS)}},
                *PAGE_PARAMETERS,
            ],
            "responses": _list("Commitment"),
        },
    },
    "/projects/{project_id}/commitments": {
        "parameters": [ID("project_id")],
        "get": {
            "summary": "A project's commitments",
            "parameters": PAGE_PARAMETERS,
            "responses": _list("Commitment"),
        },
        "post": {
            "summary": "Draft a commitment",
            "requestBody": _body("CommitmentInput"),
            "responses": _ok("Commitment", "201", "Created"),
        },
    },
    "/commitments/{commitment_id}": {
        "parameters": [ID("commitment_id")],
        "get": {
            "summary": "One commitment with its fulfillments and decisions (newest first)",
            "responses": _ok("Commitment"),
        },
        "patch": {
            "summary": "Change a draft (version required; stale → 409)",
            "requestBody": _body("CommitmentPatch"),
            "responses": {**_ok("Commitment"), **CONFLICT},
        },
    },
    "/commitments/{commitment_id}/approve": {
        "parameters": [ID("commitment_id")],
        "post": {
            "summary": "Approval by a manager other than the drafter: both reviews on record and passed, "
            "a legal basis for a risk-flagged clause, above the cap a collective decision",
            "requestBody": {
                "required": False,
                **_json(_object({**DECISION_IN, "version": VERSION})),
            },
            "responses": {**_ok("Commitment"), **CONFLICT},
        },
    },
    "/policies/{policy_id}/withdraw": {
        "parameters": [ID("policy_id")],
        "post": {
            "summary": "Withdraw (废止) a policy; its live commitments go to the 存量清理 list",
            "requestBody": {
                "required": True,
                **_json(
                    _object(
                        {
                            "withdrawn_on": DATE,
                            "document": {"type": "string", "minLength": 1, "maxLength": 100},
                            "reason": {"type": "string", "minLength": 1},
                            "version": VERSION,
                        },
                        required=("withdrawn_on", "document", "reason"),
                    )
                ),
            },
            "responses": {**_ok("Policy"), **CONFLICT},
        },
    },
    "/commitments/cleanup": {
        "get": {
            "summary": "The 存量清理 list: live commitments whose policy was withdrawn or failed its review",
            "responses": {
                "200": {
                    "description": "Every listed commitment, oldest cause first",
                    **_json(
                        {
                            "type": "object",
                            "properties": {
                                "items": {"type": "array", "items": _ref("Commitment")},
                                "total": {"type": "integer"},
                            },
                        }
                    ),
                },
                **ERRORS,
            },
        },
    },
    "/commitments/{commitment_id}/cleanup": {
        "parameters": [ID("commitment_id")],
        "post": {
            "summary": "A manager continues (on a collective decision) or revokes a listed commitment",
            "requestBody": {
                "required": True,
                **_json(
                    _object(
                        {
                            "resolution": {"enum": list(CLEANUP_RESOLUTIONS)},
                            "note": {"type": "string", "minLength": 1},
                            **DECISION_IN,
                            "version": VERSION,
                        },
                        required=("resolution", "note"),
                    )
                ),
            },
            "responses": {**_ok("Commitment"), **CONFLICT},
        },
    },
    "/commitments/{commitment_id}/obligations": {
        "parameters": [ID("commitment_id")],
        "post": {
            "summary": "Set (replace) the investor obligations the commitment's payment depends on (政企双兑现)",
            "requestBody": {
                "required": True,
                **_json(
                    _object(
                        {
                            "obligation_ids": {"type": "array", "items": {"type": "integer"}},
                            "version": VERSION,
                        },
                        required=("obligation_ids",),
                    )
                ),
            },
            "responses": {**_ok("Commitment"), **CONFLICT},
        },
    },
    "/commitments/{commitment_id}/reviews": {
        "parameters": [ID("commitment_id")],
        "post": {
            "summary": "Record a 公平竞争审查 or 合法性审核（司法局） of a draft (staff or manager)",
            "requestBody": _body("ReviewInput"),
            "responses": {**_ok("CommitmentReview", "201", "Recorded"), **CONFLICT},
        },
    },
    "/commitments/{commitment_id}/refuse": {
        "parameters": [ID("commitment_id")],
        "post": {
            "summary": "Manager refuses (驳回) a draft with a reason; it stays a draft for the staff to fix",
            "requestBody": {
                "required": True,
                **_json(
                    _object(
                        {"reason": {"type": "string", "minLength": 1}, "version": VERSION},
                        required=("reason",),
                    )
                ),
            },
            "responses": {**_ok("Commitment"), **CONFLICT},
        },
    },
    "/commitments/{commitment_id}/transitions": {
        "parameters": [ID("commitment_id")],
        "post": {
            "summary": "Manager action: suspend, resume, revoke, claw_back (note required) or approve",
            "requestBody": {
                "required": True,
                **_json(
                    _object(
                        {
                            "action": {"enum": ["approve", "suspend", "resume", "revoke", "claw_back"]},
                            "note": TEXT_IN,
                            **DECISION_IN,
                            "version": VERSION,
                        },
                        required=("action",),
                    )
                ),
            },
            "responses": {**_ok("Commitment"), **CONFLICT},
        },
    },
    "/commitments/{commitment_id}/fulfillments": {
        "parameters": [ID("commitment_id")],
        "get": {
            "summary": "Fulfillments of a commitment",
            "parameters": PAGE_PARAMETERS,
            "responses": _list("Fulfillment"),
        },
        "post": {
            "summary": "Record a fulfillment (the total never exceeds the commitment)",
            "requestBody": _body("FulfillmentInput"),
            "responses": {**_ok("Fulfillment", "201", "Created"), **CONFLICT},
        },
    },
    "/projects/{project_id}/obligations": {
        "parameters": [ID("project_id")],
        "get": {
            "summary": "The investor's obligations on a project",
            "parameters": PAGE_PARAMETERS,
            "responses": _list("Obligation"),
        },
        "post": {
            "summary": "Register an obligation",
            "requestBody": _body("ObligationInput"),
            "responses": _ok("Obligation", "201", "Created"),
        },
    },
    "/obligations/{obligation_id}": {
        "parameters": [ID("obligation_id")],
        "get": {"summary": "One obligation", "responses": _ok("Obligation")},
        "patch": {
            "summary": "Change a pending obligation (version required)",
            "requestBody": _body("ObligationPatch"),
            "responses": {**_ok("Obligation"), **CONFLICT},
        },
    },
    "/obligations/{obligation_id}/outcome": {
        "parameters": [ID("obligation_id")],
        "post": {
            "summary": "Assess: met/missed from actual_value or actual_on, or missed=true after the deadline; a missed 'withhold' suspends the project's open commitments",
            "requestBody": {
                "required": True,
                **_json(
                    _object(
                        {
                            "actual_value": NUMBER_IN,
                            "actual_on": DATE_IN,
                            "missed": {"type": "boolean"},
                            "note": TEXT_IN,
                            "version": VERSION,
                        }
                    )
                ),
            },
            "responses": {**_ok("Obligation"), **CONFLICT},
        },
    },
    "/obligations/{obligation_id}/lift": {
        "parameters": [ID("obligation_id")],
        "post": {
            "summary": "Manager lifts a withhold; suspended commitments return to their previous status",
            "requestBody": {
                "required": True,
                **_json(
                    _object(
                        {"note": {"type": "string", "minLength": 1}, "version": VERSION}, required=("note",)
                    )
                ),
            },
            "responses": {**_ok("Obligation"), **CONFLICT},
        },
    },
}

_POLICY_FIELDS = {
    "name": {"type": "string", "minLength": 1, "maxLength": 200},
    "kind": {"enum": list(POLICY_KINDS)},
    "legal_basis": {"type": "string", "minLength": 1, "maxLength": 200},
    "max_amount_wan": MONEY_IN,
    "max_ratio_pct": NUMBER_IN,
    "valid_from": DATE,
    "valid_to": DATE_IN,
    "fair_review": {"enum": list(FAIR_REVIEW_STATES)},
    "description": TEXT_IN,
}
_COMMITMENT_FIELDS = {
    "policy_id": {"type": "integer"},
    "clause": {"type": "string", "minLength": 1},
    "amount_wan": MONEY_IN,
    "conditions": TEXT_IN,
    "committed_on": DATE_IN,
    "due_on": DATE,
    "risk_legal_basis": {**TEXT_IN, "description": "required before approval when risk_flags is not empty"},
}
_OBLIGATION_FIELDS = {
    "kind": {"enum": list(OBLIGATION_KINDS)},
    "target_value": {**NUMBER_IN, "description": "required unless the kind is a date (start, production)"},
    "due_on": DATE,
    "consequence": {"enum": list(CONSEQUENCES)},
    "note": TEXT_IN,
}

SCHEMAS = {
    "PolicyInput": _object(
        {"region_code": {"type": "string", "description": "admins: the province or city"}, **_POLICY_FIELDS},
        required=("name", "kind", "legal_basis", "valid_from"),
    ),
    "PolicyPatch": _object({**_POLICY_FIELDS, "version": VERSION}, required=("version",), closed=True),
    "Policy": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "region_id": {"type": "integer"},
            "region_code": {"type": "string"},
            "region_level": {"enum": ["province", "city", "county"]},
            "name": {"type": "string"},
            "kind": {"enum": list(POLICY_KINDS)},
            "legal_basis": {"type": "string"},
            "max_amount_wan": MONEY_OR_NULL,
            "max_ratio_pct": TEXT_OR_NULL,
            "valid_from": DATE,
            "valid_to": DATE_OR_NULL,
            "fair_review": {"enum": list(FAIR_REVIEW_STATES)},
            "review_failed_at": TIMESTAMP_OR_NULL,
            "withdrawn_on": DATE_OR_NULL,
            "withdrawn_at": TIMESTAMP_OR_NULL,
            "withdrawal_document": TEXT_OR_NULL,
            "withdrawal_reason": TEXT_OR_NULL,
            "description": TEXT_OR_NULL,
            "version": {"type": "integer"},
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        },
    },
    "CommitmentInput": _object(_COMMITMENT_FIELDS, required=("policy_id", "clause", "amount_wan", "due_on")),
    "CommitmentPatch": _object(
        {**_COMMITMENT_FIELDS, "version": VERSION}, required=("version",), closed=True
    ),
    "Commitment": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "county_id": {"type": "integer"},
            "project_id": {"type": "integer"},
            "policy_id": {"type": "integer"},
            "clause": {"type": "string"},
            "amount_wan": MONEY,
            "fulfilled_wan": MONEY,
            "outstanding_wan": MONEY,
            "conditions": TEXT_OR_NULL,
            "committed_on": DATE,
            "due_on": DATE,
            "status": {"enum": list(COMMITMENT_STATUSES)},
            "overdue": {"type": "boolean"},
            "fair_review": {"enum": list(FAIR_REVIEW_STATES), "description": "from the current record"},
            "legal_review": {"enum": list(LEGAL_REVIEW_STATES), "description": "from the current record"},
            "risk_flags": {"type": "array", "items": {"enum": list(RISK_FLAGS)}},
            "risk_legal_basis": TEXT_OR_NULL,
            "cap_decision": {
                "type": ["object", "null"],
                "properties": {
                    "meeting": {"type": "string"},
                    "held_on": DATE,
                    "minute_no": {"type": "string"},
                },
            },
            "cap_decision_id": ID_OR_NULL,
            "override_reason": {**TEXT_OR_NULL, "description": "approvals before the upgrade only"},
            "status_before_suspension": TEXT_OR_NULL,
            "status_note": TEXT_OR_NULL,
            "suspended_by_obligation_id": ID_OR_NULL,
            "approved_by_id": ID_OR_NULL,
            "approved_at": TIMESTAMP_OR_NULL,
            "created_by_id": ID_OR_NULL,
            "allowed_actions": {"type": "array", "items": {"type": "string"}},
            "decisions": {
                "type": "array",
                "items": _ref("CommitmentDecision"),
                "description": "Only on a single commitment: approvals and refusals, newest first",
            },
            "reviews": {
                "type": "array",
                "items": _ref("CommitmentReview"),
                "description": "Only on a single commitment: every review record, superseded ones included",
            },
            "cleanup_cause": {
                "enum": [*CLEANUP_CAUSES, None],
                "description": "Only on the 存量清理 list: why the commitment is on it",
            },
            "cleanup_since": {**TIMESTAMP_OR_NULL, "description": "Only on the 存量清理 list"},
            "cleanup_resolutions": {
                "type": "array",
                "items": {"type": "object"},
                "description": "Only on a single commitment: the managers' 存量清理 decisions",
            },
            "obligation_ids": {
                "type": "array",
                "items": {"type": "integer"},
                "description": "Only on a single commitment: the obligations its payment depends on",
            },
            "version": {"type": "integer"},
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        },
    },
    "CommitmentDecision": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "commitment_id": {"type": "integer"},
            "decided_at": TIMESTAMP,
            "decided_by_id": ID_OR_NULL,
            "decided_by_name": TEXT_OR_NULL,
            "decision": {"enum": list(DECISIONS)},
            "reason": TEXT_OR_NULL,
            "amount_wan": MONEY,
            "collective_decision_id": ID_OR_NULL,
        },
    },
    "ReviewInput": _object(
        {
            "kind": {"enum": list(REVIEW_KINDS)},
            "reviewer": {"type": "string", "minLength": 1, "maxLength": 100},
            "reviewed_on": DATE,
            "document_no": {"type": "string", "minLength": 1, "maxLength": 100},
            "conclusion": {"enum": list(REVIEW_CONCLUSIONS)},
            "attachment_ref": TEXT_IN,
            "note": TEXT_IN,
            "version": VERSION,
        },
        required=("kind", "reviewer", "reviewed_on", "document_no", "conclusion"),
    ),
    "CommitmentReview": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "commitment_id": {"type": "integer"},
            "kind": {"enum": list(REVIEW_KINDS)},
            "reviewer": {"type": "string"},
            "reviewed_on": DATE,
            "document_no": {"type": "string"},
            "conclusion": {"enum": list(LEGAL_REVIEW_STATES)},
            "attachment_ref": TEXT_OR_NULL,
            "note": TEXT_OR_NULL,
            "migrated": {"type": "boolean", "description": "made by the upgrade from the old drop-down"},
            "superseded_at": TIMESTAMP_OR_NULL,
            "recorded_by_id": ID_OR_NULL,
            "recorded_by_name": TEXT_OR_NULL,
            "recorded_at": TIMESTAMP,
        },
    },
    "FulfillmentInput": _object(
        {
            "fulfilled_on": DATE,
            "amount_wan": MONEY_IN,
            "evidence": {"type": "string", "minLength": 1},
            "note": TEXT_IN,
            "conditions_evidence": {**TEXT_IN, "description": "how the clause's conditions were verified"},
            **{
                key: {**schema, "description": "paying with a linked obligation or a condition unmet"}
                for key, schema in DECISION_IN.items()
            },
            "version": VERSION,
        },
        required=("fulfilled_on", "amount_wan", "evidence"),
    ),
    "Fulfillment": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "commitment_id": {"type": "integer"},
            "fulfilled_on": DATE,
            "amount_wan": MONEY,
            "evidence": {"type": "string"},
            "note": TEXT_OR_NULL,
            "conditions_evidence": TEXT_OR_NULL,
            "override_decision_id": ID_OR_NULL,
            "override_decision": {
                "type": ["object", "null"],
                "properties": {
                    "meeting": {"type": "string"},
                    "held_on": DATE,
                    "minute_no": {"type": "string"},
                },
            },
            "recorded_by_id": ID_OR_NULL,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        },
    },
    "ObligationInput": _object(_OBLIGATION_FIELDS, required=("kind", "due_on", "consequence")),
    "ObligationPatch": _object(
        {**_OBLIGATION_FIELDS, "version": VERSION}, required=("version",), closed=True
    ),
    "Obligation": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "project_id": {"type": "integer"},
            "kind": {"enum": list(OBLIGATION_KINDS)},
            "target_value": TEXT_OR_NULL,
            "due_on": DATE,
            "actual_value": TEXT_OR_NULL,
            "actual_on": DATE_OR_NULL,
            "assessed_on": DATE_OR_NULL,
            "status": {"enum": list(OBLIGATION_STATUSES)},
            "consequence": {"enum": list(CONSEQUENCES)},
            "withholding": {"type": "boolean"},
            "note": TEXT_OR_NULL,
            "withhold_lifted_at": TIMESTAMP_OR_NULL,
            "withhold_lifted_by_id": ID_OR_NULL,
            "withhold_lift_note": TEXT_OR_NULL,
            "version": {"type": "integer"},
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        },
    },
}
