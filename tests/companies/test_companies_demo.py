"""The demo companies: plenty of them, valid codes, contacts in every demo county."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import func, select

from crm.companies.models import Company, Contact
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.util.uscc import validate_uscc


def test_demo_loads_companies_and_contacts_for_each_county(app, world):
    from crm.auth.models import User
    from crm.companies import load_demo
    from crm.demo import DemoContext
    from crm.regions.models import Region

    with app.app_context(), system_scope():
        counties = [db.session.get(Region, world.county_a), db.session.get(Region, world.county_b)]
        users = {u.username: u for u in db.session.execute(select(User)).scalars()}
        ctx = DemoContext(counties=counties, users=users, today=date(2026, 11, 23), rng=random.Random(1))
        ctx.county_users = {
            world.county_a: {"staff": users["a_staff"]},
            world.county_b: {"staff": users["b_staff"]},
        }
        load_demo(ctx)
        db.session.commit()
        companies = db.session.execute(select(Company)).scalars().all()
        per_county = dict(
            db.session.execute(select(Contact.county_id, func.count()).group_by(Contact.county_id)).all()
        )
    assert len(companies) >= 80
    assert all(validate_uscc(c.uscc).ok and not validate_uscc(c.uscc).warnings for c in companies)
    assert len({c.uscc for c in companies}) == len(companies)
    assert sum(1 for c in companies if c.tags) >= 40
    assert per_county[world.county_a] >= 40 and per_county[world.county_b] >= 40
