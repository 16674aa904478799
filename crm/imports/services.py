"""Importing a ledger: the dry run, the all-or-nothing commit, and undoing a batch.

Every row is checked by the domains' own services (``crm.projects.services`` and the
others), so the rules, the tenant scope and the audit apply exactly as on the pages.

Projects, the ledger of thousands of rows, go through a batch path: the rows are read and
checked first, in Python, with the investors and existing projects they name looked up a
few hundred at a time (``check_new_project``, ``check_project_update``); the dry run writes
nothing at all; a commit with no problem then writes the projects a chunk at a time
(``create_projects``: the same rows, stage history and audit rows as ``create_project``).
The other kinds write each row through their services; their dry run rolls back what it
wrote. A commit with any row problem writes nothing (the caller rolls back when
``report.batch`` is None).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from crm.activities.models import ACTIVITY_KINDS
from crm.audit.models import AuditEvent
from crm.audit.recorder import insert_audited
from crm.auth.models import User
from crm.companies import services as companies
from crm.companies.models import Company, Contact
from crm.core import clock
from crm.core.db import added, db
from crm.core.errors import ServiceError
from crm.imports import values as read
from crm.imports.headers import FIELDS, REQUIRED, header_key
from crm.imports.models import ImportBatch, ImportBatchRecord, ImportMapping
from crm.imports.readers import FORMULA, Table
from crm.projects import services as projects
from crm.projects.models import FUND_ORIGINS, PROJECT_KINDS, SOURCE_CHANNELS, Project
from crm.util.names import normalise_company_name
from crm.util.pinyin import initials, pinyin_key

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


LOOKUP_CHUNK = 500  # names or codes per lookup query (well under any database's parameter limit)
WRITE_CHUNK = 500  # projects per batch write


@dataclass(eq=False)
class NewCompany:
    """A company the batch path creates: checked when a row first names it, written with
    that row's chunk (``_write_creates``); ``id`` is set then."""

    values: dict
    row: int
    id: int | None = None

    @property
    def name(self) -> str:
        return self.values["name"]

    @property
    def name_key(self) -> str:
        return self.values["name_key"]

    @property
    def uscc(self) -> str | None:
        return self.values["uscc"]


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
        # The batch path (projects): companies looked up beforehand, new ones written later.
        self.companies_loaded = False
        self.existing: dict[tuple[str, int | None], Project] = {}

    def header(self, field_name: str) -> str:
        return self.columns.get(field_name) or FIELDS[self.kind].get(field_name, (field_name,))[0]

    # the rows' references to other records

    def company(
        self, name: str | None, uscc: str | None, row: int, fields: tuple[str, str] | None = None
    ) -> Company | NewCompany | None:
        """The company by credit code, else by normalised name, else a new one (on the batch
        path a ``NewCompany``, written with the first chunk that needs it). ``fields`` (name,
        credit code) are the row's columns a problem is named on."""
        if not name and not uscc:
            return None
        if uscc:
            found = self.companies_by_uscc.get(uscc) or self._load_company(Company.uscc == uscc)
            if found is not None:
                self.companies_by_uscc[uscc] = found
                return found
        key = normalise_company_name(name) if name else ""
        if key:
            found = self.companies_by_key.get(key) or self._load_company(Company.name_key == key)
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
            company = self.new_company({"name": name, "uscc": uscc}, row)
        except ServiceError as exc:
            field_name = uscc_field if "uscc" in exc.errors else name_field
            raise _RowError(field_name, exc.describe()) from None
        self.companies_by_key[company.name_key] = company
        if company.uscc:
            self.companies_by_uscc[company.uscc] = company
        if isinstance(company, Company):
            self.written(company, "created", row)
        self.report.companies_created += 1
        return company

    def _load_company(self, condition) -> Company | None:
        if self.companies_loaded:  # the batch path looked every row's company up already
            return None
        return db.session.execute(
            select(Company).where(condition).order_by(Company.id).limit(1)
        ).scalar_one_or_none()

    def load_companies(self, rows: list[dict], name_field: str, uscc_field: str) -> None:
        """Look up every company the rows name (by credit code, by normalised name), a few
        hundred per query, for ``company`` to find them without a query per row."""
        usccs = sorted({v[uscc_field] for v in rows if v.get(uscc_field)})
        keys = sorted({normalise_company_name(v[name_field]) for v in rows if v.get(name_field)} - {""})
        for start in range(0, len(usccs), LOOKUP_CHUNK):
            for company in db.session.execute(
                select(Company).where(Company.uscc.in_(usccs[start : start + LOOKUP_CHUNK]))
            ).scalars():
                self.companies_by_uscc[company.uscc] = company
        for start in range(0, len(keys), LOOKUP_CHUNK):
            for company in db.session.execute(
                select(Company)
                .where(Company.name_key.in_(keys[start : start + LOOKUP_CHUNK]))
                .order_by(Company.id)
            ).scalars():
                self.companies_by_key.setdefault(company.name_key, company)
        self.companies_loaded = True

    def load_projects(self, names: list[str]) -> None:
        """The county's projects bearing these names, by (name, investor): the duplicates."""
        names = sorted(set(names))
        for start in range(0, len(names), LOOKUP_CHUNK):
            for project in db.session.execute(
                select(Project)
                .where(
                    Project.county_id == self.county_id, Project.name.in_(names[start : start + LOOKUP_CHUNK])
                )
                .order_by(Project.id)
            ).scalars():
                self.existing.setdefault((project.name, project.investor_company_id), project)

    def new_company(self, data: dict, row: int) -> Company | NewCompany:
        """A company checked by the companies' own rules (``clean_company_data``). The duplicate
        checks of ``create_company`` are the import's own here — same USCC, same normalised
        name, done above from a cache — because its similar-name search costs a scan per row.
        On the batch path it is written later (``_write_creates``)."""
        cleaned, _warnings = companies.clean_company_data(data)
        values = {
            **cleaned,
            "name_key": normalise_company_name(cleaned["name"]),
            "created_by_county_id": self.county_id,
        }
        if self.companies_loaded:
            return NewCompany(values, row)
        company = Company(**values)
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

    def settled_as_duplicate(self, row: int, existing, label: str, reason: str, update) -> bool:
        """Whether ``row``, a duplicate of ``existing``, is done as the user chose: skipped,
        or ``update()`` applied; False: the user chose to create it anew."""
        choice = self.duplicate(row, existing, label, reason)
        if choice == "skip":
            self.report.skipped += 1
            return True
        if choice == "update":
            update()
            self.report.updated += 1
            return True
        return False


