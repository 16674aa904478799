"""Writes between counties: transfer offers and answers, benefit-sharing agreements,
collision rulings. Shared by the pages and the API; each flushes and the caller commits.

Rules (docs/design.md "Between counties and above them"):
- Only a manager of the county holding the project offers it, to another county, with the
  offering county's share (0–100 %, the receiving county holds the rest) and a term in years.
  One open offer per project.
- Only a manager of the receiving county answers, on the version they saw (a changed or
  already answered offer → 409). Acceptance moves the project and its records
  (``crm.coordination.moving``) and makes the agreement, starting the day of acceptance.
- 异地建设: the holding county's manager records an agreement with the park's county; the
  project does not move.
- Every agreement change leaves an audit row in each county it names, so both counties'
  cached figures are recomputed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from crm.audit.recorder import insert_audit_rows
from crm.coordination.access import is_manager_of
from crm.coordination.models import (
    AGREEMENT_KINDS,
    COLLISION_RULINGS,
    TRANSFER_REASONS,
    BenefitAgreement,
    BenefitShare,
    CollisionAlert,
    Transfer,
)
from crm.coordination.moving import move_project
from crm.core import clock
from crm.core.db import added, db, utcnow
from crm.core.errors import ConflictError, ServiceError, refuse_stale
from crm.core.tenancy import system_scope
from crm.regions.models import Region

__all__ = [
    "answer_transfer",
    "create_agreement",
    "offer_transfer",
    "parse_percent",
    "rule_collision",
    "withdraw_transfer",
]

HUNDRED = Decimal(100)
MAX_YEARS = 30


class Forbidden(ServiceError):
    status = 403


def parse_percent(raw, field: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ServiceError(_("请求中的字段有误"), {field: [_("须为 0 到 100 之间的百分数")]}) from None
    if not value.is_finite() or not 0 <= value <= HUNDRED or value != value.quantize(Decimal("0.01")):
        raise ServiceError(_("请求中的字段有误"), {field: [_("须为 0 到 100 之间的百分数，最多两位小数")]})
    return value.quantize(Decimal("0.01"))


def _check_years(years) -> int:
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= MAX_YEARS:
        raise ServiceError(_("请求中的字段有误"), {"years": [_("年限须为 1 到 30 年")]})
    return years


def _county(county_id) -> Region:
    region = db.session.get(Region, county_id) if isinstance(county_id, int) else None
    if region is None or not region.is_county:
        raise ServiceError(_("请求中的字段有误"), {"to_county_id": [_("请选择一个县（区）")]})
    return region


def offer_transfer(project, values: dict, actor) -> Transfer:
    """County A (the project's county) offers the project to county B."""
    if not is_manager_of(actor, project.county_id):
        raise Forbidden(_("只有项目所在县的局长可以推荐流转"))
    errors = {}
    to_county = _county(values.get("to_county_id"))
    if to_county.id == project.county_id:
        errors["to_county_id"] = [_("不能流转给本县")]
    if values.get("reason") not in TRANSFER_REASONS:
        errors["reason"] = [_("请选择流转原因")]
    if project.stage == "lost":
        errors["project"] = [_("已终止的项目不能流转")]
    if errors:
        raise ServiceError(_("请求中的字段有误"), errors)
    share = parse_percent(values.get("from_share_percent"), "from_share_percent")
    years = _check_years(values.get("years"))
    open_offer = db.session.execute(
        select(Transfer.id).where(Transfer.project_id == project.id, Transfer.status == "offered")
    ).first()
    if open_offer:
        raise ServiceError(_("该项目已有一个待接收的流转"), {"project": [_("该项目已有一个待接收的流转")]})
    transfer = Transfer(
        project_id=project.id,
        from_county_id=project.county_id,
        to_county_id=to_county.id,
        reason=values["reason"],
        note=(values.get("note") or "").strip() or None,
        from_share_percent=share,
        years=years,
        offered_by_id=actor.id,
        collision_id=values.get("collision_id"),
    )
    return added(transfer)


def _check_version(record, version) -> None:
    try:
        seen = int(version)
    except (TypeError, ValueError):
        seen = None
    refuse_stale(
        record, seen, _("该记录已被他人修改，请刷新后再试"), {"status": record.status}, required=True
    )


def answer_transfer(transfer: Transfer, accept: bool, note: str | None, version, actor) -> Transfer:
    """County B's manager accepts (the project moves, the agreement is made) or declines."""
    if not is_manager_of(actor, transfer.to_county_id):
        raise Forbidden(_("只有接收县的局长可以接收或拒绝流转"))
    _check_version(transfer, version)
    if transfer.status != "offered":
        raise ConflictError(_("该流转已处理"), {"version": transfer.version, "status": transfer.status})
    if not accept and not (note or "").strip():
        raise ServiceError(_("请求中的字段有误"), {"note": [_("拒绝须说明理由")]})
    with system_scope():
        from crm.projects.models import Project

        held_by = db.session.execute(
            select(Project.county_id).where(Project.id == transfer.project_id)
        ).scalar_one()
    if held_by != transfer.from_county_id:
        raise ConflictError(_("项目已不在推荐县，该流转不能再接收"), {"status": transfer.status})
    transfer.status = "accepted" if accept else "declined"
    transfer.answered_by_id, transfer.answered_at = actor.id, utcnow()
    transfer.answer_note = (note or "").strip() or None
    db.session.flush()
    if accept:
        move_project(transfer.project_id, transfer.from_county_id, transfer.to_county_id, actor, actor.id)
        agreement = BenefitAgreement(
            project_id=transfer.project_id,
            kind="transfer",
            origin_county_id=transfer.from_county_id,
            host_county_id=transfer.to_county_id,
            starts_on=clock.today(),
            years=transfer.years,
            transfer_id=transfer.id,
            created_by_id=actor.id,
        )
        share = transfer.from_share_percent
        _add_shares(agreement, {transfer.from_county_id: share, transfer.to_county_id: HUNDRED - share})
        shares = {str(k): str(v) for k, v in _share_map(agreement).items()}
        _add_agreement(agreement, actor, {"project_id": transfer.project_id, "shares": shares})
    db.session.flush()
    return transfer


def withdraw_transfer(transfer: Transfer, version, actor) -> Transfer:
    """County A's manager takes back an offer not yet answered."""
    if not is_manager_of(actor, transfer.from_county_id):
        raise Forbidden(_("只有推荐县的局长可以撤回流转"))
    _check_version(transfer, version)
    if transfer.status != "offered":
        raise ConflictError(_("该流转已处理"), {"version": transfer.version, "status": transfer.status})
    transfer.status = "withdrawn"
    db.session.flush()
    return transfer


def _add_shares(agreement: BenefitAgreement, funds: dict[int, Decimal], output=None, tax=None) -> None:
    for county_id, percent in funds.items():
        agreement.shares.append(
            BenefitShare(
                county_id=county_id,
                funds_percent=percent,
                output_percent=(output or funds)[county_id],
                tax_percent=(tax or funds)[county_id],
            )
        )


def _share_map(agreement) -> dict[int, Decimal]:
    return {s.county_id: s.funds_percent for s in agreement.shares}


def _add_agreement(agreement: BenefitAgreement, actor, after: dict) -> BenefitAgreement:
    """Save a new agreement, with its audit row in both counties it names."""
    added(agreement)
    counties = (agreement.origin_county_id, agreement.host_county_id)
    rows = [(agreement.id, county_id, None, after) for county_id in sorted(set(counties))]
    insert_audit_rows(db.session, "benefit_agreements", "create", rows, actor=actor)
    return agreement


def create_agreement(project, values: dict, actor) -> BenefitAgreement:
    """异地建设: the project stays with its county and is built in a park of the host county;
    ``values``: host_county_id, park, years, and the origin's share of funds, output, tax."""
    if not is_manager_of(actor, project.county_id):
        raise Forbidden(_("只有项目所在县的局长可以登记异地建设"))
    host = _county(values.get("host_county_id"))
    if host.id == project.county_id:
        raise ServiceError(_("请求中的字段有误"), {"host_county_id": [_("异地建设须在另一个县")]})
    years = _check_years(values.get("years"))
    percents = {
        key: parse_percent(values.get(f"origin_{key}_percent"), f"origin_{key}_percent")
        for key in ("funds", "output", "tax")
    }
    agreement = BenefitAgreement(
        project_id=project.id,
        kind="offsite",
        origin_county_id=project.county_id,
        host_county_id=host.id,
        starts_on=values.get("starts_on") or clock.today(),
        years=years,
        park=(values.get("park") or "").strip() or None,
        created_by_id=actor.id,
    )
    split = {key: {project.county_id: p, host.id: HUNDRED - p} for key, p in percents.items()}
    _add_shares(agreement, split["funds"], split["output"], split["tax"])
    return _add_agreement(agreement, actor, {"project_id": project.id, "kind": AGREEMENT_KINDS["offsite"]})


def rule_collision(alert: CollisionAlert, values: dict, actor) -> CollisionAlert:
    """The coordinator over both counties rules: one county leads, joint pursuit, or a
    transfer (an offer from the other county's project to the leading county)."""
    from crm.coordination.access import can_rule

    if not can_rule(actor, alert):
        raise Forbidden(_("只有两县共同的上级协调部门可以裁定"))
    _check_version(alert, values.get("version"))
    ruling = values.get("ruling")
    if ruling not in COLLISION_RULINGS:
        raise ServiceError(_("请求中的字段有误"), {"ruling": [_("请选择裁定结果")]})
    lead = values.get("lead_county_id")
    if ruling in ("lead", "transfer") and lead not in alert.counties():
        raise ServiceError(_("请求中的字段有误"), {"lead_county_id": [_("请选择主导的县")]})
    alert.status, alert.ruling = "ruled", ruling
    alert.lead_county_id = lead if ruling != "joint" else None
    alert.ruling_note = (values.get("note") or "").strip() or None
    alert.ruled_by_id, alert.ruled_at = actor.id, utcnow()
    db.session.flush()
    if ruling == "transfer":
        from crm.projects.models import Project

        give_project = alert.project_b_id if lead == alert.county_a_id else alert.project_a_id
        with system_scope():
            project_county = db.session.execute(
                select(Project.county_id).where(Project.id == give_project)
            ).scalar_one()
        share = parse_percent(values.get("from_share_percent", "50"), "from_share_percent")
        years = _check_years(values.get("years", 5))
        added(
            Transfer(
                project_id=give_project,
                from_county_id=project_county,
                to_county_id=lead,
                reason="other",
                note=_("撞车裁定：项目流转"),
                from_share_percent=share,
                years=years,
                offered_by_id=actor.id,
                collision_id=alert.id,
            )
        )
    return alert
