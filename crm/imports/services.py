"""Importing a ledger: the dry run, the all-or-nothing commit, and undoing a batch.

Both the dry run and the commit write every row through the domains' own services
(``crm.projects.services`` and the others), so the rules, the tenant scope and the audit
apply exactly as on the pages; the dry run then rolls everything back. A commit with any
row problem writes nothing either (the caller rolls back when ``report.batch`` is None).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from crm.activities.models import ACTIVITY_KINDS
from crm.audit.models import AuditEvent
from crm.auth.models import User
from crm.companies import services as companies
from crm.companies.models import Company, Contact
from crm.core import clock
from crm.core.db import db
from crm.core.errors import ServiceError
from crm.imports import values as read
from crm.imports.headers import FIELDS, REQUIRED, header_key
from crm.imports.models import ImportBatch, ImportBatchRecord, ImportMapping
from crm.imports.readers import FORMULA, Table
from crm.projects import services as projects
from crm.projects.models import FUND_ORIGINS, PROJECT_KINDS, SOURCE_CHANNELS, Project
from crm.util.names import normalise_company_name

__all__ = [
    "CHOICES",
    "Duplicate",
    "Problem",
    "Report",
    "run_import",
    "save_mapping",
    "saved_mapping",
    "sha256",
    "undo_batch",
    "undo_refusal",
]

CHOICES = ("skip", "update", "create")
MONEY = (
    "planned_investment_wan",
    "amount_wan",
    "amount_usd_wan",
    "fixed_asset_investment_wan",
    "foreign_investment_wan",
    "expected_annual_output_wan",
    "expected_annual_tax_wan",
)
EVIDENCE_DATES = (
    "signed_on",
    "registered_on",
    "construction_started_on",
    "production_started_on",
    "occurred_on",
)
LATER_DATES = ("next_follow_up_on",)


@dataclass
class Problem:
    """What is wrong in one cell (or one row, when ``column`` is empty)."""

    row: int
    column: str
    value: str
    message: str


@dataclass
class Duplicate:
    """A row that matches an existing record; ``choice`` is what the import does with it."""

    row: int
    existing: str
    existing_id: int
    reason: str
    choice: str = "skip"


@dataclass
class Report:
    kind: str
    rows_total: int = 0
    problems: list[Problem] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    skipped: int = 0
    companies_created: int = 0
    batch: ImportBatch | None = None
    written: list[tuple[str, int, str, int]] = field(default_factory=list)  # table, id, action, row

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem_rows(self) -> set[int]:
        return {p.row for p in self.problems}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _audit_mark() -> int:
    db.session.flush()
    return db.session.execute(select(func.coalesce(func.max(AuditEvent.id), 0))).scalar_one()


# ---- one import ------------------------------------------------------------------------


class _RowError(Exception):
    def __init__(self, field: str, message: str):
        self.field, self.message = field, message


class _Import:
    """The state of one run: the caches that keep a 20,000-row ledger to a few queries per row."""

    def __init__(self, kind, county_id, actor, mapping, choices, today):
        self.kind, self.county_id, self.actor, self.today = kind, county_id, actor, today
        self.columns = {field_name: header for header, field_name in mapping.items()}
        self.choices = choices
        self.report = Report(kind)
        self.companies_by_uscc: dict[str, Company] = {}
        self.companies_by_key: dict[str, Company] = {}
        self.projects_by_name: dict[str, Project] | None = None
        self.seen: dict[tuple, int] = {}
        self.owners: dict[str, User] | None = None

    def header(self, field_name: str) -> str:
        return self.columns.get(field_name) or FIELDS[self.kind].get(field_name, (field_name,))[0]

    # the rows' references to other records

    def company(
        self, name: str | None, uscc: str | None, row: int, fields: tuple[str, str] | None = None
    ) -> Company | None:
        """The company by credit code, else by normalised name, else a new one. ``fields``
        (name, credit code) are the row's columns a problem is named on."""
        if not name and not uscc:
            return None
        if uscc:
            found = (
                self.companies_by_uscc.get(uscc)
                or db.session.execute(select(Company).where(Company.uscc == uscc)).scalar_one_or_none()
            )
            if found is not None:
                self.companies_by_uscc[uscc] = found
                return found
        key = normalise_company_name(name) if name else ""
        if key:
            found = (
                self.companies_by_key.get(key)
                or db.session.execute(
                    select(Company).where(Company.name_key == key).order_by(Company.id).limit(1)
                ).scalar_one_or_none()
            )
            if found is not None:
                self.companies_by_key[key] = found
                return found
        name_field, uscc_field = fields or (
            ("company_name", "company_uscc")
            if self.kind == "contacts"
            else ("investor_name", "investor_uscc")
        )
        if not name:
            raise _RowError(name_field, _("按统一社会信用代码找不到企业，请同时填写企业名称以便新建"))
        try:
            company = self.new_company({"name": name, "uscc": uscc})
        except ServiceError as exc:
            field_name = uscc_field if "uscc" in exc.errors else name_field
            raise _RowError(field_name, exc.describe()) from None
        self.companies_by_key[company.name_key] = company
        if company.uscc:
            self.companies_by_uscc[company.uscc] = company
        self.written(company, "created", row)
        self.report.companies_created += 1
        return company

    def new_company(self, data: dict) -> Company:
        """A company checked by the companies' own rules (``clean_company_data``). The duplicate
        checks of ``create_company`` are the import's own here — same USCC, same normalised
        name, done above from a cache — because its similar-name search costs a scan per row."""
        cleaned, _warnings = companies.clean_company_data(data)
        company = Company(
            **cleaned, name_key=normalise_company_name(cleaned["name"]), created_by_county_id=self.county_id
        )
        db.session.add(company)
        db.session.flush()
        return company

    def project(self, name: str) -> Project:
        """The county's project of this name (or code name): funds and follow-ups need one."""
        if self.projects_by_name is None:
            self.projects_by_name = {}
            for project in db.session.execute(
                select(Project).where(Project.county_id == self.county_id)
            ).scalars():
                self.projects_by_name.setdefault(project.name, project)
                if project.code_name:
                    self.projects_by_name.setdefault(project.code_name, project)
        found = self.projects_by_name.get(name)
        if found is None:
            raise _RowError(
                "project_name", _("本县没有名为“%(name)s”的项目，请先导入或登记该项目", name=name)
            )
        return found

    def owner(self, text: str) -> int:
        if self.owners is None:
            users = db.session.execute(select(User).where(User.region_id == self.county_id)).scalars()
            self.owners = {}
            for user in users:
                if user.role.value in projects.OWNER_ROLES and user.is_active_user:
                    self.owners.setdefault(user.display_name or user.username, user)
                    self.owners.setdefault(user.username, user)
        user = self.owners.get(text)
        if user is None:
            raise _RowError("owner", _("“%(name)s”不是本县的招商人员（按姓名或用户名匹配）", name=text))
        return user.id

    def written(self, record, action: str, row: int) -> None:
        self.report.written.append((record.__tablename__, record.id, action, row))

    def duplicate(self, row: int, existing, label: str, reason: str) -> str:
        choice = self.choices.get(row, "skip")
        self.report.duplicates.append(Duplicate(row, label, existing.id, reason, choice))
        return choice


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _parse_row(run: _Import, row_values: dict[str, object]) -> dict:
    """The row's fields as typed values; a cell that cannot be read raises ``_RowError``."""
    parsed = {}
    for field_name, raw in row_values.items():
        if raw is FORMULA:
            raise _RowError(field_name, _("单元格是没有计算结果的公式，请在 Excel/WPS 中打开并保存后再导入"))
        if raw is None:
            continue
        try:
            if field_name in MONEY:
                parsed[field_name] = read.read_amount(raw)
            elif field_name in EVIDENCE_DATES:
                parsed[field_name] = read.read_date(raw, today=run.today)
            elif field_name in LATER_DATES:
                parsed[field_name] = read.read_date(raw, today=run.today, evidence=False)
            elif field_name == "month":
                parsed[field_name] = read.read_month(raw, today=run.today)
            elif field_name == "stage":
                parsed[field_name] = read.read_stage(raw)
            elif field_name == "expected_jobs":
                parsed[field_name] = read.read_count(raw)
            elif field_name == "land_mu":
                parsed[field_name] = read.read_number(raw)
            elif field_name in ("investor_uscc", "local_company_uscc", "uscc", "company_uscc"):
                parsed[field_name] = read.read_uscc(raw)
            else:
                parsed[field_name] = read.read_text(raw)
        except ValueError as exc:
            raise _RowError(field_name, str(exc)) from None
    for field_name in REQUIRED[run.kind]:
        if field_name == "amount_wan" and parsed.get("amount_usd_wan") is not None:
            continue  # 境外 money in its 万美元 column alone (the funds' rules check the origin)
        if parsed.get(field_name) in (None, ""):
            raise _RowError(field_name, _("必填，不能为空"))
    return parsed


