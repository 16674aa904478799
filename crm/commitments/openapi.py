"""OpenAPI paths and schemas of the commitments API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from crm.api import openapi as spec
from crm.commitments import models
from crm.commitments.risk import RISK_FLAGS

# Every commitments operation may refuse these; a change carrying a version also 409.
ERRORS = ("400", "401", "403", "404", "422")
# What requests may send (``crm.api.input.Input``): text or null, amounts as decimal
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
COLLECTIVE_DECISION = spec.obj({"meeting": spec.STRING, "held_on": spec.DATE, "minute_no": spec.STRING})
COLLECTIVE_DECISION["type"] = ["object", "null"]


STALE = (*ERRORS, "409")


def _page(summary, name, parameters=()):
    """A page of ``name``."""
    return spec.get_page(summary, name, "Page of items", parameters=parameters, refusals=ERRORS)


def _read(summary, name):
    """One ``name``."""
    return spec.get_one(summary, name, refusals=ERRORS)


def _create(summary, name, body_name, *, stale=False, description="Created"):
    """A new ``name`` (``stale``: the body carries a version, a stale one answers 409)."""
    return spec.create(summary, name, body_name, description, refusals=STALE if stale else ERRORS)


def _change(summary, name, body):
    """A change answering the ``name`` it made (a stale version answers 409)."""
    return spec.change(summary, name, body, "OK", refusals=STALE)


def _action(id_name, name, summary, properties, required=()):
    """An action on the record the path names: a POST of ``properties`` and the version it was
    made on (required: an action on a record changed since it was read answers 409),
    answering the ``name`` it made."""
    body = spec.versioned(properties, VERSION, required=(*required, "version"))
    return spec.at(id_name, post=_change(summary, name, body))


def _with_reason(id_name, name, summary, field):
    """An action that needs a written reason in ``field`` (refusing a draft, lifting a withhold)."""
    return _action(id_name, name, summary, {field: spec.NON_EMPTY}, required=(field,))


def _item(id_name, name, read_summary, change_summary):
    """A record's path: read it, or change it with ``<name>Patch`` (version required)."""
    return spec.at(
        id_name, get=_read(read_summary, name), patch=_change(change_summary, name, f"{name}Patch")
    )


def _records_of(parent_id, name, list_summary, create_summary, *, stale=False):
    """The records under the one ``parent_id`` names: a page of them, or a new one from
    ``<name>Input`` (``stale``: it carries the parent's version, a stale one answers 409)."""
    return spec.at(
        parent_id,
        get=_page(list_summary, name),
        post=_create(create_summary, name, f"{name}Input", stale=stale),
    )


