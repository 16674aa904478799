"""OpenAPI paths and schemas of the commitments API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from crm.api import openapi as spec
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

# Every commitments spec.operation may refuse these; a change carrying a version also 409.
ERRORS = ("400", "401", "403", "404", "422")
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
# The collective decision an approval above the cap, or a payment despite a condition, rests on.
COLLECTIVE_DECISION = spec.obj(
    {"meeting": {"type": "string"}, "held_on": spec.DATE, "minute_no": {"type": "string"}}
)
COLLECTIVE_DECISION["type"] = ["object", "null"]


def _one(summary, name, ok="200", description="OK", *, body=None, stale=True, body_required=True):
    """An spec.operation answering one ``name`` (``stale``: a stale version answers 409)."""
    refusals = (*ERRORS, "409") if stale else ERRORS
    return spec.operation(
        summary, ok, description, spec.ref(name), refusals=refusals, body=body, body_required=body_required
    )


def _list(summary, name, parameters=spec.PAGE_PARAMETERS):
    """An spec.operation answering a page of ``name``."""
    return spec.operation(
        summary, "200", "Page of items", spec.page_of(name), refusals=ERRORS, parameters=parameters
    )


def _create(summary, name, body_name, stale=False, description="Created"):
    return _one(summary, name, "201", description, body=spec.ref(body_name), stale=stale)


PATHS = {
    "/policies": {
        "get": _list(
            "Policies visible to the caller (own county's and province/city-wide)",
            "Policy",
            [{"name": "kind", "in": "query", "schema": {"enum": list(POLICY_KINDS)}}, *spec.PAGE_PARAMETERS],
        ),
        "post": _create(
            "Publish a policy (manager: own county; admin: province/city, give region_code)",
            "Policy",
            "PolicyInput",
        ),
    },
    "/policies/{policy_id}": {
        "parameters": [spec.path_id("policy_id")],
        "get": _one("One policy", "Policy", stale=False),
        "patch": _one("Change a policy (version required)", "Policy", body=spec.ref("PolicyPatch")),
    },
    "/commitments": {
        "get": _list(
            "County-wide commitment register with figures",
            "Commitment",
            [
                {"name": "status", "in": "query", "schema": {"enum": list(COMMITMENT_STATUSES)}},
                {
                    "name": "due_within",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 0, "maximum": 3660},
                    "description": "days from today",
                },
                {"name": "overdue", "in": "query", "schema": {"type": "boolean"}},
                {"name": "policy_kind", "in": "query", "schema": {"enum": list(POLICY_KINDS)}},
                *spec.PAGE_PARAMETERS,
            ],
        ),
    },
    "/projects/{project_id}/commitments": {
        "parameters": [spec.path_id("project_id")],
        "get": _list("A project's commitments", "Commitment"),
        "post": _create("Draft a commitment", "Commitment", "CommitmentInput"),
    },
    "/commitments/{commitment_id}": {
        "parameters": [spec.path_id("commitment_id")],
        "get": _one(
            "One commitment with its fulfillments and decisions (newest first)", "Commitment", stale=False
        ),
        "patch": _one(
            "Change a draft (version required; stale → 409)", "Commitment", body=spec.ref("CommitmentPatch")
        ),
    },
    "/commitments/{commitment_id}/approve": {
        "parameters": [spec.path_id("commitment_id")],
        "post": _one(
            "Approval by a manager other than the drafter: both reviews on record and passed, "
            "a legal basis for a risk-flagged clause, above the cap a collective decision",
            "Commitment",
            body=spec.obj({**DECISION_IN, "version": VERSION}),
            body_required=False,
        ),
    },
    "/policies/{policy_id}/withdraw": {
        "parameters": [spec.path_id("policy_id")],
        "post": _one(
            "Withdraw (废止) a policy; its live commitments go to the 存量清理 list",
            "Policy",
            body=spec.obj(
                {
                    "withdrawn_on": spec.DATE,
                    "document": {"type": "string", "minLength": 1, "maxLength": 100},
                    "reason": {"type": "string", "minLength": 1},
                    "version": VERSION,
                },
                required=("withdrawn_on", "document", "reason"),
            ),
        ),
    },
    "/commitments/cleanup": {
        "get": spec.operation(
            "The 存量清理 list: live commitments whose policy was withdrawn or failed its review",
            "200",
            "Every listed commitment, oldest cause first",
            spec.obj(
                {"items": {"type": "array", "items": spec.ref("Commitment")}, "total": {"type": "integer"}}
            ),
            refusals=ERRORS,
        ),
    },
    "/commitments/{commitment_id}/cleanup": {
        "parameters": [spec.path_id("commitment_id")],
        "post": _one(
            "A manager continues (on a collective decision) or revokes a listed commitment",
            "Commitment",
            body=spec.obj(
                {
                    "resolution": {"enum": list(CLEANUP_RESOLUTIONS)},
                    "note": {"type": "string", "minLength": 1},
                    **DECISION_IN,
                    "version": VERSION,
                },
                required=("resolution", "note"),
            ),
        ),
    },
    "/commitments/{commitment_id}/obligations": {
        "parameters": [spec.path_id("commitment_id")],
        "post": _one(
            "Set (replace) the investor obligations the commitment's payment depends on (政企双兑现)",
            "Commitment",
            body=spec.obj(
                {"obligation_ids": {"type": "array", "items": {"type": "integer"}}, "version": VERSION},
                required=("obligation_ids",),
            ),
        ),
    },
    "/commitments/{commitment_id}/reviews": {
        "parameters": [spec.path_id("commitment_id")],
        "post": _create(
            "Record a 公平竞争审查 or 合法性审核（司法局） of a draft (staff or manager)",
            "CommitmentReview",
            "ReviewInput",
            stale=True,
            description="Recorded",
        ),
    },
    "/commitments/{commitment_id}/refuse": {
        "parameters": [spec.path_id("commitment_id")],
        "post": _one(
            "Manager refuses (驳回) a draft with a reason; it stays a draft for the staff to fix",
            "Commitment",
            body=spec.obj(
                {"reason": {"type": "string", "minLength": 1}, "version": VERSION}, required=("reason",)
            ),
        ),
    },
    "/commitments/{commitment_id}/transitions": {
        "parameters": [spec.path_id("commitment_id")],
        "post": _one(
            "Manager action: suspend, resume, revoke, claw_back (note required) or approve",
            "Commitment",
            body=spec.obj(
                {
                    "action": {"enum": ["approve", "suspend", "resume", "revoke", "claw_back"]},
                    "note": TEXT_IN,
                    **DECISION_IN,
                    "version": VERSION,
                },
                required=("action",),
            ),
        ),
    },
    "/commitments/{commitment_id}/fulfillments": {
        "parameters": [spec.path_id("commitment_id")],
        "get": _list("Fulfillments of a commitment", "Fulfillment"),
        "post": _create(
            "Record a fulfillment (the total never exceeds the commitment)",
            "Fulfillment",
            "FulfillmentInput",
            stale=True,
        ),
    },
    "/projects/{project_id}/obligations": {
        "parameters": [spec.path_id("project_id")],
        "get": _list("The investor's obligations on a project", "Obligation"),
        "post": _create("Register an obligation", "Obligation", "ObligationInput"),
    },
    "/obligations/{obligation_id}": {
        "parameters": [spec.path_id("obligation_id")],
        "get": _one("One obligation", "Obligation", stale=False),
        "patch": _one(
            "Change a pending obligation (version required)", "Obligation", body=spec.ref("ObligationPatch")
        ),
    },
    "/obligations/{obligation_id}/outcome": {
        "parameters": [spec.path_id("obligation_id")],
        "post": _one(
            "Assess: met/missed from actual_value or actual_on, or missed=true after the deadline; "
            "a missed 'withhold' suspends the project's open commitments",
            "Obligation",
            body=spec.obj(
                {
                    "actual_value": NUMBER_IN,
                    "actual_on": DATE_IN,
                    "missed": {"type": "boolean"},
                    "note": TEXT_IN,
                    "version": VERSION,
                }
            ),
        ),
    },
    "/obligations/{obligation_id}/lift": {
        "parameters": [spec.path_id("obligation_id")],
        "post": _one(
            "Manager lifts a withhold; suspended commitments return to their previous status",
            "Obligation",
            body=spec.obj(
                {"note": {"type": "string", "minLength": 1}, "version": VERSION}, required=("note",)
            ),
        ),
    },
}

_POLICY_FIELDS = {
    "name": {"type": "string", "minLength": 1, "maxLength": 200},
    "kind": {"enum": list(POLICY_KINDS)},
    "legal_basis": {"type": "string", "minLength": 1, "maxLength": 200},
    "max_amount_wan": MONEY_IN,
    "max_ratio_pct": NUMBER_IN,
    "valid_from": spec.DATE,
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
    "due_on": spec.DATE,
    "risk_legal_basis": {**TEXT_IN, "description": "required before approval when risk_flags is not empty"},
}
_OBLIGATION_FIELDS = {
    "kind": {"enum": list(OBLIGATION_KINDS)},
    "target_value": {**NUMBER_IN, "description": "required unless the kind is a date (start, production)"},
    "due_on": spec.DATE,
    "consequence": {"enum": list(CONSEQUENCES)},
    "note": TEXT_IN,
}

SCHEMAS = {
    "PolicyInput": spec.obj(
        {"region_code": {"type": "string", "description": "admins: the province or city"}, **_POLICY_FIELDS},
        required=("name", "kind", "legal_basis", "valid_from"),
    ),
    "PolicyPatch": spec.obj({**_POLICY_FIELDS, "version": VERSION}, required=("version",), closed=True),
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
            "max_amount_wan": spec.MONEY_OR_NULL,
            "max_ratio_pct": spec.TEXT_OR_NULL,
            "valid_from": spec.DATE,
            "valid_to": spec.DATE_OR_NULL,
            "fair_review": {"enum": list(FAIR_REVIEW_STATES)},
            "review_failed_at": spec.TIMESTAMP_OR_NULL,
            "withdrawn_on": spec.DATE_OR_NULL,
            "withdrawn_at": spec.TIMESTAMP_OR_NULL,
            "withdrawal_document": spec.TEXT_OR_NULL,
            "withdrawal_reason": spec.TEXT_OR_NULL,
            "description": spec.TEXT_OR_NULL,
            "version": {"type": "integer"},
            "created_at": spec.TIMESTAMP,
            "updated_at": spec.TIMESTAMP,
        },
    },
    "CommitmentInput": spec.obj(_COMMITMENT_FIELDS, required=("policy_id", "clause", "amount_wan", "due_on")),
    "CommitmentPatch": spec.obj(
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
            "amount_wan": spec.MONEY,
            "fulfilled_wan": spec.MONEY,
            "outstanding_wan": spec.MONEY,
            "conditions": spec.TEXT_OR_NULL,
            "committed_on": spec.DATE,
            "due_on": spec.DATE,
            "status": {"enum": list(COMMITMENT_STATUSES)},
            "overdue": {"type": "boolean"},
            "fair_review": {"enum": list(FAIR_REVIEW_STATES), "description": "from the current record"},
            "legal_review": {"enum": list(LEGAL_REVIEW_STATES), "description": "from the current record"},
            "risk_flags": {"type": "array", "items": {"enum": list(RISK_FLAGS)}},
            "risk_legal_basis": spec.TEXT_OR_NULL,
            "cap_decision": COLLECTIVE_DECISION,
            "cap_decision_id": spec.ID_OR_NULL,
            "override_reason": {**spec.TEXT_OR_NULL, "description": "approvals before the upgrade only"},
            "status_before_suspension": spec.TEXT_OR_NULL,
            "status_note": spec.TEXT_OR_NULL,
            "suspended_by_obligation_id": spec.ID_OR_NULL,
            "approved_by_id": spec.ID_OR_NULL,
            "approved_at": spec.TIMESTAMP_OR_NULL,
            "created_by_id": spec.ID_OR_NULL,
            "allowed_actions": {"type": "array", "items": {"type": "string"}},
            "decisions": {
                "type": "array",
                "items": spec.ref("CommitmentDecision"),
                "description": "Only on a single commitment: approvals and refusals, newest first",
            },
            "reviews": {
                "type": "array",
                "items": spec.ref("CommitmentReview"),
                "description": "Only on a single commitment: every review record, superseded ones included",
            },
            "cleanup_cause": {
                "enum": [*CLEANUP_CAUSES, None],
                "description": "Only on the 存量清理 list: why the commitment is on it",
            },
            "cleanup_since": {**spec.TIMESTAMP_OR_NULL, "description": "Only on the 存量清理 list"},
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
            "created_at": spec.TIMESTAMP,
            "updated_at": spec.TIMESTAMP,
        },
    },
    "CommitmentDecision": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "commitment_id": {"type": "integer"},
            "decided_at": spec.TIMESTAMP,
            "decided_by_id": spec.ID_OR_NULL,
            "decided_by_name": spec.TEXT_OR_NULL,
            "decision": {"enum": list(DECISIONS)},
            "reason": spec.TEXT_OR_NULL,
            "amount_wan": spec.MONEY,
            "collective_decision_id": spec.ID_OR_NULL,
        },
    },
    "ReviewInput": spec.obj(
        {
            "kind": {"enum": list(REVIEW_KINDS)},
            "reviewer": {"type": "string", "minLength": 1, "maxLength": 100},
            "reviewed_on": spec.DATE,
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
            "reviewed_on": spec.DATE,
            "document_no": {"type": "string"},
            "conclusion": {"enum": list(LEGAL_REVIEW_STATES)},
            "attachment_ref": spec.TEXT_OR_NULL,
            "note": spec.TEXT_OR_NULL,
            "migrated": {"type": "boolean", "description": "made by the upgrade from the old drop-down"},
            "superseded_at": spec.TIMESTAMP_OR_NULL,
            "recorded_by_id": spec.ID_OR_NULL,
            "recorded_by_name": spec.TEXT_OR_NULL,
            "recorded_at": spec.TIMESTAMP,
        },
    },
    "FulfillmentInput": spec.obj(
        {
            "fulfilled_on": spec.DATE,
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
            "fulfilled_on": spec.DATE,
            "amount_wan": spec.MONEY,
            "evidence": {"type": "string"},
            "note": spec.TEXT_OR_NULL,
            "conditions_evidence": spec.TEXT_OR_NULL,
            "override_decision_id": spec.ID_OR_NULL,
            "override_decision": COLLECTIVE_DECISION,
            "recorded_by_id": spec.ID_OR_NULL,
            "created_at": spec.TIMESTAMP,
            "updated_at": spec.TIMESTAMP,
        },
    },
    "ObligationInput": spec.obj(_OBLIGATION_FIELDS, required=("kind", "due_on", "consequence")),
    "ObligationPatch": spec.obj(
        {**_OBLIGATION_FIELDS, "version": VERSION}, required=("version",), closed=True
    ),
    "Obligation": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "project_id": {"type": "integer"},
            "kind": {"enum": list(OBLIGATION_KINDS)},
            "target_value": spec.TEXT_OR_NULL,
            "due_on": spec.DATE,
            "actual_value": spec.TEXT_OR_NULL,
            "actual_on": spec.DATE_OR_NULL,
            "assessed_on": spec.DATE_OR_NULL,
            "status": {"enum": list(OBLIGATION_STATUSES)},
            "consequence": {"enum": list(CONSEQUENCES)},
            "withholding": {"type": "boolean"},
            "note": spec.TEXT_OR_NULL,
            "withhold_lifted_at": spec.TIMESTAMP_OR_NULL,
            "withhold_lifted_by_id": spec.ID_OR_NULL,
            "withhold_lift_note": spec.TEXT_OR_NULL,
            "version": {"type": "integer"},
            "created_at": spec.TIMESTAMP,
            "updated_at": spec.TIMESTAMP,
        },
    },
}
