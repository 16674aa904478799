"""Companies (shared master data) and contacts (county-owned): the rules, for views,
API, CLI and demo alike."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import Text, and_, case, cast, delete, exists, func, or_, select, update

from crm.audit.models import AuditEvent
from crm.audit.recorder import AUDIT_WRITTEN
from crm.companies.industries import check_industry_code
from crm.companies.models import COMPANY_SIZES, COMPANY_TAGS, Company, Contact
from crm.core.db import db
from crm.core.errors import ServiceError, refuse_stale
from crm.core.tenancy import current_scope, system_scope
from crm.util.names import normalise_company_name, similar_names
from crm.util.pinyin import initials_query
from crm.util.uscc import normalise_uscc, validate_uscc

COMPANY_FIELDS = ("name", "uscc", "industry_code", "headquarters", "size", "tags", "website", "description")
CONTACT_FIELDS = ("name", "title", "phone", "email", "wechat", "note")
TEXT_LIMITS = {"name": 200, "headquarters": 200, "website": 255, "description": 5000}
CONTACT_LIMITS = {"name": 100, "title": 100, "phone": 50, "email": 120, "wechat": 60, "note": 5000}
SIZE_LABELS = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^[0-9+\-() 转]{5,50}$")
BARE_HOST_RE = re.compile(r"^[\w.-]+\.[\w-]+(:\d+)?(/|$)")
WEBSITE_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


class DuplicateCompanyError(ServiceError):
    """A create that looks like an existing company. ``existing`` are the matches;
    ``kind`` is ``"uscc"`` (refused outright) or ``"name"`` (the user may confirm)."""

    def __init__(
        self,
        message: str,
        errors: dict,
        existing: list[Company],
        kind: str,
        scores: dict[int, float] | None = None,
    ):
        super().__init__(message, errors)
        self.existing = existing
        self.kind = kind
        self.scores = scores or {}


class NotAllowedError(ServiceError):
    status = 403


@dataclass
class Duplicates:
    same_uscc: Company | None = None
    similar: list[tuple[Company, float]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.same_uscc is not None or bool(self.similar)


OWN_AUDIT_ROWS = {AUDIT_WRITTEN: True}  # a merge writes one row per county with what it moved


def _text(value, key: str, errors: dict, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        errors.setdefault(key, []).append(_("应为文本"))
        return None
    value = value.strip()
    if len(value) > limit:
        errors.setdefault(key, []).append(_("不能超过 %(limit)d 个字符", limit=limit))
    return value or None


def clean_company_data(data: dict) -> tuple[dict, list[str]]:
    """Check every field; return the cleaned values and the USCC warnings, or raise
    ServiceError naming each field that is wrong."""
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    for key, limit in TEXT_LIMITS.items():
        cleaned[key] = _text(data.get(key), key, errors, limit)
    if not cleaned["name"] and "name" not in errors:
        errors["name"] = [_("请填写企业名称")]
    warnings: list[str] = []
    raw_uscc = data.get("uscc")
    if raw_uscc is not None and not isinstance(raw_uscc, str):
        errors["uscc"] = [_("应为文本")]
    elif normalise_uscc(raw_uscc):
        result = validate_uscc(raw_uscc)
        if result.errors:
            errors["uscc"] = list(result.errors)
        warnings = list(result.warnings)
        cleaned["uscc"] = result.code
    else:
        cleaned["uscc"] = None
    raw_industry = data.get("industry_code")
    if raw_industry is not None and not isinstance(raw_industry, str):
        errors["industry_code"] = [_("应为文本")]
    else:
        cleaned["industry_code"], message = check_industry_code(raw_industry)
        if message:
            errors["industry_code"] = [message]
    size = data.get("size") or None
    if size is not None and size not in COMPANY_SIZES:
        errors["size"] = [_("企业规模应为：%(sizes)s", sizes="、".join(COMPANY_SIZES))]
    cleaned["size"] = size
    tags = data.get("tags") or []
    if not isinstance(tags, (list, tuple)) or any(not isinstance(t, str) for t in tags):
        errors["tags"] = [_("标签应为文本列表")]
        tags = []
    unknown = [t for t in tags if t not in COMPANY_TAGS]
    if unknown:
        errors["tags"] = [_("未知标签：%(tags)s", tags="、".join(unknown))]
    # Stored in the fixed order of COMPANY_TAGS so that equal sets compare equal.
    cleaned["tags"] = [t for t in COMPANY_TAGS if t in tags]
    website = cleaned["website"]
    if website and "website" not in errors:
        if "://" not in website and BARE_HOST_RE.match(website):
            website = "http://" + website
        if not WEBSITE_RE.match(website):
            errors["website"] = [_("网址应以 http:// 或 https:// 开头")]
        cleaned["website"] = website
    if errors:
        raise ServiceError(_("企业信息有误，请修改标红的项目"), errors)
    return cleaned, warnings


def uscc_warnings(code: str | None) -> list[str]:
    return validate_uscc(code).warnings if code else []


def _name_candidates(key: str, exclude_id: int | None):
    """(id, name) of companies sharing at least one two-character run with ``key`` —
    a cheap pre-filter; ``similar_names`` does the real comparison."""
    if not key:
        return []
    pieces = {key[i : i + 2] for i in range(len(key) - 1)} or {key}
    query = select(Company.id, Company.name).where(
        or_(*(Company.name_key.contains(piece, autoescape=True) for piece in sorted(pieces)))
    )
    if exclude_id is not None:
        query = query.where(Company.id != exclude_id)
    return db.session.execute(query).all()


def find_duplicates(
    name: str | None, uscc: str | None, exclude_id: int | None = None, limit: int = 5
) -> Duplicates:
    """The company with this USCC, and companies whose names look like ``name``."""
    found = Duplicates()
    code = normalise_uscc(uscc)
    if code:
        query = select(Company).where(Company.uscc == code)
        if exclude_id is not None:
            query = query.where(Company.id != exclude_id)
        found.same_uscc = db.session.execute(query).scalar_one_or_none()
    matches = similar_names(name or "", _name_candidates(normalise_company_name(name), exclude_id), limit)
    if matches:
        companies = {
            c.id: c
            for c in db.session.execute(
                select(Company).where(Company.id.in_([m[0] for m in matches]))
            ).scalars()
        }
        found.similar = [(companies[cid], score) for cid, _name, score in matches if cid in companies]
    return found


def company_values(company: Company) -> dict:
    """The editable values as stored now (shown when an edit conflicts)."""
    return {key: getattr(company, key) for key in COMPANY_FIELDS} | {"version": company.version}


def _duplicate_refusal(cleaned: dict, confirm_not_duplicate: bool) -> DuplicateCompanyError | None:
    """The refusal a create of ``cleaned`` meets: a known USCC always, similar names unless
    the user confirmed a different company; None when the company may be created."""
    duplicates = find_duplicates(cleaned["name"], cleaned["uscc"])
    if duplicates.same_uscc is not None:
        other = duplicates.same_uscc
        message = _(
            "统一社会信用代码 %(code)s 已登记为「%(name)s」，请直接使用该企业",
            code=cleaned["uscc"],
            name=other.name,
        )
        return DuplicateCompanyError(message, {"uscc": [message]}, [other], "uscc")
    if duplicates.similar and not confirm_not_duplicate:
        names = "、".join(c.name for c, _score in duplicates.similar)
        message = _(
            "已有名称相似的企业：%(names)s。如确认不是同一家企业，请勾选“不是重复，仍然创建”。", names=names
        )
        return DuplicateCompanyError(
            message,
            {"name": [message]},
            [c for c, _s in duplicates.similar],
            "name",
            {c.id: s for c, s in duplicates.similar},
        )
    return None


def duplicate_refusal(data: dict, confirm_not_duplicate: bool = False) -> DuplicateCompanyError | None:
    """What ``create_company`` would refuse as a duplicate (None also when the data are
    invalid for other reasons): the form page lists the companies it matched."""
    try:
        cleaned, _warnings = clean_company_data(data)
    except ServiceError:
        return None
    return _duplicate_refusal(cleaned, confirm_not_duplicate)


def create_company(
    data: dict, *, confirm_not_duplicate: bool = False, created_by_county_id: int | None = None
) -> Company:
    """Create a company after the duplicate checks: a known USCC is refused; similar names
    are refused unless the user confirmed that this is a different company."""
    cleaned, _warnings = clean_company_data(data)
    refusal = _duplicate_refusal(cleaned, confirm_not_duplicate)
    if refusal is not None:
        raise refusal
    if created_by_county_id is None:
        scope = current_scope()
        created_by_county_id = getattr(scope, "write_county_id", None)
    company = Company(
        **cleaned, name_key=normalise_company_name(cleaned["name"]), created_by_county_id=created_by_county_id
    )
    db.session.add(company)
    db.session.flush()
    return company


def _check_version(version) -> int:
    try:
        if isinstance(version, (bool, float)):
            raise TypeError(version)
        return int(version)
    except (TypeError, ValueError):
        raise ServiceError(
            _("缺少记录版本号"), {"version": [_("请提供整数 version（记录当前版本）")]}
        ) from None


def _merged(record, fields, data: dict) -> dict:
    """``record``'s ``fields`` as stored, with those ``data`` changes (a partial update)."""
    return {key: getattr(record, key) for key in fields} | {k: v for k, v in data.items() if k in fields}


