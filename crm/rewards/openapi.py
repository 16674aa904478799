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

PERIOD = {
    "name": "period",
    "in": "query",
    "required": True,
    "schema": spec.NON_EMPTY,
    "description": "2025, 2025Q4, 2025-03 or 2025-01-01..2025-06-30",
}

NUMBER_TEXT_OR_NULL = {"type": ["string", "number", "null"]}
PERCENT_OR_NULL = {"type": ["string", "null"], "description": "percent, decimal as text"}
RULE_OPTIONS = {
    "min_planned_investment_wan": spec.MONEY_OR_NULL,
    "min_fixed_asset_percent": PERCENT_OR_NULL,
    "min_outside_city_percent": PERCENT_OR_NULL,
    "new_entity_only": spec.BOOLEAN,
    "industries": spec.list_of(spec.STRING),
    "exclude_public_institution_staff": spec.BOOLEAN,
    "exclude_investor_related": spec.BOOLEAN,
    "application_days": {"type": ["integer", "null"]},
}
RULE_INPUT = {
    "name": spec.NON_EMPTY,
    "year": spec.INTEGER,
    "basis": {"enum": ["funds_in_place", "fixed_asset_investment", "planned_investment"]},
    "milestone": spec.STRING,
    "mode": {"enum": ["bracket", "progressive"]},
    "tiers": spec.list_of(
        spec.obj({"upper_wan": NUMBER_TEXT_OR_NULL, "rate_permille": {"type": ["string", "number"]}})
    ),
    "cap_wan": NUMBER_TEXT_OR_NULL,
    "exclude_public_officials": spec.BOOLEAN,
    "note": spec.TEXT_OR_NULL,
    # A request may send the thresholds as numbers too.
    **{key: NUMBER_TEXT_OR_NULL if key.startswith("min_") else value for key, value in RULE_OPTIONS.items()},
}

# Every rewards operation answers "OK" and may refuse a token (401); these add the rest.
READ = ("401", "404")
WRITE = ("400", "401", "403", "404", "422")
STALE = (*WRITE, "409")


def _page(summary, name):
    """A page of ``name``."""
    return spec.get_page(summary, name, "OK", refusals=READ)


def _read(summary, name, parameters=(), refusals=READ):
    """One ``name``, by the id in the path."""
    return spec.get_one(summary, name, refusals=refusals, parameters=parameters)


def _create(summary, name, body, refusals=WRITE):
    """A new ``name`` (201)."""
    return spec.create(summary, name, body, "OK", refusals=refusals)


def _change(summary, name, body, refusals=STALE):
    """A change of the record the id in the path names, answering the ``name`` it now is."""
    return spec.change(summary, name, body, "OK", refusals=refusals)