def _label_value(labels: dict, text: str | None, field_name: str, default: str | None = None) -> str | None:
    if not text:
        return default
    for code, label in labels.items():
        if text in (code, str(label), _(str(label))):
            return code
    raise _RowError(
        field_name,
        _("无法识别“%(text)s”，可填：%(labels)s", text=text, labels="、".join(map(str, labels.values()))),
    )


# ---- the kinds -------------------------------------------------------------------------


def _import_project(run: _Import, row: int, v: dict) -> None:
    investor = run.company(v.get("investor_name"), v.get("investor_uscc"), row)
    data = {
        key: v[key]
        for key in (
            "name",
            "planned_investment_wan",
            "signed_on",
            "contract_no",
            "construction_started_on",
            "production_started_on",
            "industry",
            "responsible_unit",
            "leader_in_charge",
            "description",
            "code_name",
            "fixed_asset_investment_wan",
            "foreign_investment_wan",
            "expected_annual_output_wan",
            "expected_annual_tax_wan",
            "expected_jobs",
            "land_mu",
            "next_follow_up_on",
            "registered_on",
            "lost_reason",
        )
        if key in v
    }
    for key, labels in (
        ("kind", PROJECT_KINDS),
        ("source_channel", SOURCE_CHANNELS),
        ("capital_origin", FUND_ORIGINS),
    ):
        if v.get(key):
            data[key] = _label_value(labels, v[key], key)
    if investor is not None:
        data["investor_company_id"] = investor.id
    local = run.company(
        v.get("local_company_name"),
        v.get("local_company_uscc"),
        row,
        ("local_company_name", "local_company_uscc"),
    )
    if local is not None:
        data["local_company_id"] = local.id
    if v.get("owner"):
        data["owner_id"] = run.owner(v["owner"])
    key = (v["name"], getattr(investor, "id", None))
    if key in run.seen:
        raise _RowError("name", _("与第 %(row)s 行是同一项目（名称和投资方相同）", row=run.seen[key]))
    run.seen[key] = row
    query = select(Project).where(Project.county_id == run.county_id, Project.name == v["name"])
    query = query.where(
        Project.investor_company_id == investor.id if investor else Project.investor_company_id.is_(None)
    )
    existing = db.session.execute(query.limit(1)).scalar_one_or_none()
    if existing is not None:
        choice = run.duplicate(row, existing, existing.name, _("本县已有同名且投资方相同的项目"))
        if choice == "skip":
            run.report.skipped += 1
            return
        if choice == "update":
            projects.update_project(existing, data, run.actor, existing.version, today=run.today)
            run.written(existing, "updated", row)
            run.report.updated += 1
            return
    if v.get("stage"):
        data["stage"] = v["stage"]
        data["note"] = _("台账导入")
    project = projects.create_project(data, run.actor, county_id=run.county_id, today=run.today)
    run.written(project, "created", row)
    run.report.created += 1