def _filled(data: dict) -> dict:
    """The values a row gives (an empty cell keeps what is stored when updating)."""
    return {key: value for key, value in data.items() if value is not None}


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


def _local_company(run: _Import, v: dict, row: int) -> Company | NewCompany | None:
    fields = ("local_company_name", "local_company_uscc")
    return run.company(v.get(fields[0]), v.get(fields[1]), row, fields)


def _project_data(run: _Import, v: dict, investor, local) -> dict:
    """The row as ``create_project`` / ``update_project`` take it (stage aside)."""
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
        data["investor_company_id"] = investor.id  # None for a company not written yet
    if local is not None:
        data["local_company_id"] = local.id
    if v.get("owner"):
        data["owner_id"] = run.owner(v["owner"])
    return data


def _same_project_seen(run: _Import, row: int, name: str, investor) -> None:
    # A company not written yet (the batch path's NewCompany) has no id: itself stands for it.
    key = (name, investor.id if isinstance(investor, Company) else investor)
    if key in run.seen:
        raise _RowError("name", _("与第 %(row)s 行是同一项目（名称和投资方相同）", row=run.seen[key]))
    run.seen[key] = row


def _with_stage(data: dict, v: dict) -> dict:
    if v.get("stage"):
        data["stage"] = v["stage"]
        data["note"] = _("台账导入")
    return data