def update_company(company: Company, data: dict, version) -> Company:
    """Change a company's master data. ``version`` is the version the user edited; if
    someone saved in between, ConflictError carries the values stored now."""
    refuse_stale(
        company,
        _check_version(version),
        _("该企业已被他人修改，您的保存未生效。当前内容已显示，请核对后重新保存。"),
        company_values(company),
    )
    merged = _merged(company, COMPANY_FIELDS, data)
    cleaned, _warnings = clean_company_data(merged)
    if cleaned["uscc"] and cleaned["uscc"] != company.uscc:
        other = find_duplicates(None, cleaned["uscc"], exclude_id=company.id).same_uscc
        if other is not None:
            message = _(
                "统一社会信用代码 %(code)s 已登记为「%(name)s」", code=cleaned["uscc"], name=other.name
            )
            raise DuplicateCompanyError(message, {"uscc": [message]}, [other], "uscc")
    for key, value in cleaned.items():
        if getattr(company, key) != value:
            setattr(company, key, value)
    company.name_key = normalise_company_name(company.name)
    db.session.flush()
    return company


def company_links() -> list:
    """Every column anywhere that points at ``companies.id`` — found on the metadata,
    so tables that later modules add are covered without changes here."""
    companies = Company.__table__
    links = []
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column is companies.c.id:
                links.append(fk.parent)
    return links