def _import_company(run: _Import, row: int, v: dict) -> None:
    data = {
        key: v[key]
        for key in ("name", "uscc", "industry_code", "headquarters", "website", "description")
        if key in v
    }
    key = normalise_company_name(v["name"])
    if key in run.seen:
        raise _RowError("name", _("与第 %(row)s 行是同一企业", row=run.seen[key]))
    run.seen[key] = row
    found = companies.find_duplicates(None, data.get("uscc")).same_uscc if data.get("uscc") else None
    reason = _("统一社会信用代码相同")
    if found is None:
        found = db.session.execute(
            select(Company).where(Company.name_key == key).order_by(Company.id).limit(1)
        ).scalar_one_or_none()
        reason = _("名称相同（去除括号、空格和“有限公司”等后缀后）")
    if found is not None:
        choice = run.duplicate(row, found, found.name, reason)
        if choice == "skip":
            run.report.skipped += 1
            return
        if choice == "update":
            changes = {k: value for k, value in data.items() if value is not None}
            companies.update_company(found, changes, found.version)
            run.written(found, "updated", row)
            run.report.updated += 1
            return
    if data.get("uscc") and found is not None and found.uscc == data["uscc"]:
        raise _RowError("uscc", _("统一社会信用代码已登记为“%(name)s”，不能再新建", name=found.name))
    company = run.new_company(data)
    run.written(company, "created", row)
    run.report.created += 1


