"""Reading companies for the pages: the list with its count, a company's contacts and projects."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import or_, select

from crm.companies import services
from crm.companies.models import Company, Contact
from crm.core.db import db
from crm.core.pagination import entity_page
from crm.core.search import SearchHit
from crm.util.pinyin import sort_key

__all__ = [
    "company_hits",
    "company_page",
    "CompanyOrder",
    "contact_hits",
    "contacts_of",
    "projects_of",
    "SORTS",
]

# The columns the list sorts by (``?sort=``), and the direction each starts in (``?dir=``).
SORTS = {"name": Company.name_pinyin, "uscc": Company.uscc, "updated": Company.updated_at}
FIRST_DESCENDING = ("updated",)
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class CompanyOrder:
    """The list's order from ``?sort=`` and ``?dir=``; anything else is the default.

    >>> CompanyOrder.from_args({"sort": "uscc", "dir": "desc"})
    CompanyOrder(sort='uscc', desc=True)
    >>> CompanyOrder.from_args({"sort": "x"}), CompanyOrder.from_args({"sort": "updated"})
    (CompanyOrder(sort='name', desc=False), CompanyOrder(sort='updated', desc=True))
    """

    sort: str = DEFAULT_SORT
    desc: bool = False

    @classmethod
    def from_args(cls, args) -> CompanyOrder:
        sort = args.get("sort") or DEFAULT_SORT
        sort = sort if sort in SORTS else DEFAULT_SORT
        direction = args.get("dir")
        if direction not in ("asc", "desc"):
            direction = "desc" if sort in FIRST_DESCENDING else "asc"
        return cls(sort, direction == "desc")

    def apply(self, statement):
        column = SORTS[self.sort]
        order = column.desc() if self.desc else column.asc()
        if self.sort == "uscc":
            order = order.nulls_last()  # companies without a code last, either way
        return statement.order_by(None).order_by(order, Company.id.desc() if self.desc else Company.id)


def company_page(
    q: str, tag: str, page: int, per_page: int, order: CompanyOrder | None = None
) -> tuple[list[Company], int]:
    """One page of the companies matching a name, fragment or credit code and a tag, in
    ``order`` (by name by default), and how many match in all."""
    query = services.search_companies(q, tag)
    return entity_page((order or CompanyOrder()).apply(query), page, per_page)


def contacts_of(company: Company) -> list[Contact]:
    """This scope's contacts at a company, in pinyin order of their names."""
    contacts = db.session.execute(services.contacts_of(company)).scalars()
    return sorted(contacts, key=lambda contact: (sort_key(contact.name), contact.id))


def projects_of(company: Company) -> list:
    """The scope's projects the company invests in or is the local company of, newest first."""
    from crm.projects.models import Project  # projects build on companies, not the other way

    statement = (
        select(Project)
        .where(or_(Project.investor_company_id == company.id, Project.local_company_id == company.id))
        .order_by(Project.id.desc())
    )
    return list(db.session.execute(statement).scalars())


def company_hits(text: str, user, limit: int) -> list[SearchHit]:
    """The global search's companies: name, name fragment or credit code, as the list
    searches them, by name (company master data is shared by every county)."""
    statement = services.search_companies(text).limit(limit)
    return [
        SearchHit(company.name, url_for("companies.detail", company_id=company.id), company.uscc or "")
        for company in db.session.execute(statement).scalars()
    ]


def contact_hits(text: str, user, limit: int) -> list[SearchHit]:
    """The global search's contacts by name or phone: the scope's own only (contacts
    belong to a county; the tenant scope filters out the others), each with its company."""
    statement = (
        select(Contact.id, Contact.name, Contact.title, Contact.phone, Company.id, Company.name)
        .join(Company, Company.id == Contact.company_id)
        .where(
            # icontains: "david" finds David on PostgreSQL as on SQLite (whose LIKE ignores case).
            or_(Contact.name.icontains(text, autoescape=True), Contact.phone.icontains(text, autoescape=True))
        )
        .order_by(Contact.name, Contact.id)
        .limit(limit)
    )
    return [
        SearchHit(
            name,
            url_for("companies.detail", company_id=company_id) + f"#contact-{contact_id}",
            " · ".join(part for part in (company_name, title, phone) if part),
        )
        for contact_id, name, title, phone, company_id, company_name in db.session.execute(statement)
    ]
