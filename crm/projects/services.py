"""Creating and editing projects (the stage moves live in ``pipeline``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from crm.audit.recorder import insert_audited, write_updates
from crm.auth.models import User
from crm.companies.models import Company
from crm.core import clock
from crm.core.db import db
from crm.core.errors import ServiceError, refuse_stale
from crm.core.serialize import api_value
from crm.projects import pipeline, registration
from crm.projects.models import (
    FUND_ORIGINS,
    PROJECT_KINDS,
    SOURCE_CHANNELS,
    STAGE_LABELS,
    STAGES,
    Project,
    StageChange,
)
from crm.util.money import format_wan
from crm.util.pinyin import initials, sort_key

TEXT_FIELDS = {  # field -> max length (None: unlimited)
    "name": 200,
    "code_name": 100,
    "responsible_unit": 100,
    "leader_in_charge": 100,
    "industry": 100,
    "contract_no": 100,
    "lost_reason": None,
    "description": None,
    # A manager's reason for accepting a local company registered outside the city.
    "local_company_confirmation": 500,
}
MONEY_FIELDS = (
    "planned_investment_wan",
    "fixed_asset_investment_wan",
    "foreign_investment_wan",
    "expected_annual_output_wan",
    "expected_annual_tax_wan",
)
DATE_FIELDS = (
    "first_contact_on",
    "signed_on",
    "registered_on",
    "construction_started_on",
    "production_started_on",
    "next_follow_up_on",
)
ID_FIELDS = ("investor_company_id", "local_company_id", "owner_id")
EDITABLE_FIELDS = (
    *TEXT_FIELDS,
    *MONEY_FIELDS,
    *DATE_FIELDS,
    *ID_FIELDS,
    "kind",
    "source_channel",
    "capital_origin",
    "expected_jobs",
    "land_mu",
)
MAX_LAND_MU = Decimal("1000000")
MAX_JOBS = 1_000_000
OWNER_ROLES = ("staff", "manager")


def owner_choices(county_id: int) -> list[User]:
    """The county's officers who may be responsible for a project, in pinyin order."""
    from sqlalchemy import select

    users = db.session.execute(
        select(User).where(User.region_id == county_id, User.is_active_user.is_(True))
    ).scalars()
    officers = [u for u in users if u.role.value in OWNER_ROLES]
    return sorted(officers, key=lambda u: (sort_key(u.display_name), u.id))  # pinyin order


def _check_values(values: dict, county_id: int, errors: dict, today: date) -> None:
    def add(field, message):
        errors.setdefault(field, []).append(message)

    if not (values.get("name") or "").strip():
        add("name", _("请填写项目名称"))
    for field, limit in TEXT_FIELDS.items():
        text = values.get(field)
        if text is not None and limit and len(text) > limit:
            add(field, _("最多 %(n)s 个字", n=limit))
    for field in MONEY_FIELDS:
        amount = values.get(field)
        if amount is None:
            continue
        if amount < 0:
            add(field, _("金额不能为负数"))
        elif amount > pipeline.MAX_AMOUNT_WAN:
            add(
                field,
                _(
                    "金额过大（超过 %(max)s 万元），请检查单位是否为万元",
                    max=format_wan(pipeline.MAX_AMOUNT_WAN),
                ),
            )
    land = values.get("land_mu")
    if land is not None and (land < 0 or land > MAX_LAND_MU):
        add("land_mu", _("用地面积应在 0 到 %(max)s 亩之间", max=format_wan(MAX_LAND_MU)))
    jobs = values.get("expected_jobs")
    if jobs is not None and (jobs < 0 or jobs > MAX_JOBS):
        add("expected_jobs", _("就业人数应在 0 到 %(max)s 之间", max=MAX_JOBS))
    if values.get("kind") not in PROJECT_KINDS:
        add("kind", _("请选择项目类型"))
    if values.get("source_channel") not in SOURCE_CHANNELS:
        add("source_channel", _("请选择招商方式"))
    if values.get("capital_origin") and values["capital_origin"] not in FUND_ORIGINS:
        add("capital_origin", _("请选择有效的资金来源"))
    for field in ("investor_company_id", "local_company_id"):
        company_id = values.get(field)
        if company_id is not None and db.session.get(Company, company_id) is None:
            add(field, _("所选企业不存在"))
    owner_id = values.get("owner_id")
    if owner_id is not None:
        owner = db.session.get(User, owner_id)
        if owner is None or owner.region_id != county_id or owner.role.value not in OWNER_ROLES:
            add("owner_id", _("负责人必须是本县的招商人员"))
    for found in (pipeline.date_order_errors(values), pipeline.future_date_errors(values, today)):
        for field, messages in found.items():
            errors.setdefault(field, []).extend(messages)