def _import_contact(run: _Import, row: int, v: dict) -> None:
    company = run.company(v.get("company_name"), v.get("company_uscc"), row)
    if company is None:
        raise _RowError("company_name", _("请填写联系人所在企业的名称或统一社会信用代码"))
    data = {key: v.get(key) for key in ("name", "title", "phone", "email", "wechat", "note")}
    existing = (
        db.session.execute(
            select(Contact).where(
                Contact.county_id == run.county_id,
                Contact.company_id == company.id,
                Contact.name == v["name"],
            )
        )
        .scalars()
        .first()
    )
    if existing is not None:
        choice = run.duplicate(row, existing, f"{company.name} · {existing.name}", _("该企业已有同名联系人"))
        if choice == "skip":
            run.report.skipped += 1
            return
        if choice == "update":
            changes = {k: value for k, value in data.items() if value is not None}
            companies.update_contact(existing, changes, existing.version)
            run.written(existing, "updated", row)
            run.report.updated += 1
            return
    contact = companies.create_contact(
        company, data, county_id=run.county_id, created_by_id=getattr(run.actor, "id", None)
    )
    run.written(contact, "created", row)
    run.report.created += 1


def _import_funds(run: _Import, row: int, v: dict) -> None:
    from crm.funds import services as funds
    from crm.funds.models import EXCLUSIONS, NOT_EXCLUDED

    project = run.project(v["project_name"])
    origin = _label_value(FUND_ORIGINS, v.get("origin"), "origin")
    if origin is None:
        raise _RowError("origin", _("请填写资金来源：%(labels)s", labels="、".join(FUND_ORIGINS.values())))
    values = {
        "month": v["month"],
        "origin": origin,
        "exclusion": _label_value(EXCLUSIONS, v.get("exclusion"), "exclusion", default=NOT_EXCLUDED),
        "amount_wan": v.get("amount_wan"),
        "evidence_ref": v.get("evidence_ref"),
        "note": v.get("note"),
    }
    if origin == "foreign":  # 境外 money is entered in 万美元 (docs/design.md, Funds in place):
        # from its own 万美元 column when the ledger has one (the funds export does, beside
        # the converted 万元), else the amount column is taken as dollars.
        dollars = v.get("amount_usd_wan") if "amount_usd_wan" in run.columns else v.get("amount_wan")
        values["amount_usd_wan"], values["amount_wan"] = dollars, None
    elif v.get("amount_usd_wan") is not None:
        values["amount_usd_wan"] = v["amount_usd_wan"]  # refused by the funds' rules, named
    record = funds.create_funds(project, values, created_by=run.actor, today=run.today)
    run.written(record, "created", row)
    run.report.created += 1


def _import_activity(run: _Import, row: int, v: dict) -> None:
    from crm.activities import services as activities

    project = run.project(v["project_name"])
    kind = _label_value(ACTIVITY_KINDS, v.get("kind"), "kind", default="visit")
    summary = v["summary"]
    values = {
        "kind": kind,
        "occurred_on": v["occurred_on"],
        "subject": v.get("subject") or summary[:30],
        "summary": summary,
        "participants": v.get("participants"),
        "next_step": v.get("next_step"),
        "next_follow_up_on": v.get("next_follow_up_on"),
    }
    activity = activities.create_activity(project, values, created_by=run.actor)
    run.written(activity, "created", row)
    run.report.created += 1


IMPORTERS = {
    "projects": _import_project,
    "companies": _import_company,
    "contacts": _import_contact,
    "funds": _import_funds,
    "activities": _import_activity,
}
# A service's field → the ledger field it came from (for the report's column).
SERVICE_FIELDS = {
    "investor_company_id": "investor_name",
    "local_company_id": "local_company_name",
    "owner_id": "owner",
    "amount_usd_wan": "amount_wan",
}