PATHS = {
    "/reward-rules": {
        "get": _page("Reward rules (奖励办法), every version", "RewardRule"),
        "post": _create(
            "Write a reward rule with its options (managers only)",
            "RewardRule",
            spec.obj(RULE_INPUT, required=("name", "year", "basis", "milestone", "mode", "tiers")),
            refusals=("400", "401", "403", "422"),
        ),
    },
    "/reward-rules/{id}": spec.at(
        "id",
        get=_read("One reward rule", "RewardRule"),
        patch=_change(
            "Change a rule (managers only; carry its version); one a finalized list used becomes a new version",
            "RewardRule",
            spec.versioned(RULE_INPUT),
        ),
    ),
    "/reward-rules/{id}/eligibility": spec.at(
        "id",
        get=_read(
            "Who is eligible under the rule in a period, with arithmetic and reasons",
            "Eligibility",
            parameters=[PERIOD],
            refusals=(*READ, "422"),
        ),
    ),
    "/reward-lists": {
        "get": _page("Reward lists (奖励名单), without lines", "RewardList"),
        "post": _create(
            "Compute a draft list for a rule and period",
            "RewardList",
            spec.obj(
                {"rule_id": spec.INTEGER, "period": spec.NON_EMPTY, "title": spec.TEXT_OR_NULL},
                required=("rule_id", "period"),
            ),
        ),
    },
    "/reward-lists/{id}": spec.at(
        "id", get=_read("A list with its eligible and ineligible lines", "RewardList")
    ),
    "/reward-lists/{id}/finalize": spec.at(
        "id",
        post=_change(
            "Finalize a draft (managers only); the list never changes afterwards",
            "RewardList",
            spec.versioned({}),
            refusals=("401", "403", "404", "409", "422"),
        ),
    ),
    "/reward-lists/{id}/publish": spec.at(
        "id",
        post=_change(
            "Publish a draft for its 公示期 (managers only): recomputed once, then its lines are frozen",
            "RewardList",
            spec.versioned(
                {"notice_start": spec.DATE, "notice_end": spec.DATE},
                required=("notice_start", "notice_end", "version"),
            ),
        ),
    ),
    "/reward-lists/{id}/objections": spec.at(
        "id",
        post=_create(
            "Record an objection received during the 公示期 against an eligible line",
            "RewardObjection",
            spec.obj(
                {
                    "line_id": spec.INTEGER,
                    "objector": spec.NON_EMPTY,
                    "objector_contact": spec.TEXT_OR_NULL,
                    "received_on": spec.DATE,
                    "content": spec.NON_EMPTY,
                },
                required=("line_id", "objector", "received_on", "content"),
            ),
        ),
    ),
    "/reward-objections/{id}/resolve": spec.at(
        "id",
        post=_change(
            "Resolve an objection (managers only): upheld withdraws the line's reward",
            "RewardObjection",
            spec.versioned(
                {"decision": {"enum": ["upheld", "dismissed"]}, "outcome": spec.NON_EMPTY},
                required=("decision", "outcome", "version"),
            ),
        ),
    ),
    "/referrals": {
        "get": _page("Referrals (引荐备案); filter by status or project_id", "Referral"),
        "post": _create(
            "Register a referral; a second claim on a project answers 409 and is kept as disputed",
            "Referral",
            "ReferralInput",
            refusals=STALE,
        ),
    },
    "/referrals/{id}": spec.at(
        "id",
        get=_read("One referral", "Referral"),
        patch=_change("Change a referral (carry its version)", "Referral", "ReferralPatch"),
        delete=spec.delete(
            "Delete a referral not used by a finalized list (managers only)",
            "OK",
            refusals=("401", "403", "404", "422"),
            parameters=(),
        ),
    ),
    "/referrals/{id}/resolve": spec.at(
        "id",
        post=_change(
            "Resolve a disputed claim: keep the existing referral or replace it (managers only)",
            "Referral",
            spec.obj({"action": {"enum": ["keep", "replace"]}, "note": spec.STRING}, required=("action",)),
            refusals=("401", "403", "404", "422"),
        ),
    ),
}

LINE = spec.obj(
    {
        "id": {
            "type": "integer",
            "description": "a saved list's line (what an objection names); absent when computed",
        },
        "project_id": spec.ID_OR_NULL,
        "project_name": spec.STRING,
        "referral_id": spec.ID_OR_NULL,
        "referrer_name": spec.TEXT_OR_NULL,
        "referrer_kind": spec.TEXT_OR_NULL,
        "is_public_official": spec.BOOLEAN,
        "signed_on": spec.DATE_OR_NULL,
        "referral_registered_on": spec.DATE_OR_NULL,
        "milestone_reached_on": spec.DATE,
        "eligible": spec.BOOLEAN,
        "reason_code": {"type": ["string", "null"], "enum": [None, *INELIGIBLE_REASONS]},
        "reason": spec.TEXT_OR_NULL,
        "basis_wan": spec.MONEY_OR_NULL,
        "rates": spec.TEXT_OR_NULL,
        "arithmetic": spec.TEXT_OR_NULL,
        "reward_wan": spec.MONEY,
        "capped": spec.BOOLEAN,
        # Each referrer's part of the reward by the agreed shares; excluded: the reason or null.
        "shares": {
            "type": ["array", "null"],
            "items": spec.obj(
                {
                    "referrer_name": spec.STRING,
                    "referrer_kind": spec.STRING,
                    "share_percent": spec.STRING,
                    "reward_wan": spec.MONEY,
                    "excluded": {"type": ["string", "null"], "enum": [None, *INELIGIBLE_REASONS]},
                }
            ),
        },
    }
)
TIERS = spec.list_of(spec.obj({"upper_wan": spec.MONEY_OR_NULL, "rate_permille": spec.STRING}))
REFERRAL_PROPERTIES = {
    "project_id": spec.INTEGER,
    "referrer_name": spec.NON_EMPTY,
    "referrer_kind": {"enum": list(REFERRER_KINDS)},
    "is_public_official": spec.BOOLEAN,
    "is_public_institution_staff": spec.BOOLEAN,
    "is_investor_related": spec.BOOLEAN,
    # The referrer's agreed share; with co-referrers all shares make 100 (else it is 100).
    "share_percent": {"type": ["string", "number", "null"]},
    "share_agreement": spec.TEXT_OR_NULL,
    "co_referrers": spec.list_of(
        spec.obj(
            {
                "referrer_name": spec.NON_EMPTY,
                "referrer_kind": {"enum": list(REFERRER_KINDS)},
                "share_percent": {"type": ["string", "number"]},
                "is_public_official": spec.BOOLEAN,
                "is_public_institution_staff": spec.BOOLEAN,
                "is_investor_related": spec.BOOLEAN,
            },
            required=("referrer_name", "share_percent"),
        )
    ),
    "applied_on": spec.DATE_OR_NULL,
    "contact": spec.TEXT_OR_NULL,
    "registered_on": spec.DATE,
    "investor_confirmed": spec.BOOLEAN,
    "investor_confirmed_on": spec.DATE_OR_NULL,
    "confirmation_evidence": spec.TEXT_OR_NULL,
    "note": spec.TEXT_OR_NULL,
}