def _normalise(data: dict, errors: dict) -> dict:
    """Strip text; parse money and dates given as text (CLI, demo) into their types."""
    from crm.util.dates import parse_user_date
    from crm.util.money import parse_wan

    values = {}
    for key in EDITABLE_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if isinstance(value, str):
            value = value.strip() or None
        try:
            if isinstance(value, (str, int, float)) and not isinstance(value, bool) and key in MONEY_FIELDS:
                value = parse_wan(value, allow_negative=True)
            elif isinstance(value, str) and key in DATE_FIELDS:
                value = parse_user_date(value)
            elif isinstance(value, (str, int, float)) and key == "land_mu":
                value = Decimal(str(value))
        except ArithmeticError:
            errors.setdefault(key, []).append(_("应为数字"))
            continue
        except ValueError as exc:
            errors.setdefault(key, []).append(str(exc) or _("格式不正确"))
            continue
        values[key] = value
    return values


def current_values(project: Project) -> dict:
    """The stored values by field name, for a conflict: the edit page shows each under its
    field's label, an API client reads them (and the ``version``) as the record's own."""
    return {key: api_value(getattr(project, key)) for key in (*EDITABLE_FIELDS, "stage")}


def _confirmation(project: Project | None, values: dict, data: dict, actor, errors: dict) -> dict | None:
    """Take the confirmation text out of ``values``; the confirmation columns to write."""
    text = values.pop("local_company_confirmation", None)
    confirmed, columns = registration.confirmation_change(
        project, values.get("local_company_id"), text, "local_company_confirmation" in data, actor, errors
    )
    values["local_company_confirmed"] = confirmed
    return columns


def _new_project_values(
    data: dict, actor, county_id: int | None, today: date
) -> tuple[dict, dict | None, bool]:
    """The columns of a new project from ``data``, its confirmation columns and whether its
    local company stands confirmed; refused with every field's message."""
    errors: dict[str, list[str]] = {}
    values = {"kind": "new", "source_channel": "other", **_normalise(data, errors)}
    _check_values(values, county_id, errors, today)
    confirmation = _confirmation(None, values, data, actor, errors)
    if errors:
        raise ServiceError(_("项目未保存：请更正标出的内容"), errors)
    confirmed = values.pop("local_company_confirmed")
    return values, confirmation, confirmed


def create_project(data: dict, actor, county_id: int | None = None, today: date | None = None) -> Project:
    """Create a project at ``lead`` (or at ``data["stage"]`` through the pipeline rules)."""
    county_id = county_id or getattr(actor, "county_id", None)
    today = today or clock.today()
    values, confirmation, _confirmed = _new_project_values(data, actor, county_id, today)
    project = Project(county_id=county_id, stage="lead", **values, **(confirmation or {}))
    db.session.add(project)
    db.session.flush()
    pipeline.record_initial_stage(project, actor, today)
    stage = data.get("stage")
    if stage and stage != "lead":
        pipeline.move_stage(project, stage, actor, note=data.get("note"), today=today)
    return project


@dataclass
class NewProject:
    """A project checked by ``create_project``'s rules, to be written by ``create_projects``."""

    values: dict  # its columns as create_project writes them (confirmation columns included)
    stage: str  # the stage it is moved on to through the pipeline ("lead": not moved)
    note: str | None  # the move's note
    id: int | None = None  # set once written


def check_new_project(
    data: dict, actor, county_id: int, today: date, *, unwritten_local_company=None
) -> NewProject:
    """Check ``data`` as ``create_project`` would, the move to ``data["stage"]`` included,
    without writing: the same ``ServiceError`` (the project's, else the move's).

    ``unwritten_local_company`` is a 本地企业 the caller writes with the project (it has a
    ``name`` and a ``uscc`` but no id yet): the move's evidence is checked against it."""
    values, confirmation, confirmed = _new_project_values(data, actor, county_id, today)
    values.update(confirmation or {})
    stage = data.get("stage") or "lead"
    note = (data.get("note") or "").strip() or None
    if stage != "lead":
        stored = {"county_id": county_id, "local_company_confirmed": confirmed, **values}
        if unwritten_local_company is not None:
            stored["local_company"] = unwritten_local_company
        pipeline.check_first_move(stored, stage, actor, note, today)
    return NewProject(values, stage, note)