def run_import(
    table: Table,
    kind: str,
    mapping: dict[str, str],
    *,
    county_id: int,
    actor,
    commit: bool = False,
    choices: dict[int, str] | None = None,
    file_name: str = "",
    file_sha256: str = "",
    today: date | None = None,
) -> Report:
    """Write every row of ``table`` (columns named by ``mapping``: header → field) and report
    each problem. With ``commit`` and no problem, record the batch; otherwise the caller rolls
    back (``report.batch`` is None), and nothing is written."""
    run = _Import(kind, county_id, actor, mapping, choices or {}, today or clock.today())
    audit_from = _audit_mark() if commit else 0
    positions = [(index, mapping.get(header_key(h))) for index, h in enumerate(table.headers)]
    positions = [(index, f) for index, f in positions if f]
    importer = IMPORTERS[kind]
    for row in table.rows:
        run.report.rows_total += 1
        cells = {f: row.values[index] for index, f in positions}
        try:
            parsed = _parse_row(run, cells)
            importer(run, row.number, parsed)
        except _RowError as exc:
            run.report.problems.append(
                Problem(row.number, run.header(exc.field), _cell(cells.get(exc.field)), exc.message)
            )
        except ServiceError as exc:
            _service_problems(run, row.number, cells, exc)
    if commit and run.report.ok:
        run.report.batch = _record_batch(run, file_name, file_sha256, audit_from)
    return run.report


def _service_problems(run: _Import, row: int, cells: dict, exc: ServiceError) -> None:
    if not exc.errors:
        run.report.problems.append(Problem(row, "", "", exc.message))
    for service_field, messages in exc.errors.items():
        field_name = (
            service_field
            if service_field in run.columns
            else SERVICE_FIELDS.get(service_field, service_field)
        )
        header = run.header(field_name) if field_name in FIELDS[run.kind] else ""
        for message in messages:
            run.report.problems.append(Problem(row, header, _cell(cells.get(field_name)), str(message)))


def _record_batch(run: _Import, file_name: str, file_sha256: str, audit_from: int) -> ImportBatch:
    report = run.report
    batch = ImportBatch(
        county_id=run.county_id,
        kind=run.kind,
        file_name=(file_name or "ledger")[:255],
        file_sha256=file_sha256,
        created_by_id=getattr(run.actor, "id", None),
        rows_total=report.rows_total,
        created_count=report.created,
        updated_count=report.updated,
        skipped_count=report.skipped,
        audit_from=audit_from,
    )
    db.session.add(batch)
    db.session.flush()
    db.session.add_all(
        ImportBatchRecord(
            county_id=run.county_id, batch_id=batch.id, table_name=t, record_id=i, action=a, row_number=r
        )
        for t, i, a, r in report.written
    )
    batch.audit_to = _audit_mark() + 1  # this update's own audit row comes next
    db.session.flush()
    return batch


# ---- saved mappings --------------------------------------------------------------------


def saved_mapping(county_id: int, kind: str, name: str) -> ImportMapping | None:
    return db.session.execute(
        select(ImportMapping).where(
            ImportMapping.county_id == county_id, ImportMapping.kind == kind, ImportMapping.name == name
        )
    ).scalar_one_or_none()