PATHS = {
    "/policies": {
        "get": _page(
            "Policies visible to the caller (own county's and province/city-wide)",
            "Policy",
            [spec.query("kind", {"enum": list(models.POLICY_KINDS)})],
        ),
        "post": _create(
            "Publish a policy (manager: own county; admin: province/city, give region_code)",
            "Policy",
            "PolicyInput",
        ),
    },
    "/policies/{policy_id}": _item("policy_id", "Policy", "One policy", "Change a policy (version required)"),
    "/commitments": {
        "get": _page(
            "County-wide commitment register with figures",
            "Commitment",
            [
                spec.query("status", {"enum": list(models.COMMITMENT_STATUSES)}),
                spec.query(
                    "due_within", {"type": "integer", "minimum": 0, "maximum": 3660}, "days from today"
                ),
                spec.query("overdue", spec.BOOLEAN),
                spec.query("policy_kind", {"enum": list(models.POLICY_KINDS)}),
            ],
        ),
    },
    "/projects/{project_id}/commitments": _records_of(
        "project_id", "Commitment", "A project's commitments", "Draft a commitment"
    ),
    "/commitments/{commitment_id}": _item(
        "commitment_id",
        "Commitment",
        "One commitment with its fulfillments and decisions (newest first)",
        "Change a draft (version required; stale → 409)",
    ),
    "/commitments/{commitment_id}/approve": _action(
        "commitment_id",
        "Commitment",
        "Approval by a manager other than the drafter: both reviews on record and passed, "
        "a legal basis for a risk-flagged clause, above the cap a collective decision",
        DECISION_IN,
    ),
    "/policies/{policy_id}/withdraw": _action(
        "policy_id",
        "Policy",
        "Withdraw (废止) a policy; its live commitments go to the 存量清理 list",
        {
            "withdrawn_on": spec.DATE,
            "document": {"type": "string", "minLength": 1, "maxLength": 100},
            "reason": spec.NON_EMPTY,
        },
        required=("withdrawn_on", "document", "reason"),
    ),
    "/commitments/cleanup": {
        "get": spec.get_page(
            "The 存量清理 list: live commitments whose policy was withdrawn or failed its review",
            "Commitment",
            "The listed commitments, oldest cause first",
            refusals=ERRORS,
        ),
    },
    "/commitments/{commitment_id}/cleanup": _action(
        "commitment_id",
        "Commitment",
        "A manager continues (on a collective decision) or revokes a listed commitment",
        {"resolution": {"enum": list(models.CLEANUP_RESOLUTIONS)}, "note": spec.NON_EMPTY, **DECISION_IN},
        required=("resolution", "note"),
    ),
    "/commitments/{commitment_id}/obligations": _action(
        "commitment_id",
        "Commitment",
        "Set (replace) the investor obligations the commitment's payment depends on (政企双兑现)",
        {"obligation_ids": spec.list_of(spec.INTEGER)},
        required=("obligation_ids",),
    ),
    "/commitments/{commitment_id}/reviews": spec.at(
        "commitment_id",
        post=_create(
            "Record a 公平竞争审查 or 合法性审核（司法局） of a draft (staff or manager)",
            "CommitmentReview",
            "ReviewInput",
            stale=True,
            description="Recorded",
        ),
    ),
    "/commitments/{commitment_id}/refuse": _with_reason(
        "commitment_id",
        "Commitment",
        "Manager refuses (驳回) a draft with a reason; it stays a draft for the staff to fix",
        "reason",
    ),
    "/commitments/{commitment_id}/transitions": _action(
        "commitment_id",
        "Commitment",
        "Manager action: suspend, resume, revoke, claw_back (note required) or approve",
        {
            "action": {"enum": ["approve", "suspend", "resume", "revoke", "claw_back"]},
            "note": TEXT_IN,
            **DECISION_IN,
        },
        required=("action",),
    ),
    "/commitments/{commitment_id}/fulfillments": _records_of(
        "commitment_id",
        "Fulfillment",
        "Fulfillments of a commitment",
        "Record a fulfillment (the total never exceeds the commitment)",
        stale=True,
    ),
    "/projects/{project_id}/obligations": _records_of(
        "project_id", "Obligation", "The investor's obligations on a project", "Register an obligation"
    ),
    "/obligations/{obligation_id}": _item(
        "obligation_id", "Obligation", "One obligation", "Change a pending obligation (version required)"
    ),
    "/obligations/{obligation_id}/outcome": _action(
        "obligation_id",
        "Obligation",
        "Assess: met/missed from actual_value or actual_on, or missed=true after the deadline; "
        "a missed 'withhold' suspends the project's open commitments",
        {"actual_value": NUMBER_IN, "actual_on": DATE_IN, "missed": spec.BOOLEAN, "note": TEXT_IN},
    ),
    "/obligations/{obligation_id}/lift": _with_reason(
        "obligation_id",
        "Obligation",
        "Manager lifts a withhold; suspended commitments return to their previous status",
        "note",
    ),
}

