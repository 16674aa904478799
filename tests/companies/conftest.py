"""Fixtures for the companies tests: credit codes and a quick way to add records."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.util.uscc import make_uscc, org_code_check_char, uscc_check_char

VALID_USCC = "91350100M000100Y43"


def uscc_with_bad_org_check(body: str = "610323AB12CD34") -> str:
    """A code whose final check is right but whose embedded organisation-code check is not."""
    first16 = "91" + body[:6] + body[6:14]
    right = org_code_check_char(body[6:14])
    wrong = "0" if right != "0" else "1"
    first17 = first16 + wrong
    return first17 + uscc_check_char(first17)


class CompanyMaker:
    def __init__(self, app):
        self.app = app

    def company(self, name: str, uscc: str | None = None, **extra) -> int:
        from crm.companies.services import create_company

        with self.app.app_context(), system_scope():
            company = create_company({"name": name, "uscc": uscc, **extra}, confirm_not_duplicate=True)
            db.session.commit()
            return company.id

    def contact(self, company_id: int, county_id: int, name: str = "王经理", **extra) -> int:
        from crm.companies.models import Company
        from crm.companies.services import create_contact

        with self.app.app_context(), system_scope():
            contact = create_contact(
                db.session.get(Company, company_id), {"name": name, **extra}, county_id=county_id
            )
            db.session.commit()
            return contact.id

    def count(self, model) -> int:
        with self.app.app_context(), system_scope():
            return db.session.execute(select(func.count()).select_from(model)).scalar_one()

    def get(self, model, record_id):
        """Column values of one record, read outside any request."""
        with self.app.app_context(), system_scope():
            obj = db.session.get(model, record_id)
            if obj is None:
                return None
            return {c.key: getattr(obj, c.key) for c in obj.__mapper__.column_attrs}


@pytest.fixture
def company_maker(app, world) -> CompanyMaker:
    """Adds companies and contacts through the services and reads them back."""
    return CompanyMaker(app)


@pytest.fixture
def fresh_uscc():
    """Fresh valid codes, one per call."""
    seeds = iter(range(1, 10_000))
    return lambda region="610323": make_uscc(region, next(seeds))


@pytest.fixture
def uscc_bad_org_check() -> str:
    """A credit code whose organisation-code check character is wrong."""
    return uscc_with_bad_org_check()