def _unique_partners(column) -> list[list]:
    """For each unique constraint that includes ``column``, its other columns."""
    table = column.table
    groups = []
    for constraint in table.constraints:
        cols = list(getattr(constraint, "columns", []))
        if type(constraint).__name__ == "UniqueConstraint" and column in cols:
            groups.append([c for c in cols if c is not column])
    for index in table.indexes:
        if index.unique and column in index.columns:
            groups.append([c for c in index.columns if c is not column])
    return groups


def _count_by_county(table, where, label: str, by_county: dict) -> None:
    if "county_id" not in table.c:
        return
    counts = db.session.execute(
        select(table.c.county_id, func.count()).where(where).group_by(table.c.county_id)
    ).all()
    for county_id, count in counts:
        by_county.setdefault(county_id, {})[label] = count


def merge_with(company: Company, other_id: int | None, keep_this: bool, actor) -> tuple[Company, int]:
    """Merge ``company`` with the company numbered ``other_id``, keeping this one or the
    other; the company kept and how many links moved to it."""
    other = db.session.get(Company, other_id) if other_id else None
    if other is None:
        raise ServiceError(_("没有这个编号的企业"), {"other_id": [_("没有这个编号的企业")]})
    keep, drop = (company, other) if keep_this else (other, company)
    moved = merge_companies(keep, drop, actor)
    return keep, sum(moved.values())


