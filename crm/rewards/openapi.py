"""OpenAPI paths and schemas of the rewards API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from crm.api import openapi as spec
from crm.rewards.models import (
    INELIGIBLE_REASONS,
    LIST_STATUSES,
    OBJECTION_STATUSES,
    REFERRAL_STATUSES,
    REFERRER_KINDS,
)


def _op(summary, ok="200", schema=None, params=(), body=None, extra=("404",)):
    """One spec.operation answering ``ok`` (with ``schema``), 401 and the ``extra`` problems."""
    return spec.operation(summary, ok, "OK", schema, refusals=("401", *extra), parameters=params, body=body)


ID = spec.path_id("id")
PERIOD = {
    "name": "period",
    "in": "query",
    "required": True,
    "schema": {"type": "string", "minLength": 1},
    "description": "2025, 2025Q4, 2025-03 or 2025-01-01..2025-06-30",
}

NUMBER_TEXT_OR_NULL = {"type": ["string", "number", "null"]}
PERCENT_OR_NULL = {"type": ["string", "null"], "description": "percent, decimal as text"}
RULE_OPTIONS = {
    "min_planned_investment_wan": spec.MONEY_OR_NULL,
    "min_fixed_asset_percent": PERCENT_OR_NULL,
    "min_outside_city_percent": PERCENT_OR_NULL,
    "new_entity_only": {"type": "boolean"},
    "industries": {"type": "array", "items": {"type": "string"}},
    "exclude_public_institution_staff": {"type": "boolean"},
    "exclude_investor_related": {"type": "boolean"},
    "application_days": {"type": ["integer", "null"]},
}
RULE_INPUT = {
    "name": {"type": "string", "minLength": 1},
    "year": {"type": "integer"},
    "basis": {"enum": ["funds_in_place", "fixed_asset_investment", "planned_investment"]},
    "milestone": {"type": "string"},
    "mode": {"enum": ["bracket", "progressive"]},
    "tiers": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"upper_wan": NUMBER_TEXT_OR_NULL, "rate_permille": {"type": ["string", "number"]}},
        },
    },
    "cap_wan": NUMBER_TEXT_OR_NULL,
    "exclude_public_officials": {"type": "boolean"},
    "note": spec.TEXT_OR_NULL,
    # A request may send the thresholds as numbers too.
    **{key: NUMBER_TEXT_OR_NULL if key.startswith("min_") else value for key, value in RULE_OPTIONS.items()},
}

PATHS = {
    "/reward-rules": {
        "get": _op(
            "Reward rules (奖励办法), every version",
            schema=spec.page_of("RewardRule"),
            params=spec.PAGE_PARAMETERS,
        ),
        "post": _op(
            "Write a reward rule with its options (managers only)",
            ok="201",
            schema=spec.ref("RewardRule"),
            body={
                "type": "object",
                "required": ["name", "year", "basis", "milestone", "mode", "tiers"],
                "properties": RULE_INPUT,
            },
            extra=("400", "403", "422"),
        ),
    },
    "/reward-rules/{id}": {
        "get": _op("One reward rule", schema=spec.ref("RewardRule"), params=[ID]),
        "patch": _op(
            "Change a rule (managers only; carry its version); one a finalized list used becomes a new version",
            schema=spec.ref("RewardRule"),
            params=[ID],
            body={
                "type": "object",
                "required": ["version"],
                "properties": {**RULE_INPUT, "version": {"type": "integer"}},
            },
            extra=("400", "403", "404", "409", "422"),
        ),
    },
    "/reward-rules/{id}/eligibility": {
        "get": _op(
            "Who is eligible under the rule in a period, with arithmetic and reasons",
            schema=spec.ref("Eligibility"),
            params=[ID, PERIOD],
            extra=("404", "422"),
        )
    },
    "/reward-lists": {
        "get": _op(
            "Reward lists (奖励名单), without lines",
            schema=spec.page_of("RewardList"),
            params=spec.PAGE_PARAMETERS,
        ),
        "post": _op(
            "Compute a draft list for a rule and period",
            ok="201",
            schema=spec.ref("RewardList"),
            body={
                "type": "object",
                "required": ["rule_id", "period"],
                "properties": {
                    "rule_id": {"type": "integer"},
                    "period": {"type": "string", "minLength": 1},
                    "title": spec.TEXT_OR_NULL,
                },
            },
            extra=("400", "403", "404", "422"),
        ),
    },
    "/reward-lists/{id}": {
        "get": _op(
            "A list with its eligible and ineligible lines", schema=spec.ref("RewardList"), params=[ID]
        )
    },
    "/reward-lists/{id}/finalize": {
        "post": _op(
            "Finalize a draft (managers only); the list never changes afterwards",
            schema=spec.ref("RewardList"),
            params=[ID],
            extra=("403", "404", "409", "422"),
        )
    },
    "/reward-lists/{id}/publish": {
        "post": _op(
            "Publish a draft for its 公示期 (managers only): recomputed once, then its lines are frozen",
            schema=spec.ref("RewardList"),
            params=[ID],
            body={
                "type": "object",
                "required": ["notice_start", "notice_end"],
                "properties": {
                    "notice_start": spec.DATE,
                    "notice_end": spec.DATE,
                    "version": {"type": "integer"},
                },
            },
            extra=("400", "403", "404", "409", "422"),
        )
    },
    "/reward-lists/{id}/objections": {
        "post": _op(
            "Record an objection received during the 公示期 against an eligible line",
            ok="201",
            schema=spec.ref("RewardObjection"),
            params=[ID],
            body={
                "type": "object",
                "required": ["line_id", "objector", "received_on", "content"],
                "properties": {
                    "line_id": {"type": "integer"},
                    "objector": {"type": "string", "minLength": 1},
                    "objector_contact": spec.TEXT_OR_NULL,
                    "received_on": spec.DATE,
                    "content": {"type": "string", "minLength": 1},
                },
            },
            extra=("400", "403", "404", "422"),
        )
    },
    "/reward-objections/{id}/resolve": {
        "post": _op(
            "Resolve an objection (managers only): upheld withdraws the line's reward",
            schema=spec.ref("RewardObjection"),
            params=[ID],
            body={
                "type": "object",
                "required": ["decision", "outcome"],
                "properties": {
                    "decision": {"enum": ["upheld", "dismissed"]},
                    "outcome": {"type": "string", "minLength": 1},
                    "version": {"type": "integer"},
                },
            },
            extra=("400", "403", "404", "409", "422"),
        )
    },
    "/referrals": {
        "get": _op(
            "Referrals (引荐备案); filter by status or project_id",
            schema=spec.page_of("Referral"),
            params=spec.PAGE_PARAMETERS,
        ),
        "post": _op(
            "Register a referral; a second claim on a project answers 409 and is kept as disputed",
            ok="201",
            schema=spec.ref("Referral"),
            body=spec.ref("ReferralInput"),
            extra=("400", "403", "404", "409", "422"),
        ),
    },
    "/referrals/{id}": {
        "get": _op("One referral", schema=spec.ref("Referral"), params=[ID]),
        "patch": _op(
            "Change a referral (carry its version)",
            schema=spec.ref("Referral"),
            params=[ID],
            body=spec.ref("ReferralPatch"),
            extra=("400", "403", "404", "409", "422"),
        ),
        "delete": _op(
            "Delete a referral not used by a finalized list (managers only)",
            ok="204",
            params=[ID],
            extra=("403", "404", "422"),
        ),
    },
    "/referrals/{id}/resolve": {
        "post": _op(
            "Resolve a disputed claim: keep the existing referral or replace it (managers only)",
            schema=spec.ref("Referral"),
            params=[ID],
            body={
                "type": "object",
                "required": ["action"],
                "properties": {"action": {"enum": ["keep", "replace"]}, "note": {"type": "string"}},
            },
            extra=("403", "404", "422"),
        )
    },
}

LINE = {
    "type": "object",
    "properties": {
        "project_id": spec.ID_OR_NULL,
        "project_name": {"type": "string"},
        "referral_id": spec.ID_OR_NULL,
        "referrer_name": spec.TEXT_OR_NULL,
        "referrer_kind": spec.TEXT_OR_NULL,
        "is_public_official": {"type": "boolean"},
        "signed_on": spec.DATE_OR_NULL,
        "referral_registered_on": spec.DATE_OR_NULL,
        "milestone_reached_on": spec.DATE,
        "eligible": {"type": "boolean"},
        "reason_code": {"type": ["string", "null"], "enum": [None, *INELIGIBLE_REASONS]},
        "reason": spec.TEXT_OR_NULL,
        "basis_wan": spec.MONEY_OR_NULL,
        "rates": spec.TEXT_OR_NULL,
        "arithmetic": spec.TEXT_OR_NULL,
        "reward_wan": spec.MONEY,
        "capped": {"type": "boolean"},
        # Each referrer's part of the reward by the agreed shares; excluded: the reason or null.
        "shares": {
            "type": ["array", "null"],
            "items": {
                "type": "object",
                "properties": {
                    "referrer_name": {"type": "string"},
                    "referrer_kind": {"type": "string"},
                    "share_percent": {"type": "string"},
                    "reward_wan": spec.MONEY,
                    "excluded": {"type": ["string", "null"], "enum": [None, *INELIGIBLE_REASONS]},
                },
            },
        },
    },
}
TIERS = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"upper_wan": spec.MONEY_OR_NULL, "rate_permille": {"type": "string"}},
    },
}
REFERRAL_PROPERTIES = {
    "project_id": {"type": "integer"},
    "referrer_name": {"type": "string", "minLength": 1},
    "referrer_kind": {"enum": list(REFERRER_KINDS)},
    "is_public_official": {"type": "boolean"},
    "is_public_institution_staff": {"type": "boolean"},
    "is_investor_related": {"type": "boolean"},
    # The referrer's agreed share; with co-referrers all shares make 100 (else it is 100).
    "share_percent": {"type": ["string", "number", "null"]},
    "share_agreement": spec.TEXT_OR_NULL,
    "co_referrers": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["referrer_name", "share_percent"],
            "properties": {
                "referrer_name": {"type": "string", "minLength": 1},
                "referrer_kind": {"enum": list(REFERRER_KINDS)},
                "share_percent": {"type": ["string", "number"]},
                "is_public_official": {"type": "boolean"},
                "is_public_institution_staff": {"type": "boolean"},
                "is_investor_related": {"type": "boolean"},
            },
        },
    },
    "applied_on": spec.DATE_OR_NULL,
    "contact": spec.TEXT_OR_NULL,
    "registered_on": spec.DATE,
    "investor_confirmed": {"type": "boolean"},
    "investor_confirmed_on": spec.DATE_OR_NULL,
    "confirmation_evidence": spec.TEXT_OR_NULL,
    "note": spec.TEXT_OR_NULL,
}

SCHEMAS = {
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
            "tiers": TIERS,
            "cap_wan": spec.MONEY_OR_NULL,
            "exclude_public_officials": {"type": "boolean"},
            **RULE_OPTIONS,
            "rule_version": {"type": "integer"},
            "lineage_id": spec.ID_OR_NULL,
            "superseded_by_id": spec.ID_OR_NULL,
            "note": spec.TEXT_OR_NULL,
            "version": {"type": "integer"},
        },
    },
    "RewardLine": LINE,
    "Eligibility": {
        "type": "object",
        "properties": {
            "rule": spec.ref("RewardRule"),
            "period": {
                "type": "object",
                "properties": {"text": {"type": "string"}, "start": spec.DATE, "end": spec.DATE},
            },
            "eligible": {"type": "array", "items": spec.ref("RewardLine")},
            "ineligible": {"type": "array", "items": spec.ref("RewardLine")},
            "total_reward_wan": spec.MONEY,
        },
    },
    "RewardList": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "rule_id": {"type": "integer"},
            "title": {"type": "string"},
            "status": {"enum": list(LIST_STATUSES)},
            "notice_start": spec.DATE_OR_NULL,
            "notice_end": spec.DATE_OR_NULL,
            "published_at": spec.TIMESTAMP_OR_NULL,
            "period_text": {"type": "string"},
            "period_start": spec.DATE,
            "period_end": spec.DATE,
            "rule_name": {"type": "string"},
            "rule_version": {"type": "integer"},
            "basis": {"type": "string"},
            "milestone": {"type": "string"},
            "mode": {"type": "string"},
            "tiers": TIERS,
            "cap_wan": spec.MONEY_OR_NULL,
            **RULE_OPTIONS,
            "total_reward_wan": spec.MONEY,
            "computed_at": spec.TIMESTAMP,
            "finalized_at": spec.TIMESTAMP_OR_NULL,
            "version": {"type": "integer"},
            "eligible": {"type": "array", "items": spec.ref("RewardLine")},
            "ineligible": {"type": "array", "items": spec.ref("RewardLine")},
            # Projects whose milestone date changed after the list was frozen (the list keeps its own).
            "discrepancies": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "project_id": spec.ID_OR_NULL,
                        "project_name": {"type": "string"},
                        "recorded_on": spec.DATE,
                        "current_on": spec.DATE_OR_NULL,
                        "in_period": {"type": "boolean"},
                    },
                },
            },
            "objections": {"type": "array", "items": spec.ref("RewardObjection")},
        },
    },
    "RewardObjection": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "list_id": {"type": "integer"},
            "line_id": {"type": "integer"},
            "project_name": {"type": "string"},
            "objector": {"type": "string"},
            "objector_contact": spec.TEXT_OR_NULL,
            "received_on": spec.DATE,
            "content": {"type": "string"},
            "status": {"enum": list(OBJECTION_STATUSES)},
            "outcome": spec.TEXT_OR_NULL,
            "resolved_on": spec.DATE_OR_NULL,
            "version": {"type": "integer"},
        },
    },
    "ReferralInput": {
        "type": "object",
        "properties": REFERRAL_PROPERTIES,
        "required": ["project_id", "referrer_name", "referrer_kind", "registered_on"],
    },
    # A change carries the version it was made on; the project stays the one registered.
    "ReferralPatch": {
        "type": "object",
        "required": ["version"],
        "properties": {
            **{k: v for k, v in REFERRAL_PROPERTIES.items() if k != "project_id"},
            "version": {"type": "integer"},
        },
    },
    "Referral": {
        "type": "object",
        "properties": {
            **REFERRAL_PROPERTIES,
            "id": {"type": "integer"},
            "county_id": {"type": "integer"},
            "status": {"enum": list(REFERRAL_STATUSES)},
            "project_name": {"type": "string"},
            "registered_after_signing": {"type": "boolean"},
            "version": {"type": "integer"},
        },
    },
}
