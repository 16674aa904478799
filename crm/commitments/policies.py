"""The policy catalog: who sees which policies, who manages them, and their rules.

A policy's region is a county (visible to that county only) or a city/province (visible to
every county below it). ``Policy`` is not ``CountyOwned``, so every read here filters by
region explicitly: county users see their county's chain of regions, coordinators the
chains of the counties they read plus their own, admins the non-county policies they
manage. Managers manage their own county's policies; admins the province-wide (and
city-wide) ones; coordinators read only, as everywhere.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select

from crm.commitments.models import FAIR_REVIEW_STATES, POLICY_KINDS, Policy
from crm.core import clock
from crm.core.db import changed, db, utcnow
from crm.core.errors import ServiceError, refuse_stale
from crm.core.serialize import columns_dict
from crm.regions.models import Region, RegionLevel
from crm.util.money import quantize_wan

MAX_WAN = Decimal("999999999999.99")  # NUMERIC(14, 2)
#: What ``create_policy`` and ``update_policy`` take by name: what the policy form and an
#: API body hand over.
POLICY_FIELDS = (
    "name",
    "kind",
    "legal_basis",
    "max_amount_wan",
    "max_ratio_pct",
    "valid_from",
    "valid_to",
    "fair_review",
    "description",
)
#: The terms a new policy may leave out; an update must name every term but ``description``.
_NEW_POLICY_DEFAULTS = {"valid_to": None, "fair_review": "pending"}


class NotAllowed(ServiceError):
    """The actor's role may not do this (403)."""

    status = 403


def _parents() -> dict[int, int | None]:
    """Every region's parent, in one statement (a province has about a hundred regions)."""
    return dict(db.session.execute(select(Region.id, Region.parent_id)).all())


def _chain(parents: dict[int, int | None], region_id: int | None) -> list[int]:
    chain, seen = [], set()
    while region_id is not None and region_id not in seen:
        seen.add(region_id)
        chain.append(region_id)
        region_id = parents.get(region_id)
    return chain


def region_chain(region_id: int | None) -> list[int]:
    """The region and all its ancestors (county → city → province)."""
    if region_id is None:
        return []
    return _chain(_parents(), region_id)


def visible_region_ids(user) -> set[int] | None:
    """Regions whose policies ``user`` may read; None means "every non-county region" (admin)."""
    role = user.role.value
    if role == "admin":
        return None
    if role == "coordinator":
        from crm.core.access import descendant_county_ids

        parents = _parents()
        regions = set(_chain(parents, user.region_id))
        for county_id in descendant_county_ids(user.region_id):
            regions.update(_chain(parents, county_id))
        return regions
    return set(region_chain(user.county_id))


def visible_policies(user):
    """A select of the policies ``user`` may read, most recent first."""
    statement = select(Policy).order_by(Policy.valid_from.desc(), Policy.id.desc())
    regions = visible_region_ids(user)
    if regions is None:
        county_ids = select(Region.id).where(Region.level == RegionLevel.county)
        return statement.where(Policy.region_id.not_in(county_ids))
    return statement.where(Policy.region_id.in_(sorted(regions) or [-1]))


def policies_for_county(county_id: int):
    """Policies a commitment of this county may rest on."""
    return (
        select(Policy).where(Policy.region_id.in_(region_chain(county_id))).order_by(Policy.name, Policy.id)
    )


def policy_visible_to_county(policy: Policy, county_id: int) -> bool:
    return policy.region_id in region_chain(county_id)


def load_policy_or_404(user, policy_id) -> Policy:
    try:
        policy_id = int(policy_id)
    except (TypeError, ValueError):
        abort(404)
    policy = db.session.execute(visible_policies(user).where(Policy.id == policy_id)).scalar_one_or_none()
    if policy is None:
        abort(404)
    return policy


def load_managed_policy(user, policy_id) -> Policy:
    """``load_policy_or_404``, then 403 unless ``user`` manages the policy's region."""
    policy = load_policy_or_404(user, policy_id)
    if not can_manage_policy_region(user, policy.region):
        abort(403)
    return policy


def can_manage_policy_region(user, region: Region) -> bool:
    role = user.role.value
    if role == "manager":
        return region.id == user.county_id
    if role == "admin":
        return region.level != RegionLevel.county
    return False


def manageable_regions(user) -> list[Region]:
    if user.role.value == "manager":
        return [user.region]
    if user.role.value == "admin":
        return list(
            db.session.execute(
                select(Region).where(Region.level != RegionLevel.county).order_by(Region.code)
            ).scalars()
        )
    return []