def merge_companies(keep: Company, drop: Company, actor) -> dict[str, int]:
    """Move every link from ``drop`` to ``keep``, fill ``keep``'s blanks from ``drop``,
    delete ``drop``. Manager only. Returns the moved link counts by ``table.column``.

    The company is shared, so its links belong to every county: a project of another
    county may name the dropped company. The manager's own scope would see (and move)
    only their county's links, leave the others pointing at the dropped record and make
    its delete fail on the foreign key. So the link moves run under ``system_scope()``
    on purpose — they change nothing but the company reference, and the manager sees no
    other county's data — as Core UPDATEs, which write no audit rows; this function
    writes them itself: one per county whose records were relinked (so that county's
    audit log shows it) and one with the totals in the acting manager's county. The
    delete of the dropped company goes through the ORM, audited as usual.
    """
    if getattr(getattr(actor, "role", None), "value", None) != "manager":
        raise NotAllowedError(_("只有局长可以合并企业"))
    if keep.id == drop.id:
        raise ServiceError(
            _("不能把企业与自身合并"), {"other_id": [_("不能把企业与自身合并，请填写另一家企业的编号")]}
        )
    scope = current_scope()
    dropped_values = company_values(drop) | {"id": drop.id}
    moved: dict[str, int] = {}
    by_county: dict[int, dict[str, int]] = {}
    db.session.flush()
    with system_scope():
        for column in company_links():
            table = column.table
            label = f"{table.name}.{column.name}"
            # A row that would duplicate one the kept company already has (unique
            # constraint) is the same fact twice: drop it instead of moving it.
            for partners in _unique_partners(column):
                twin = table.alias()
                clash = exists().where(
                    twin.c[column.name] == keep.id, *[twin.c[p.name] == p for p in partners]
                )
                where = and_(column == drop.id, clash)
                _count_by_county(table, where, f"{label} (duplicate removed)", by_county)
                removed = db.session.execute(
                    delete(table).where(where), execution_options=OWN_AUDIT_ROWS
                ).rowcount
                if removed:
                    moved[f"{label} (duplicate removed)"] = removed
            where = column == drop.id
            _count_by_county(table, where, label, by_county)
            values = {column.name: keep.id}
            if "version" in table.c:
                # Someone editing a relinked record must see that it changed.
                values["version"] = table.c.version + 1
            count = db.session.execute(
                update(table).where(where).values(values), execution_options=OWN_AUDIT_ROWS
            ).rowcount
            if count:
                moved[label] = count
    db.session.expire_all()
    db.session.refresh(drop)  # the audit row of the delete records its stored values
    db.session.delete(drop)
    db.session.flush()
    for key in COMPANY_FIELDS:
        if key == "tags":
            keep.tags = [
                t for t in COMPANY_TAGS if t in set(keep.tags or []) | set(dropped_values["tags"] or [])
            ]
        elif not getattr(keep, key) and dropped_values.get(key):
            setattr(keep, key, dropped_values[key])
    keep.name_key = normalise_company_name(keep.name)
    actor_county = getattr(actor, "county_id", None)
    summary = {"kept_id": keep.id, "kept_name": keep.name, "moved": moved}
    events = [AuditEvent(county_id=actor_county, after=summary)]
    for county_id, counts in sorted(by_county.items()):
        if county_id != actor_county:
            events.append(
                AuditEvent(
                    county_id=county_id, after={"kept_id": keep.id, "kept_name": keep.name, "moved": counts}
                )
            )
    for event in events:
        event.actor_id = getattr(scope, "actor_id", None) or actor.id
        event.actor_name = getattr(scope, "actor_name", "") or actor.username
        event.table_name, event.record_id, event.action = "companies", keep.id, "merge"
        event.before = {"dropped": dropped_values}
        db.session.add(event)
    db.session.flush()
    return moved