def save_mapping(county_id: int, kind: str, name: str, columns: dict[str, str]) -> ImportMapping:
    """Keep ``columns`` (header → field) as the county's mapping ``name`` for ``kind``."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ServiceError(
            _("映射名称须为 1 到 100 个字"), {"mapping_name": [_("映射名称须为 1 到 100 个字")]}
        )
    unknown = [f for f in columns.values() if f not in FIELDS[kind]]
    if unknown:
        raise ServiceError(_("未知字段：%(f)s", f="、".join(unknown)))
    mapping = saved_mapping(county_id, kind, name) or ImportMapping(county_id=county_id, kind=kind, name=name)
    mapping.columns = {header_key(h): f for h, f in columns.items()}
    db.session.add(mapping)
    db.session.flush()
    return mapping


# ---- undo ------------------------------------------------------------------------------

MODELS = {model.__tablename__: model for model in (Project, Company, Contact)}


def _model(table_name: str):
    if table_name not in MODELS:
        from crm.activities.models import Activity
        from crm.funds.models import FundsRecord

        MODELS.update({Activity.__tablename__: Activity, FundsRecord.__tablename__: FundsRecord})
    return MODELS[table_name]


def batch_records(batch: ImportBatch) -> list[ImportBatchRecord]:
    return list(
        db.session.execute(
            select(ImportBatchRecord)
            .where(ImportBatchRecord.batch_id == batch.id)
            .order_by(ImportBatchRecord.id)
        ).scalars()
    )


def undo_refusal(batch: ImportBatch) -> str | None:
    """Why ``batch`` cannot be undone (None: it can): undone already, or a record it wrote
    was changed after the import (a later audit event on it)."""
    if batch.undone_at is not None:
        return _("该批次已于此前撤销")
    records = batch_records(batch)
    for table_name in {r.table_name for r in records}:
        ids = [r.record_id for r in records if r.table_name == table_name]
        for start in range(0, len(ids), 500):
            later = db.session.execute(
                select(AuditEvent.record_id, AuditEvent.actor_name)
                .where(
                    AuditEvent.table_name == table_name,
                    AuditEvent.record_id.in_(ids[start : start + 500]),
                    AuditEvent.id > batch.audit_to,
                )
                .limit(1)
            ).first()
            if later is not None:
                row = next(
                    r.row_number for r in records if r.table_name == table_name and r.record_id == later[0]
                )
                return _(
                    "第 %(row)s 行导入的记录（%(table)s #%(id)s）在导入后已被修改，不能撤销；请逐条处理",
                    row=row,
                    table=table_name,
                    id=later[0],
                )
    return None


def undo_batch(batch: ImportBatch, actor) -> int:
    """Delete what ``batch`` created and restore what it updated (from the audit log's values
    before the import). Managers only; refused with the reason when a later edit touched a
    record. Returns the number of records undone."""
    if getattr(getattr(actor, "role", None), "value", None) != "manager":
        raise companies.NotAllowedError(_("只有局长可以撤销导入批次"))
    refusal = undo_refusal(batch)
    if refusal:
        raise ServiceError(refusal)
    records = batch_records(batch)
    before = _values_before(batch, records)
    count = 0
    for record in reversed(records):
        model = _model(record.table_name)
        obj = db.session.get(model, record.record_id)
        if obj is None:
            continue
        if record.action == "created":
            db.session.delete(obj)
        else:
            for key, value in before.get((record.table_name, record.record_id), {}).items():
                _restore(obj, key, value)
        count += 1
    try:
        db.session.flush()
    except Exception as exc:  # a record another one now points at (a later follow-up, a project)
        db.session.rollback()
        raise ServiceError(_("导入的记录已被其他记录引用（如后来登记的跟进或资金），不能撤销")) from exc
    batch.undone_at = clock.utcnow()
    batch.undone_by_id = actor.id
    db.session.flush()
    return count


def _values_before(batch: ImportBatch, records: list[ImportBatchRecord]) -> dict:
    updated = {(r.table_name, r.record_id) for r in records if r.action == "updated"}
    found: dict = {}
    if not updated:
        return found
    events = db.session.execute(
        select(AuditEvent)
        .where(
            AuditEvent.id >= batch.audit_from, AuditEvent.id <= batch.audit_to, AuditEvent.action == "update"
        )
        .order_by(AuditEvent.id)
    ).scalars()
    for event in events:
        key = (event.table_name, event.record_id)
        if key in updated and event.before:
            for column, value in event.before.items():
                found.setdefault(key, {}).setdefault(column, value)  # the first before wins
    return found


def _restore(obj, key: str, value) -> None:
    from datetime import datetime
    from decimal import Decimal

    if key in ("id", "version", "updated_at", "created_at", "county_id"):
        return
    current = getattr(obj, key, None)
    if isinstance(current, Decimal) or (value is not None and key.endswith("_wan")):
        value = Decimal(str(value)) if value is not None else None
    elif isinstance(current, date) and not isinstance(current, datetime) and isinstance(value, str):
        value = date.fromisoformat(value)
    elif key.endswith("_on") and isinstance(value, str):
        value = date.fromisoformat(value)
    setattr(obj, key, value)