def _validated(
    *,
    name: str,
    kind: str,
    legal_basis: str,
    max_amount_wan: Decimal | None,
    max_ratio_pct: Decimal | None,
    valid_from: date | None,
    valid_to: date | None,
    fair_review: str,
    description: str | None = None,
) -> dict:
    """A policy's terms (``POLICY_FIELDS``) as they are stored; 422 naming every field refused."""
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    legal_basis = (legal_basis or "").strip()
    if not name:
        errors["name"] = [_("请填写政策名称")]
    elif len(name) > 200:
        errors["name"] = [_("不能超过 %(n)d 个字", n=200)]
    if kind not in POLICY_KINDS:
        errors["kind"] = [_("请选择政策类型")]
    if not legal_basis:
        errors["legal_basis"] = [_("请填写政策依据（文号）")]
    elif len(legal_basis) > 200:
        errors["legal_basis"] = [_("不能超过 %(n)d 个字", n=200)]
    if max_amount_wan is not None and not (0 < max_amount_wan <= MAX_WAN):
        errors["max_amount_wan"] = [_("最高金额必须大于 0") if max_amount_wan <= 0 else _("金额过大")]
    if max_ratio_pct is not None and not (Decimal(0) < max_ratio_pct <= 100):
        errors["max_ratio_pct"] = [_("最高比例应在 0 到 100（%）之间")]
    if max_amount_wan is None and max_ratio_pct is None and "max_amount_wan" not in errors:
        errors["max_amount_wan"] = [_("审慎承诺：请至少填写最高金额或最高比例之一")]
    if valid_from is None:
        errors["valid_from"] = [_("请填写生效日期")]
    elif valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = [_("失效日期不能早于生效日期")]
    if fair_review not in FAIR_REVIEW_STATES:
        errors["fair_review"] = [_("请选择公平竞争审查状态")]
    if errors:
        raise ServiceError(_("政策信息有误，未保存"), errors)
    return {
        "name": name,
        "kind": kind,
        "legal_basis": legal_basis,
        "max_amount_wan": quantize_wan(max_amount_wan) if max_amount_wan is not None else None,
        "max_ratio_pct": Decimal(max_ratio_pct).quantize(Decimal("0.01"))
        if max_ratio_pct is not None
        else None,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "fair_review": fair_review,
        "description": (description or "").strip() or None,
    }


def create_policy(actor, region: Region, **terms) -> Policy:
    """Publish a policy of ``region`` with ``terms`` (``POLICY_FIELDS``, as ``_validated`` takes them)."""
    if region is None or not can_manage_policy_region(actor, region):
        raise NotAllowed(_("您不能为该区划发布政策：局长管理本县政策，系统管理员管理全省（市）政策"))
    policy = Policy(region_id=region.id, **_validated(**{**_NEW_POLICY_DEFAULTS, **terms}))
    if policy.fair_review == "failed":
        policy.review_failed_at = utcnow()
    db.session.add(policy)
    db.session.flush()
    return policy


def update_policy(policy: Policy, actor, *, version: int | None, **terms) -> Policy:
    """Change ``policy`` to ``terms`` (``POLICY_FIELDS``, as ``_validated`` takes them) at ``version``."""
    if not can_manage_policy_region(actor, policy.region):
        raise NotAllowed(_("您不能修改该政策"))
    refuse_stale(policy, version, _("该政策已被他人修改，您的保存未生效"), policy_snapshot(policy))
    values = _validated(**terms)
    if values["fair_review"] == "failed" and policy.fair_review != "failed":
        # The live commitments under it go to 存量清理 (crm.commitments.queries.cleanup_statement).
        policy.review_failed_at = utcnow()
    return changed(policy, values)


def withdraw_policy(
    policy: Policy,
    actor,
    *,
    withdrawn_on: date | None,
    document: str | None,
    reason: str | None,
    version: int | None = None,
    today: date | None = None,
) -> Policy:
    """废止: from ``withdrawn_on`` the policy backs no new promise, and every live commitment
    under it goes to the 存量清理 list for a manager to continue or revoke (issue 14 item 12)."""
    if not can_manage_policy_region(actor, policy.region):
        raise NotAllowed(_("您不能废止该政策"))
    refuse_stale(policy, version, _("该政策已被他人修改，您的保存未生效"), policy_snapshot(policy))
    today = today or clock.today()
    document, reason = (document or "").strip(), (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if policy.withdrawn_on is not None:
        errors["withdrawn_on"] = [_("该政策已于 %(day)s 废止", day=policy.withdrawn_on.isoformat())]
    elif withdrawn_on is None:
        errors["withdrawn_on"] = [_("请填写废止日期")]
    elif withdrawn_on > today:
        errors["withdrawn_on"] = [_("废止日期不能晚于今天")]
    elif withdrawn_on < policy.valid_from:
        errors["withdrawn_on"] = [_("废止日期不能早于生效日期 %(day)s", day=policy.valid_from.isoformat())]
    if not document:
        errors["document"] = [_("请填写废止文件文号")]
    elif len(document) > 100:
        errors["document"] = [_("不能超过 %(n)d 个字", n=100)]
    if not reason:
        errors["reason"] = [_("请填写废止原因")]
    if errors:
        raise ServiceError(_("废止信息有误，未保存"), errors)
    policy.withdrawn_on = withdrawn_on
    policy.withdrawn_at = utcnow()
    policy.withdrawal_document = document
    policy.withdrawal_reason = reason
    db.session.flush()
    return policy


def policy_snapshot(policy: Policy) -> dict:
    return columns_dict(policy)
