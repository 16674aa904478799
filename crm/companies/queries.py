"""Reading companies for the pages: the list with its count, a company's contacts and projects."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from crm.companies import services
from crm.companies.models import Company, Contact
from crm.core.db import db
from crm.util.pinyin import sort_key

__all__ = ["company_page", "contacts_of", "projects_of"]


def company_page(q: str, tag: str, page: int, per_page: int) -> tuple[list[Company], int]:
    """One page of the companies matching a name, fragment or credit code and a tag, and
    how many match in all."""
    query = services.search_companies(q, tag)
    total = db.session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return list(rows), total


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
