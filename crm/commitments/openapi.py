"""OpenAPI paths and schemas of the commitments API (merged into /api/v1/openapi.json)."""
from __future__ import annotations

from crm.commitments.models import (
    COMMITMENT_STATUSES,
    CONSEQUENCES,
    DECISIONS,
    FAIR_REVIEW_STATES,
    LEGAL_REVIEW_STATES,
    OBLIGATION_KINDS,
    OBLIGATION_STATUSES,
    POLICY_KINDS,
)

PROBLEM = {"$ref": "#/components/responses/Problem"}
ERRORS = {code: PROBLEM for code in ("400", "401", "403", "404", "422")}
MONEY = {"type": "string", "description": "万元, decimal as text (numbers are accepted on input)"}
DATE = {"type": "string", "format": "date"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _ok(name: str, code: str = "200", description: str = "OK") -> dict:
    return {code: {"description": description, **_json(_ref(name))}, **ERRORS}


def _list(name: str) -> dict:
    return {"200": {"description": "Page of items", **_json({
        "type": "object", "properties": {"items": {"type": "array", "items": _ref(name)},
                                         "total": {"type": "integer"}, "page": {"type": "integer"},
                                         "per_page": {"type": "integer"}}})}, **ERRORS}


def _body(name: str) -> dict:
    return {"required": True, **_json(_ref(name))}


ID = lambda name: {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}  # noqa: E731
CONFLICT = {"409": PROBLEM}

PATHS = {
    "/policies": {
        "get": {"summary": "Policies visible to the caller (own county's and province/city-wide)",
                "parameters": [{"name": "kind", "in": "query", "schema": {"enum": list(POLICY_KINDS)}}],
                "responses": _list("Policy")},
        "post": {"summary": "Publish a policy (manager: own county; admin: province/city, give region_code)",
                 "requestBody": _body("PolicyInput"), "responses": _ok("Policy", "201", "Created")},
    },
    "/policies/{policy_id}": {
        "parameters": [ID("policy_id")],
        "get": {"summary": "One policy", "responses": _ok("Policy")},
        "patch": {"summary": "Change a policy (version required)", "requestBody": _body("PolicyInput"),
                  "responses": {**_ok("Policy"), **CONFLICT}},
    },
    "/commitments": {
        "get": {"summary": "County-wide commitment register with figures",
                "parameters": [
                    {"name": "status", "in": "query", "schema": {"enum": list(COMMITMENT_STATUSES)}},
                    {"name": "due_within", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                    {"name": "overdue", "in": "query", "schema": {"type": "boolean"}},
                    {"name": "policy_kind", "in": "query", "schema": {"enum": list(POLICY_KINDS)}},
                ], "responses": _list("Commitment")},
    },
    "/projects/{project_id}/commitments": {
        "parameters": [ID("project_id")],
        "get": {"summary": "A project's commitments", "responses": _list("Commitment")},
        "post": {"summary": "Draft a commitment", "requestBody": _body("CommitmentInput"),
                 "responses": _ok("Commitment", "201", "Created")},
    },
    "/commitments/{commitment_id}": {
        "parameters": [ID("commitment_id")],
        "get": {"summary": "One commitment with its fulfillments and decisions (newest first)",
                "responses": _ok("Commitment")},
        "patch": {"summary": "Change a draft (version required; stale → 409)",
                  "requestBody": _body("CommitmentInput"), "responses": {**_ok("Commitment"), **CONFLICT}},
    },
    "/commitments/{commitment_id}/approve": {
        "parameters": [ID("commitment_id")],
        "post": {"summary": "Manager approval (fair-competition review passed; above the cap only with override_reason)",
                 "requestBody": {"required": False, **_json({"type": "object", "properties": {
                     "override_reason": {"type": "string"}, "version": {"type": "integer"}}})},
                 "responses": {**_ok("Commitment"), **CONFLICT}},
    },
    "/commitments/{commitment_id}/refuse": {
        "parameters": [ID("commitment_id")],
        "post": {"summary": "Manager refuses (驳回) a draft with a reason; it stays a draft for the staff to fix",
                 "requestBody": {"required": True, **_json({"type": "object", "required": ["reason"], "properties": {
                     "reason": {"type": "string"}, "version": {"type": "integer"}}})},
                 "responses": {**_ok("Commitment"), **CONFLICT}},
    },
    "/commitments/{commitment_id}/transitions": {
        "parameters": [ID("commitment_id")],
        "post": {"summary": "Manager action: suspend, resume, revoke, claw_back (note required) or approve",
                 "requestBody": {"required": True, **_json({"type": "object", "required": ["action"], "properties": {
                     "action": {"enum": ["approve", "suspend", "resume", "revoke", "claw_back"]},
                     "note": {"type": "string"}, "override_reason": {"type": "string"},
                     "version": {"type": "integer"}}})},
                 "responses": {**_ok("Commitment"), **CONFLICT}},
    },
    "/commitments/{commitment_id}/fulfillments": {
        "parameters": [ID("commitment_id")],
        "get": {"summary": "Fulfillments of a commitment", "responses": _list("Fulfillment")},
        "post": {"summary": "Record a fulfillment (the total never exceeds the commitment)",
                 "requestBody": _body("FulfillmentInput"), "responses": _ok("Fulfillment", "201", "Created")},
    },
    "/projects/{project_id}/obligations": {
        "parameters": [ID("project_id")],
        "get": {"summary": "The investor's obligations on a project", "responses": _list("Obligation")},
        "post": {"summary": "Register an obligation", "requestBody": _body("ObligationInput"),
                 "responses": _ok("Obligation", "201", "Created")},
    },
    "/obligations/{obligation_id}": {
        "parameters": [ID("obligation_id")],
        "get": {"summary": "One obligation", "responses": _ok("Obligation")},
        "patch": {"summary": "Change a pending obligation (version required)",
                  "requestBody": _body("ObligationInput"), "responses": {**_ok("Obligation"), **CONFLICT}},
    },
    "/obligations/{obligation_id}/outcome": {
        "parameters": [ID("obligation_id")],
        "post": {"summary": "Assess: met/missed from actual_value or actual_on, or missed=true after the deadline; a missed 'withhold' suspends the project's open commitments",
                 "requestBody": {"required": True, **_json({"type": "object", "properties": {
                     "actual_value": {"type": "number"}, "actual_on": DATE, "missed": {"type": "boolean"},
                     "note": {"type": "string"}, "version": {"type": "integer"}}})},
                 "responses": {**_ok("Obligation"), **CONFLICT}},
    },
    "/obligations/{obligation_id}/lift": {
        "parameters": [ID("obligation_id")],
        "post": {"summary": "Manager lifts a withhold; suspended commitments return to their previous status",
                 "requestBody": {"required": True, **_json({"type": "object", "required": ["note"], "properties": {
                     "note": {"type": "string"}, "version": {"type": "integer"}}})},
                 "responses": {**_ok("Obligation"), **CONFLICT}},
    },
}

SCHEMAS = {
    "PolicyInput": {"type": "object", "properties": {
        "region_code": {"type": "string"}, "name": {"type": "string"}, "kind": {"enum": list(POLICY_KINDS)},
        "legal_basis": {"type": "string"}, "max_amount_wan": MONEY, "max_ratio_pct": {"type": "number"},
        "valid_from": DATE, "valid_to": DATE, "fair_review": {"enum": list(FAIR_REVIEW_STATES)},
        "description": {"type": "string"}, "version": {"type": "integer"}}},
    "Policy": {"type": "object", "properties": {
        "id": {"type": "integer"}, "region_id": {"type": "integer"}, "region_code": {"type": "string"},
        "region_level": {"enum": ["province", "city", "county"]}, "name": {"type": "string"},
        "kind": {"enum": list(POLICY_KINDS)}, "legal_basis": {"type": "string"},
        "max_amount_wan": MONEY, "max_ratio_pct": {"type": "string"}, "valid_from": DATE,
        "valid_to": DATE, "fair_review": {"enum": list(FAIR_REVIEW_STATES)}, "version": {"type": "integer"}}},
    "CommitmentInput": {"type": "object", "properties": {
        "policy_id": {"type": "integer"}, "clause": {"type": "string"}, "amount_wan": MONEY,
        "conditions": {"type": "string"}, "committed_on": DATE, "due_on": DATE,
        "fair_review": {"enum": list(FAIR_REVIEW_STATES)}, "legal_review": {"enum": list(LEGAL_REVIEW_STATES)},
        "version": {"type": "integer"}}},
    "Commitment": {"type": "object", "properties": {
        "id": {"type": "integer"}, "county_id": {"type": "integer"}, "project_id": {"type": "integer"},
        "policy_id": {"type": "integer"}, "clause": {"type": "string"}, "amount_wan": MONEY,
        "fulfilled_wan": MONEY, "outstanding_wan": MONEY, "conditions": {"type": "string"},
        "committed_on": DATE, "due_on": DATE, "status": {"enum": list(COMMITMENT_STATUSES)},
        "overdue": {"type": "boolean"}, "fair_review": {"enum": list(FAIR_REVIEW_STATES)},
        "legal_review": {"enum": list(LEGAL_REVIEW_STATES)}, "override_reason": {"type": "string"},
        "status_before_suspension": {"type": "string"}, "allowed_actions": {"type": "array", "items": {"type": "string"}},
        "decisions": {"type": "array", "items": _ref("CommitmentDecision"),
                      "description": "Only on a single commitment: approvals and refusals, newest first"},
        "version": {"type": "integer"}}},
    "CommitmentDecision": {"type": "object", "properties": {
        "id": {"type": "integer"}, "commitment_id": {"type": "integer"}, "decided_at": {"type": "string", "format": "date-time"},
        "decided_by_id": {"type": "integer"}, "decided_by_name": {"type": "string"},
        "decision": {"enum": list(DECISIONS)}, "reason": {"type": "string"}, "amount_wan": MONEY}},
    "FulfillmentInput": {"type": "object", "required": ["fulfilled_on", "amount_wan", "evidence"], "properties": {
        "fulfilled_on": DATE, "amount_wan": MONEY, "evidence": {"type": "string"}, "note": {"type": "string"},
        "version": {"type": "integer"}}},
    "Fulfillment": {"type": "object", "properties": {
        "id": {"type": "integer"}, "commitment_id": {"type": "integer"}, "fulfilled_on": DATE,
        "amount_wan": MONEY, "evidence": {"type": "string"}, "note": {"type": "string"}}},
    "ObligationInput": {"type": "object", "properties": {
        "kind": {"enum": list(OBLIGATION_KINDS)}, "target_value": {"type": "number"}, "due_on": DATE,
        "consequence": {"enum": list(CONSEQUENCES)}, "note": {"type": "string"}, "version": {"type": "integer"}}},
    "Obligation": {"type": "object", "properties": {
        "id": {"type": "integer"}, "project_id": {"type": "integer"}, "kind": {"enum": list(OBLIGATION_KINDS)},
        "target_value": {"type": "string"}, "due_on": DATE, "actual_value": {"type": "string"},
        "actual_on": DATE, "status": {"enum": list(OBLIGATION_STATUSES)},
        "consequence": {"enum": list(CONSEQUENCES)}, "withholding": {"type": "boolean"},
        "version": {"type": "integer"}}},
}