def _import_project(run: _Import, row: int, v: dict) -> None:
    """One project row written through the services at once (``run_import(row_by_row=True)``:
    the reference the batch path, ``_check_project``, is tested against)."""
    investor = run.company(v.get("investor_name"), v.get("investor_uscc"), row)
    data = _project_data(run, v, investor, _local_company(run, v, row))
    _same_project_seen(run, row, v["name"], investor)
    query = select(Project).where(Project.county_id == run.county_id, Project.name == v["name"])
    query = query.where(
        Project.investor_company_id == investor.id if investor else Project.investor_company_id.is_(None)
    )
    existing = db.session.execute(query.limit(1)).scalar_one_or_none()

    def update():
        projects.update_project(existing, data, run.actor, existing.version, today=run.today)
        run.written(existing, "updated", row)

    if existing is not None and run.settled_as_duplicate(
        row, existing, existing.name, _("本县已有同名且投资方相同的项目"), update
    ):
        return
    project = projects.create_project(
        _with_stage(data, v), run.actor, county_id=run.county_id, today=run.today
    )
    run.written(project, "created", row)
    run.report.created += 1


# ---- projects in batches ----------------------------------------------------------------


@dataclass
class _Step:
    """What a checked project row will write: a new project, or an update of ``existing``."""

    row: int
    new: projects.NewProject | None = None
    investor: Company | NewCompany | None = None
    local: Company | NewCompany | None = None  # the project's 本地企业
    existing: Project | None = None
    data: dict | None = None


def _check_project(run: _Import, row: int, v: dict, steps: list[_Step]) -> None:
    """``_import_project`` without writing: the same checks, in the same order, through
    ``check_new_project`` / ``check_project_update``; what to write goes to ``steps``."""
    investor = run.company(v.get("investor_name"), v.get("investor_uscc"), row)
    local = _local_company(run, v, row)
    data = _project_data(run, v, investor, local)
    _same_project_seen(run, row, v["name"], investor)
    existing = None
    if not isinstance(investor, NewCompany):  # a company new to the database has no projects
        existing = run.existing.get((v["name"], getattr(investor, "id", None)))

    def update():
        projects.check_project_update(existing, data, run.actor, existing.version, today=run.today)
        steps.append(_Step(row, existing=existing, data=data))

    if existing is not None and run.settled_as_duplicate(
        row, existing, existing.name, _("本县已有同名且投资方相同的项目"), update
    ):
        return
    new = projects.check_new_project(
        _with_stage(data, v),
        run.actor,
        run.county_id,
        run.today,
        unwritten_local_company=local if isinstance(local, NewCompany) else None,
    )
    steps.append(_Step(row, new=new, investor=investor, local=local))
    run.report.created += 1


def _import_projects(run: _Import, rows: list[tuple[int, dict]], commit: bool) -> None:
    """The batch path for a project ledger: read every row, look up what the rows name,
    check each row; then, committing with no problem, write the rows a chunk at a time."""
    parsed: list[tuple[int, dict, dict]] = []
    for number, cells in rows:
        try:
            parsed.append((number, cells, _parse_row(run, cells)))
        except _RowError as exc:
            run.report.problems.append(
                Problem(number, run.header(exc.field), _cell(cells.get(exc.field)), exc.message)
            )
    values = [v for _number, _cells, v in parsed]
    run.load_companies(values, "investor_name", "investor_uscc")
    run.load_companies(values, "local_company_name", "local_company_uscc")
    run.load_projects([v["name"] for v in values])
    steps: list[_Step] = []
    for number, cells, v in parsed:
        try:
            _check_project(run, number, v, steps)
        except _RowError as exc:
            run.report.problems.append(
                Problem(number, run.header(exc.field), _cell(cells.get(exc.field)), exc.message)
            )
        except ServiceError as exc:
            _service_problems(run, number, cells, exc)
    run.report.problems.sort(key=lambda problem: problem.row)  # row order, as one pass gives
    if commit and run.report.ok:
        _write_steps(run, steps)


def _write_steps(run: _Import, steps: list[_Step]) -> None:
    """Write the checked rows in ledger order: new projects a chunk at a time, an update
    (rare: a duplicate the user chose to update) through ``update_project``."""
    chunk: list[_Step] = []
    for step in steps:
        if step.new is not None:
            chunk.append(step)
            if len(chunk) >= WRITE_CHUNK:
                _write_creates(run, chunk)
                chunk = []
            continue
        _write_creates(run, chunk)
        chunk = []
        projects.update_project(step.existing, step.data, run.actor, step.existing.version, today=run.today)
        run.written(step.existing, "updated", step.row)
    _write_creates(run, chunk)