def search_companies(q: str = "", tag: str = ""):
    """A select of companies matching a name, name fragment, credit code or pinyin initials
    ("bjty"), and a tag."""
    query = select(Company)
    q = (q or "").strip()
    if q:
        query = query.where(_name_matches(q)[0])
    if tag:
        # Tags are a JSON list; its text holds the tag exactly as json.dumps wrote it.
        query = query.where(cast(Company.tags, Text).contains(json.dumps(tag), autoescape=True))
    return query.order_by(Company.name_pinyin, Company.name, Company.id)


#: At most this many suggestions per type-ahead answer.
LOOKUP_LIMIT = 20


def lookup_companies(q: str, limit: int = LOOKUP_LIMIT) -> list[Company]:
    """The companies a picker suggests for ``q``: a part of the name (or of its normalised
    form), the start of the credit code, or pinyin initials ("bjty" for 宝鸡钛业). Names
    that start with it first, then pinyin order."""
    q = (q or "").strip()
    if not q:
        return []
    matches, starts = _name_matches(q)
    query = (
        select(Company)
        .where(matches)
        .order_by(case((starts, 0), else_=1), Company.name_pinyin, Company.name, Company.id)
        .limit(limit)
    )
    return list(db.session.execute(query).scalars())


def _name_matches(q: str):
    """SQL (matches, starts with) for a company search text ``q``: a part of the name or of
    its normalised form, the start of the credit code, or the name's pinyin initials."""
    letters = initials_query(q)
    key = normalise_company_name(q)
    code = normalise_uscc(q)
    conditions = [Company.name.contains(q, autoescape=True)]
    starts = [Company.name.startswith(q, autoescape=True)]
    if key:
        conditions.append(Company.name_key.contains(key, autoescape=True))
    if code:
        conditions.append(Company.uscc.startswith(code, autoescape=True))
        starts.append(Company.uscc.startswith(code, autoescape=True))
    if letters:
        conditions.append(Company.name_initials.contains(letters, autoescape=True))
        starts.append(Company.name_initials.startswith(letters, autoescape=True))
    return or_(*conditions), or_(*starts)


# Contacts ---------------------------------------------------------------------------


def clean_contact_data(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {key: _text(data.get(key), key, errors, limit) for key, limit in CONTACT_LIMITS.items()}
    if not cleaned["name"] and "name" not in errors:
        errors["name"] = [_("请填写联系人姓名")]
    if cleaned["email"] and not EMAIL_RE.match(cleaned["email"]):
        errors.setdefault("email", []).append(_("邮箱格式不正确"))
    if cleaned["phone"] and not PHONE_RE.match(cleaned["phone"]):
        errors.setdefault("phone", []).append(_("电话只能包含数字、空格、+、-、括号"))
    if errors:
        raise ServiceError(_("联系人信息有误，请修改标红的项目"), errors)
    return cleaned


def contact_values(contact: Contact) -> dict:
    return {key: getattr(contact, key) for key in CONTACT_FIELDS} | {"version": contact.version}


def create_contact(
    company: Company, data: dict, *, county_id: int | None = None, created_by_id: int | None = None
) -> Contact:
    """A contact of ``company`` owned by ``county_id`` (default: the writer's county)."""
    contact = Contact(
        company_id=company.id, county_id=county_id, created_by_id=created_by_id, **clean_contact_data(data)
    )
    db.session.add(contact)
    db.session.flush()
    return contact


def update_contact(contact: Contact, data: dict, version) -> Contact:
    refuse_stale(
        contact,
        _check_version(version),
        _("该联系人已被他人修改，您的保存未生效。当前内容已显示，请核对后重新保存。"),
        contact_values(contact),
    )
    merged = _merged(contact, CONTACT_FIELDS, data)
    for key, value in clean_contact_data(merged).items():
        if getattr(contact, key) != value:
            setattr(contact, key, value)
    db.session.flush()
    return contact


def delete_contact(contact: Contact) -> None:
    db.session.delete(contact)
    db.session.flush()


def contacts_of(company: Company):
    """This scope's contacts of a company (other counties' are filtered out by tenancy)."""
    return select(Contact).where(Contact.company_id == company.id).order_by(Contact.name, Contact.id)