SCHEMAS = {
    "RewardRule": spec.obj(
        {
            "id": spec.INTEGER,
            "county_id": spec.INTEGER,
            "name": spec.STRING,
            "year": spec.INTEGER,
            "basis": {"enum": ["funds_in_place", "fixed_asset_investment", "planned_investment"]},
            "milestone": spec.STRING,
            "mode": {"enum": ["bracket", "progressive"]},
            "tiers": TIERS,
            "cap_wan": spec.MONEY_OR_NULL,
            "exclude_public_officials": spec.BOOLEAN,
            **RULE_OPTIONS,
            "rule_version": spec.INTEGER,
            "lineage_id": spec.ID_OR_NULL,
            "superseded_by_id": spec.ID_OR_NULL,
            "note": spec.TEXT_OR_NULL,
            "version": spec.INTEGER,
        }
    ),
    "RewardLine": LINE,
    "Eligibility": spec.obj(
        {
            "rule": spec.ref("RewardRule"),
            "period": spec.obj({"text": spec.STRING, "start": spec.DATE, "end": spec.DATE}),
            "eligible": spec.list_of(spec.ref("RewardLine")),
            "ineligible": spec.list_of(spec.ref("RewardLine")),
            "total_reward_wan": spec.MONEY,
        }
    ),
    "RewardList": spec.obj(
        {
            "id": spec.INTEGER,
            "rule_id": spec.INTEGER,
            "title": spec.STRING,
            "status": {"enum": list(LIST_STATUSES)},
            "notice_start": spec.DATE_OR_NULL,
            "notice_end": spec.DATE_OR_NULL,
            "published_at": spec.TIMESTAMP_OR_NULL,
            "period_text": spec.STRING,
            "period_start": spec.DATE,
            "period_end": spec.DATE,
            "rule_name": spec.STRING,
            "rule_version": spec.INTEGER,
            "basis": spec.STRING,
            "milestone": spec.STRING,
            "mode": spec.STRING,
            "tiers": TIERS,
            "cap_wan": spec.MONEY_OR_NULL,
            **RULE_OPTIONS,
            "total_reward_wan": spec.MONEY,
            "computed_at": spec.TIMESTAMP,
            "finalized_at": spec.TIMESTAMP_OR_NULL,
            "version": spec.INTEGER,
            "eligible": spec.list_of(spec.ref("RewardLine")),
            "ineligible": spec.list_of(spec.ref("RewardLine")),
            # Projects whose milestone date changed after the list was frozen (the list keeps its own).
            "discrepancies": spec.list_of(
                spec.obj(
                    {
                        "project_id": spec.ID_OR_NULL,
                        "project_name": spec.STRING,
                        "recorded_on": spec.DATE,
                        "current_on": spec.DATE_OR_NULL,
                        "in_period": spec.BOOLEAN,
                    }
                )
            ),
            "objections": spec.list_of(spec.ref("RewardObjection")),
        }
    ),
    "RewardObjection": spec.obj(
        {
            "id": spec.INTEGER,
            "list_id": spec.INTEGER,
            "line_id": spec.INTEGER,
            "project_name": spec.STRING,
            "objector": spec.STRING,
            "objector_contact": spec.TEXT_OR_NULL,
            "received_on": spec.DATE,
            "content": spec.STRING,
            "status": {"enum": list(OBJECTION_STATUSES)},
            "outcome": spec.TEXT_OR_NULL,
            "resolved_on": spec.DATE_OR_NULL,
            "version": spec.INTEGER,
        }
    ),
    "ReferralInput": spec.obj(
        REFERRAL_PROPERTIES, required=("project_id", "referrer_name", "referrer_kind", "registered_on")
    ),
    # A change carries the version it was made on; the project stays the one registered.
    "ReferralPatch": spec.versioned({k: v for k, v in REFERRAL_PROPERTIES.items() if k != "project_id"}),
    "Referral": spec.obj(
        {
            **REFERRAL_PROPERTIES,
            "id": spec.INTEGER,
            "county_id": spec.INTEGER,
            "status": {"enum": list(REFERRAL_STATUSES)},
            "project_name": spec.STRING,
            "registered_after_signing": spec.BOOLEAN,
            "version": spec.INTEGER,
        }
    ),
}