_POLICY_FIELDS = {
    "name": {"type": "string", "minLength": 1, "maxLength": 200},
    "kind": {"enum": list(models.POLICY_KINDS)},
    "legal_basis": {"type": "string", "minLength": 1, "maxLength": 200},
    "max_amount_wan": MONEY_IN,
    "max_ratio_pct": NUMBER_IN,
    "valid_from": spec.DATE,
    "valid_to": DATE_IN,
    "fair_review": {"enum": list(models.FAIR_REVIEW_STATES)},
    "description": TEXT_IN,
}
_COMMITMENT_FIELDS = {
    "policy_id": spec.INTEGER,
    "clause": spec.NON_EMPTY,
    "amount_wan": MONEY_IN,
    "conditions": TEXT_IN,
    "committed_on": DATE_IN,
    "due_on": spec.DATE,
    "risk_legal_basis": {**TEXT_IN, "description": "required before approval when risk_flags is not empty"},
}
_OBLIGATION_FIELDS = {
    "kind": {"enum": list(models.OBLIGATION_KINDS)},
    "target_value": {**NUMBER_IN, "description": "required unless the kind is a date (start, production)"},
    "due_on": spec.DATE,
    "consequence": {"enum": list(models.CONSEQUENCES)},
    "note": TEXT_IN,
}

