"""The pipeline rules (docs/design.md "Pipeline"): how a project moves between stages.

Shared by the stage form, the board, the API and the demo; views never decide these.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from crm.core import clock
from crm.core.db import added, db, utcnow
from crm.core.errors import ServiceError, refuse_stale
from crm.projects import registration
from crm.projects.models import ALL_STAGES, OFF_PATH_STAGES, STAGE_LABELS, STAGES, Project, StageChange
from crm.util.dates import parse_user_date
from crm.util.money import parse_wan
from crm.util.uscc import ELSEWHERE, validate_uscc

# Stages whose entry needs evidence, and the project field holding the date it was reached.
REACHED_ON_FIELD = {
    "signed": "signed_on",
    "registered": "registered_on",
    "started": "construction_started_on",
    "producing": "production_started_on",
}
# Those stages in path order, named once above so that the two never disagree.
EVIDENCE_STAGES = tuple(REACHED_ON_FIELD)


def path_stage():
    """SQL: the stage of the main path a project stands at for what it has reached — its
    stage, or, on hold or lost, the last stage of the path it held (its latest recorded move
    onto the path). A project moved back before a milestone and then put on hold has not
    reached the milestone again; one put on hold after reaching it still has."""
    last_on_path = (
        select(StageChange.to_stage)
        .where(StageChange.project_id == Project.id, StageChange.to_stage.in_(STAGES))
        .order_by(StageChange.id.desc())
        .limit(1)
        .correlate(Project)
        .scalar_subquery()
    )
    # Off the path with no move onto it recorded (an imported ledger's row): its evidence
    # dates are all there is to go by, as for any project off the path before.
    return case(
        (Project.stage.in_(OFF_PATH_STAGES), func.coalesce(last_on_path, STAGES[-1])), else_=Project.stage
    )


EVIDENCE_FIELDS = (
    "signed_on",
    "contract_no",
    "planned_investment_wan",
    "local_company_id",
    "registered_on",
    "construction_started_on",
    "production_started_on",
    "lost_reason",
)
DATE_FIELDS = tuple(REACHED_ON_FIELD.values())
# The evidence dates and their names in messages: none of them may lie in the future.
EVIDENCE_DATE_LABELS = {
    "signed_on": "签约日期",
    "registered_on": "注册日期",
    "construction_started_on": "开工日期",
    "production_started_on": "投产日期",
}
MAX_AMOUNT_WAN = Decimal("10000000")  # 1,000 亿元: anything larger is a typing slip


def stage_index(stage: str) -> int:
    """Position on the main path; off-path stages have none.

    >>> stage_index("lead"), stage_index("producing"), stage_index("lost")
    (0, 7, -1)
    """
    return STAGES.index(stage) if stage in STAGES else -1


def previous_path_stage(project: Project) -> str:
    """The main-path stage a project held before it went on hold or was lost.

    Read from the stage history; a project with none (e.g. imported data) is placed by
    its evidence dates, so resuming never counts as moving forward past real progress.
    """
    if project.stage in STAGES:
        return project.stage
    if project.id is not None:
        changes = db.session.execute(
            select(StageChange.from_stage, StageChange.to_stage)
            .where(StageChange.project_id == project.id)
            .order_by(StageChange.changed_at.desc(), StageChange.id.desc())
        ).all()
        for from_stage, _to in changes:
            if from_stage in STAGES:
                return from_stage
    for stage in reversed(EVIDENCE_STAGES):
        if getattr(project, REACHED_ON_FIELD[stage]):
            return stage
    return "lead"


def coerce_evidence(evidence: dict) -> tuple[dict, dict[str, list[str]]]:
    """Parse evidence given as text (a form, the board's JSON) or as typed values.

    Returns ``(values, errors)``; empty text means "not given" and is left out.
    """
    values, errors = {}, {}
    for key, raw in (evidence or {}).items():
        if key not in EVIDENCE_FIELDS:
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            if key in DATE_FIELDS:
                values[key] = raw if isinstance(raw, date) else parse_user_date(str(raw))
            elif key == "planned_investment_wan":
                values[key] = raw if isinstance(raw, Decimal) else parse_wan(str(raw))
            elif key == "local_company_id":
                values[key] = int(raw)
            else:
                values[key] = str(raw).strip()
        except (TypeError, ValueError) as exc:
            errors[key] = [str(exc) if key != "local_company_id" else _("请选择本地注册企业")]
    return values, errors


def evidence_errors(values: dict, stage: str) -> dict[str, list[str]]:
    """What is missing for a project with these ``values`` to stand at ``stage``.

    A stage on the main path needs its own evidence and that of every evidence stage
    before it: a project that is producing must have been signed, registered and started.
    ``values["local_company"]``, where given, is the local company itself (anything with
    ``name`` and ``uscc``): one a ledger import writes together with the project, which
    has no id to look up yet (``crm.projects.services.check_new_project``).
    """
    from crm.companies.models import Company

    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    target = stage_index(stage)
    if target >= stage_index("signed"):
        if not values.get("signed_on"):
            add("signed_on", _("签约须填写签约日期"))
        if not values.get("contract_no"):
            add("contract_no", _("签约须填写合同编号"))
        amount = values.get("planned_investment_wan")
        if amount is None or amount <= 0:
            add("planned_investment_wan", _("签约须填写大于 0 的计划投资额（万元）"))
    if target >= stage_index("registered"):
        company_id = values.get("local_company_id")
        company = values.get("local_company") or (db.session.get(Company, company_id) if company_id else None)
        if company is None:
            add("local_company_id", registration.missing_local_company(values.get("kind")))
        elif not company.uscc:
            add("local_company_id", _("本地注册企业“%(name)s”没有统一社会信用代码", name=company.name))
        else:
            result = validate_uscc(company.uscc)
            if not result.ok:
                add(
                    "local_company_id",
                    _("本地注册企业的统一社会信用代码无效：%(why)s", why="；".join(result.errors)),
                )
            elif registration.place_of(company.uscc, values.get("county_id")) == ELSEWHERE and not values.get(
                "local_company_confirmed"
            ):
                add("local_company_id", registration.outside_city_error(company))
    if target >= stage_index("started") and not values.get("construction_started_on"):
        add("construction_started_on", _("开工须填写开工日期"))
    if target >= stage_index("producing") and not values.get("production_started_on"):
        add("production_started_on", _("投产须填写投产日期"))
    if stage == "lost" and not (values.get("lost_reason") or "").strip():
        add("lost_reason", _("终止须填写原因"))
    return errors


def date_order_errors(values: dict) -> dict[str, list[str]]:
    """Key dates must follow each other: 签约 ≤ 开工 ≤ 投产, and 签约 ≤ 注册 where the
    project founds a new local company (``registration.NEW_ENTITY_KINDS``: 新建, 合资; the
    kind defaults to 新建). An expansion or relocation registers with a company that exists
    already, so its registration date is not compared with the signing.

    >>> date_order_errors({"signed_on": date(2025, 5, 1), "construction_started_on": date(2025, 4, 1)})
    {'construction_started_on': ['开工日期不能早于签约日期']}
    >>> date_order_errors({"construction_started_on": date(2025, 4, 1), "production_started_on": date(2025, 4, 1)})
    {}
    >>> list(date_order_errors({"signed_on": date(2025, 5, 1), "registered_on": date(2019, 3, 1)}))
    ['registered_on']
    >>> date_order_errors({"kind": "expansion", "signed_on": date(2025, 5, 1), "registered_on": date(2025, 4, 1)})
    {}
    """
    errors: dict[str, list[str]] = {}
    signed, registered = values.get("signed_on"), values.get("registered_on")
    started, producing = values.get("construction_started_on"), values.get("production_started_on")
    new_entity = registration.founds_new_entity(values.get("kind"))
    if signed and registered and registered < signed and new_entity:
        errors["registered_on"] = [
            _("新设企业（新建、合资项目）的注册日期不能早于签约日期；已有企业扩建、搬迁请选对项目类型")
        ]
    if signed and started and started < signed:
        errors["construction_started_on"] = [_("开工日期不能早于签约日期")]
    if started and producing and producing < started:
        errors["production_started_on"] = [_("投产日期不能早于开工日期")]
    return errors


def future_date_errors(values: dict, today: date) -> dict[str, list[str]]:
    """Evidence dates (signing, registration, construction start, production start) are
    facts that happened: none may lie after ``today``, the bureau's today.

    >>> future_date_errors({"signed_on": date(2026, 12, 5), "registered_on": date(2026, 12, 4)}, date(2026, 12, 4))
    {'signed_on': ['签约日期不能晚于今天（2026-12-04）']}
    """
    return {
        field: [_("%(label)s不能晚于今天（%(today)s）", label=_(label), today=today.isoformat())]
        for field, label in EVIDENCE_DATE_LABELS.items()
        if isinstance(values.get(field), date) and values[field] > today
    }


def project_values(project: Project) -> dict:
    """What the rules read of a project: its evidence, kind, county and whether a manager
    confirmed its local company (``registration``)."""
    return {key: getattr(project, key) for key in EVIDENCE_FIELDS} | {
        "kind": project.kind,
        "county_id": project.county_id,
        "local_company_confirmed": project.local_company_confirmed_at is not None,
    }


def _is_manager(actor) -> bool:
    return actor is None or actor.has_role("manager")  # None: system work (demo, import)


def move_stage(
    project: Project,
    to_stage: str,
    actor,
    note: str | None = None,
    evidence: dict | None = None,
    version: int | None = None,
    today: date | None = None,
) -> StageChange:
    """Move ``project`` to ``to_stage`` under the pipeline rules and record the change.

    * Forward moves may skip stages, but the project must then hold the evidence of the
      target stage **and of every evidence stage before it on the main path**:
      signed (签约日期, 合同编号, 计划投资 > 0), registered (the local company, whose USCC
      must be valid), started (开工日期), producing (投产日期). Skipping from 洽谈 straight
      to 投产 therefore needs all four sets.
    * ``evidence`` (the fields above, as text or typed values, plus ``lost_reason``) is
      applied to the project in the same move; it is validated together with what the
      project already holds. Dates must stay in order (签约 ≤ 开工 ≤ 投产; 签约 ≤ 注册 for
      a new local company) and none may lie after ``today``.
    * The local company must have been issued its code in the county, or in its city
      (a warning: ``registration``); outside the city only with a manager's confirmation,
      given as ``evidence["local_company_confirmation"]`` or stored on the project.
    * ``lost`` needs a reason; ``on_hold`` is allowed at any time, the note optional.
    * Moving backwards — to an earlier main-path stage, including resuming from
      on_hold/lost below the stage held before — is a manager's act and needs a note.
    * Writes one ``StageChange`` (``reached_on`` = the evidence date of the stage entered,
      else today); the audit event follows from the flush.

    On refusal a ``ServiceError`` with per-field messages is raised and nothing is
    changed on the project or written. A stale ``version`` raises ``ConflictError``.
    """
    today = today or clock.today()
    note = (note or "").strip() or None
    refuse_stale(project, version, _("该项目已被他人修改，请刷新后重试"), {"stage": project.stage})
    from_stage = project.stage
    _check_target(from_stage, to_stage)
    given, errors = coerce_evidence(evidence or {})
    values = {**project_values(project), **given}
    confirmed, confirmation = registration.confirmation_change(
        project,
        values.get("local_company_id"),
        (evidence or {}).get("local_company_confirmation"),
        "local_company_confirmation" in (evidence or {}),
        actor,
        errors,
    )
    values["local_company_confirmed"] = confirmed
    held = previous_path_stage(project) if to_stage in STAGES else from_stage
    _move_errors(values, held, to_stage, actor, note, today, errors)
    _refuse_if(errors, to_stage)

    entered = entry_values(values, to_stage, today)
    values.update(entered)
    # Only what changes: setting a column a new project never loaded records a no-op
    # change (注册日期: blank → blank) in the audit row.
    for key in EVIDENCE_FIELDS:
        if key in given or key in entered:
            setattr(project, key, values[key])
    for key, value in (confirmation or {}).items():
        setattr(project, key, value)
    project.stage = to_stage
    return _add_change(project, actor, from_stage, to_stage, reached_on(values, to_stage, today), note)


def _check_target(from_stage: str, to_stage: str) -> None:
    if to_stage not in ALL_STAGES:
        raise ServiceError(_("未知的阶段"), {"to_stage": [_("请选择有效的阶段")]})
    if to_stage == from_stage:
        raise ServiceError(
            _("项目已处于该阶段"),
            {"to_stage": [_("项目已处于“%(stage)s”阶段", stage=_(STAGE_LABELS[to_stage]))]},
        )


def _move_errors(values: dict, held: str, to_stage: str, actor, note, today: date, errors: dict) -> None:
    """Add to ``errors`` what forbids a project holding ``values`` (its evidence merged with
    the move's), which held ``held`` on the main path, to enter ``to_stage``."""
    if to_stage in STAGES:
        if stage_index(to_stage) < stage_index(held):
            if not _is_manager(actor):
                errors.setdefault("to_stage", []).append(_("退回到之前的阶段须由局长（科长）操作"))
            elif not note:
                errors.setdefault("note", []).append(_("退回阶段须填写说明"))
        for field, messages in evidence_errors(values, to_stage).items():
            errors.setdefault(field, []).extend(m for m in messages if m not in errors.get(field, []))
    elif to_stage == "lost":
        errors.update({k: v for k, v in evidence_errors(values, "lost").items() if k not in errors})
    for found in (date_order_errors(values), future_date_errors(values, today)):
        for field, messages in found.items():
            errors.setdefault(field, []).extend(messages)


def _refuse_if(errors: dict, to_stage: str) -> None:
    if errors:
        raise ServiceError(
            _("无法移到“%(stage)s”：请补全或更正标出的内容", stage=_(STAGE_LABELS[to_stage])), errors
        )


def entry_values(values: dict, to_stage: str, today: date) -> dict:
    """The project columns entering ``to_stage`` sets beyond the stage: a registration
    without a date is dated today."""
    if to_stage == "registered" and not values.get("registered_on"):
        return {"registered_on": today}
    return {}


def reached_on(values: dict, to_stage: str, today: date) -> date:
    """The history row's ``reached_on``: the evidence date of the stage entered, else today."""
    field = REACHED_ON_FIELD.get(to_stage)
    return (values.get(field) if field else None) or today


def check_first_move(values: dict, to_stage: str, actor, note: str | None, today: date) -> None:
    """Refuse, as ``move_stage`` would, moving a project just created with ``values`` (at
    线索, its stored columns plus ``county_id`` and ``local_company_confirmed``, as
    ``project_values`` reads them) on to ``to_stage`` with no further evidence. The check of
    a batch of new projects (``crm.projects.services.check_new_project``), made before any
    of them is written."""
    _check_target("lead", to_stage)
    errors: dict[str, list[str]] = {}
    note = (note or "").strip() or None
    _move_errors(values, "lead", to_stage, actor, note, today, errors)
    _refuse_if(errors, to_stage)


def record_initial_stage(project: Project, actor, today: date | None = None) -> StageChange:
    """The first history row of a new project (from nothing to its first stage)."""
    reached = project.first_contact_on or today or clock.today()
    return _add_change(project, actor, None, project.stage, reached)


def _add_change(project: Project, actor, from_stage, to_stage: str, reached, note=None) -> StageChange:
    """Add a row of the project's stage history: ``actor`` moved it now; the stage was ``reached``."""
    return added(
        StageChange(
            project_id=project.id,
            project=project,
            county_id=project.county_id,
            from_stage=from_stage,
            to_stage=to_stage,
            changed_at=utcnow(),
            reached_on=reached,
            changed_by_id=getattr(actor, "id", None),
            note=note,
        )
    )