def create_projects(new_projects: list[NewProject], actor, county_id: int, today: date | None = None) -> None:
    """Write projects checked by ``check_new_project`` exactly as ``create_project`` writes
    each one — the project at 线索, its first history row, the move on to its stage with
    that history row, and the audit rows of all of them (a create at 线索, version 1, then
    an update of the stage) — but with one INSERT per table for the whole list instead of
    three flushes per project. Sets each ``NewProject.id``. For a ledger import of
    thousands of rows (``crm.imports.services``); the values must not have changed since
    they were checked (the referenced investors and owners exist in this transaction)."""
    if not new_projects:
        return
    today = today or clock.today()
    now = clock.utcnow()
    actor_id = getattr(actor, "id", None)
    blank = dict.fromkeys(c.key for c in Project.__table__.columns if c.key != "id")
    created, rows, moves = [], [], []
    for item in new_projects:
        at_lead = {
            **blank,
            **item.values,
            "county_id": county_id,
            "stage": "lead",
            "version": 1,
            "created_at": now,
            "updated_at": now,
            # What the model's name validator keeps (crm/util/pinyin.py).
            "name_initials": initials(item.values.get("name")),
            "code_name_initials": initials(item.values.get("code_name")),
        }
        created.append(at_lead)
        moved = item.stage != "lead"
        entered = pipeline.entry_values(at_lead, item.stage, today) if moved else {}
        rows.append({**at_lead, **entered, "stage": item.stage, "version": 2 if moved else 1})
        moves.append(entered)
    ids = insert_audited(db.session, Project, rows, created=created)
    history = []
    for item, project_id, row in zip(new_projects, ids, rows, strict=True):
        item.id = project_id
        common = {
            "county_id": county_id,
            "project_id": project_id,
            "changed_at": now,
            "changed_by_id": actor_id,
        }
        first_reached = row["first_contact_on"] or today
        history.append(
            {**common, "from_stage": None, "to_stage": "lead", "reached_on": first_reached, "note": None}
        )
        if item.stage != "lead":
            reached = pipeline.reached_on(row, item.stage, today)
            history.append(
                {
                    **common,
                    "from_stage": "lead",
                    "to_stage": item.stage,
                    "reached_on": reached,
                    "note": item.note,
                }
            )
    insert_audited(db.session, StageChange, history)
    updates = [
        (
            item.id,
            county_id,
            {"stage": "lead", **{key: first[key] for key in entered}},
            {"stage": item.stage, **entered},
        )
        for item, entered, first in zip(new_projects, moves, created, strict=True)
        if item.stage != "lead"
    ]
    write_updates(db.session, Project, updates)


def check_project_update(
    project: Project, data: dict, actor, version: int | None, today: date | None = None
) -> dict:
    """The columns ``update_project`` would change (with the confirmation columns), checked
    by its rules without writing; a stale ``version`` is refused with the current values."""
    refuse_stale(
        project,
        version,
        _("该项目已被他人修改，您的保存未生效。当前保存的值如下，请核对后再保存。"),
        current_values(project),
        required=True,
    )
    errors: dict[str, list[str]] = {}
    values = {key: getattr(project, key) for key in EDITABLE_FIELDS}
    values.update(_normalise(data, errors))
    _check_values(values, project.county_id, errors, today or clock.today())
    confirmation = _confirmation(project, values, data, actor, errors)
    values["county_id"] = project.county_id
    # Editing may not remove the evidence of the stage the project stands at.
    held = pipeline.previous_path_stage(project) if project.stage not in STAGES else project.stage
    for field, messages in pipeline.evidence_errors(values, held).items():
        errors.setdefault(field, []).extend(
            _("项目已到“%(stage)s”阶段，此项不能为空或无效：%(why)s", stage=_(STAGE_LABELS[held]), why=m)
            for m in messages
        )
    if project.stage == "lost" and not values.get("lost_reason"):
        errors.setdefault("lost_reason", []).append(_("终止须填写原因"))
    if errors:
        raise ServiceError(_("项目未保存：请更正标出的内容"), errors)
    for key in ("county_id", "local_company_confirmed"):
        values.pop(key)
    return {**values, **(confirmation or {})}


def update_project(
    project: Project, data: dict, actor, version: int | None, today: date | None = None
) -> Project:
    """Save edited fields; a stale ``version`` is refused with the current values."""
    for key, value in check_project_update(project, data, actor, version, today).items():
        if getattr(project, key) != value:
            setattr(project, key, value)
    db.session.flush()
    return project