def _write_creates(run: _Import, chunk: list[_Step]) -> None:
    """The chunk's new companies (investors and 本地企业 not written yet), then its projects
    (``create_projects``), with their audit rows."""
    if not chunk:
        return
    db.session.flush()  # anything pending (an update just written) goes first
    now = clock.utcnow()
    new_companies: dict[int, NewCompany] = {}  # by identity: one company may fill both roles
    for step in chunk:
        for company in (step.investor, step.local):
            if isinstance(company, NewCompany) and company.id is None:
                new_companies.setdefault(id(company), company)
    unwritten = sorted(new_companies.values(), key=lambda company: company.row)
    rows = [
        {
            **company.values,
            # What the model's name validator keeps (crm/util/pinyin.py).
            "name_pinyin": pinyin_key(company.name),
            "name_initials": initials(company.name),
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for company in unwritten
    ]
    for company, company_id in zip(unwritten, insert_audited(db.session, Company, rows), strict=True):
        company.id = company_id
    for step in chunk:
        if step.investor is not None:
            step.new.values["investor_company_id"] = step.investor.id
        if step.local is not None:
            step.new.values["local_company_id"] = step.local.id
    projects.create_projects([step.new for step in chunk], run.actor, run.county_id, run.today)
    reported = {id(company) for company in unwritten}
    for step in chunk:  # in the order the row-by-row path records them
        for company in (step.investor, step.local):
            if id(company) in reported:
                reported.discard(id(company))
                run.report.written.append(("companies", company.id, "created", company.row))
        run.report.written.append(("projects", step.new.id, "created", step.row))


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

    def update():
        companies.update_company(found, _filled(data), found.version)
        run.written(found, "updated", row)

    if found is not None and run.settled_as_duplicate(row, found, found.name, reason, update):
        return
    if data.get("uscc") and found is not None and found.uscc == data["uscc"]:
        raise _RowError("uscc", _("统一社会信用代码已登记为“%(name)s”，不能再新建", name=found.name))
    company = run.new_company(data, row)
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

    def update():
        companies.update_contact(existing, _filled(data), existing.version)
        run.written(existing, "updated", row)

    if existing is not None and run.settled_as_duplicate(
        row, existing, f"{company.name} · {existing.name}", _("该企业已有同名联系人"), update
    ):
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
    row_by_row: bool = False,
) -> Report:
    """Check every row of ``table`` (columns named by ``mapping``: header → field) and report
    each problem. With ``commit`` and no problem, write the rows and record the batch;
    otherwise the caller rolls back (``report.batch`` is None), and nothing is written.

    A project ledger is checked and written in batches (``_import_projects``);
    ``row_by_row`` writes each project through ``create_project`` instead, the reference
    the batch path is tested against."""
    run = _Import(kind, county_id, actor, mapping, choices or {}, today or clock.today())
    audit_from = _audit_mark() if commit else 0
    positions = [(index, mapping.get(header_key(h))) for index, h in enumerate(table.headers)]
    positions = [(index, f) for index, f in positions if f]
    rows = ((row.number, {f: row.values[index] for index, f in positions}) for row in table.rows)
    if kind == "projects" and not row_by_row:
        rows = list(rows)
        run.report.rows_total = len(rows)
        _import_projects(run, rows, commit)
    else:
        importer = IMPORTERS[kind]
        for number, cells in rows:
            run.report.rows_total += 1
            try:
                parsed = _parse_row(run, cells)
                importer(run, number, parsed)
            except _RowError as exc:
                run.report.problems.append(
                    Problem(number, run.header(exc.field), _cell(cells.get(exc.field)), exc.message)
                )
            except ServiceError as exc:
                _service_problems(run, number, cells, exc)
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
    # One INSERT for a 20,000-row ledger's records, with the audit rows a flush would write.
    insert_audited(
        db.session,
        ImportBatchRecord,
        [
            {
                "county_id": run.county_id,
                "batch_id": batch.id,
                "table_name": t,
                "record_id": i,
                "action": a,
                "row_number": r,
            }
            for t, i, a, r in report.written
        ],
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
    return added(mapping)


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