SCHEMAS = {
    "PolicyInput": spec.obj(
        {"region_code": {"type": "string", "description": "admins: the province or city"}, **_POLICY_FIELDS},
        required=("name", "kind", "legal_basis", "valid_from"),
    ),
    "PolicyPatch": spec.versioned(_POLICY_FIELDS, VERSION, closed=True),
    "Policy": spec.obj(
        {
            "id": spec.INTEGER,
            "region_id": spec.INTEGER,
            "region_code": spec.STRING,
            "region_level": {"enum": ["province", "city", "county"]},
            "name": spec.STRING,
            "kind": {"enum": list(models.POLICY_KINDS)},
            "legal_basis": spec.STRING,
            "max_amount_wan": spec.MONEY_OR_NULL,
            "max_ratio_pct": spec.TEXT_OR_NULL,
            "valid_from": spec.DATE,
            "valid_to": spec.DATE_OR_NULL,
            "fair_review": {"enum": list(models.FAIR_REVIEW_STATES)},
            "review_failed_at": spec.TIMESTAMP_OR_NULL,
            "withdrawn_on": spec.DATE_OR_NULL,
            "withdrawn_at": spec.TIMESTAMP_OR_NULL,
            "withdrawal_document": spec.TEXT_OR_NULL,
            "withdrawal_reason": spec.TEXT_OR_NULL,
            "description": spec.TEXT_OR_NULL,
            **spec.STAMPS,
        }
    ),
    "CommitmentInput": spec.obj(_COMMITMENT_FIELDS, required=("policy_id", "clause", "amount_wan", "due_on")),
    "CommitmentPatch": spec.versioned(_COMMITMENT_FIELDS, VERSION, closed=True),
    "Commitment": spec.obj(
        {
            "id": spec.INTEGER,
            "county_id": spec.INTEGER,
            "project_id": spec.INTEGER,
            "policy_id": spec.INTEGER,
            "clause": spec.STRING,
            "amount_wan": spec.MONEY,
            "fulfilled_wan": spec.MONEY,
            "outstanding_wan": spec.MONEY,
            "conditions": spec.TEXT_OR_NULL,
            "committed_on": spec.DATE,
            "due_on": spec.DATE,
            "status": {"enum": list(models.COMMITMENT_STATUSES)},
            "overdue": spec.BOOLEAN,
            "fair_review": {
                "enum": list(models.FAIR_REVIEW_STATES),
                "description": "from the current record",
            },
            "legal_review": {
                "enum": list(models.LEGAL_REVIEW_STATES),
                "description": "from the current record",
            },
            "risk_flags": spec.list_of({"enum": list(RISK_FLAGS)}),
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
            "allowed_actions": spec.list_of(spec.STRING),
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
                "enum": [*models.CLEANUP_CAUSES, None],
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
                "items": spec.INTEGER,
                "description": "Only on a single commitment: the obligations its payment depends on",
            },
            **spec.STAMPS,
        }
    ),
    "CommitmentDecision": spec.obj(
        {
            "id": spec.INTEGER,
            "commitment_id": spec.INTEGER,
            "decided_at": spec.TIMESTAMP,
            "decided_by_id": spec.ID_OR_NULL,
            "decided_by_name": spec.TEXT_OR_NULL,
            "decision": {"enum": list(models.DECISIONS)},
            "reason": spec.TEXT_OR_NULL,
            "amount_wan": spec.MONEY,
            "collective_decision_id": spec.ID_OR_NULL,
        }
    ),
    "ReviewInput": spec.obj(
        {
            "kind": {"enum": list(models.REVIEW_KINDS)},
            "reviewer": {"type": "string", "minLength": 1, "maxLength": 100},
            "reviewed_on": spec.DATE,
            "document_no": {"type": "string", "minLength": 1, "maxLength": 100},
            "conclusion": {"enum": list(models.REVIEW_CONCLUSIONS)},
            "attachment_ref": TEXT_IN,
            "note": TEXT_IN,
            "version": VERSION,
        },
        required=("kind", "reviewer", "reviewed_on", "document_no", "conclusion", "version"),
    ),
    "CommitmentReview": spec.obj(
        {
            "id": spec.INTEGER,
            "commitment_id": spec.INTEGER,
            "kind": {"enum": list(models.REVIEW_KINDS)},
            "reviewer": spec.STRING,
            "reviewed_on": spec.DATE,
            "document_no": spec.STRING,
            "conclusion": {"enum": list(models.LEGAL_REVIEW_STATES)},
            "attachment_ref": spec.TEXT_OR_NULL,
            "note": spec.TEXT_OR_NULL,
            "migrated": {"type": "boolean", "description": "made by the upgrade from the old drop-down"},
            "superseded_at": spec.TIMESTAMP_OR_NULL,
            "recorded_by_id": spec.ID_OR_NULL,
            "recorded_by_name": spec.TEXT_OR_NULL,
            "recorded_at": spec.TIMESTAMP,
        }
    ),
    "FulfillmentInput": spec.obj(
        {
            "fulfilled_on": spec.DATE,
            "amount_wan": MONEY_IN,
            "evidence": spec.NON_EMPTY,
            "note": TEXT_IN,
            "conditions_evidence": {**TEXT_IN, "description": "how the clause's conditions were verified"},
            **{
                key: {**schema, "description": "paying with a linked obligation or a condition unmet"}
                for key, schema in DECISION_IN.items()
            },
            "version": VERSION,
        },
        required=("fulfilled_on", "amount_wan", "evidence", "version"),
    ),
    "Fulfillment": spec.obj(
        {
            "id": spec.INTEGER,
            "commitment_id": spec.INTEGER,
            "fulfilled_on": spec.DATE,
            "amount_wan": spec.MONEY,
            "evidence": spec.STRING,
            "note": spec.TEXT_OR_NULL,
            "conditions_evidence": spec.TEXT_OR_NULL,
            "override_decision_id": spec.ID_OR_NULL,
            "override_decision": COLLECTIVE_DECISION,
            "recorded_by_id": spec.ID_OR_NULL,
            "created_at": spec.TIMESTAMP,
            "updated_at": spec.TIMESTAMP,
        }
    ),
    "ObligationInput": spec.obj(_OBLIGATION_FIELDS, required=("kind", "due_on", "consequence")),
    "ObligationPatch": spec.versioned(_OBLIGATION_FIELDS, VERSION, closed=True),
    "Obligation": spec.obj(
        {
            "id": spec.INTEGER,
            "project_id": spec.INTEGER,
            "kind": {"enum": list(models.OBLIGATION_KINDS)},
            "target_value": spec.TEXT_OR_NULL,
            "due_on": spec.DATE,
            "actual_value": spec.TEXT_OR_NULL,
            "actual_on": spec.DATE_OR_NULL,
            "assessed_on": spec.DATE_OR_NULL,
            "status": {"enum": list(models.OBLIGATION_STATUSES)},
            "consequence": {"enum": list(models.CONSEQUENCES)},
            "withholding": spec.BOOLEAN,
            "note": spec.TEXT_OR_NULL,
            "withhold_lifted_at": spec.TIMESTAMP_OR_NULL,
            "withhold_lifted_by_id": spec.ID_OR_NULL,
            "withhold_lift_note": spec.TEXT_OR_NULL,
            **spec.STAMPS,
        }
    ),
}
