"""Project lists at scale: one page costs the same statements for 3 or 40 projects, and a
page picked by id first still holds the right projects in the right order."""

from __future__ import annotations

import re
from decimal import Decimal

from sql_statements import statements_of

from crm.core.db import db
from crm.core.tenancy import system_scope

PAGES = ("/projects", "/projects?sort=amount&dir=desc&page=2", "/projects/board")


def _add_projects(app, world, how_many, start=0):
    from crm.companies.models import Company
    from crm.projects.models import Project

    with app.app_context(), system_scope():
        for number in range(start, start + how_many):
            county = world.county_a if number % 2 == 0 else world.county_b
            company = Company(name=f"投资方{number}有限公司", name_key=f"投资方{number}")
            db.session.add(
                Project(
                    county_id=county,
                    name=f"规模项目{number:03d}",
                    stage="lead",
                    investor_company=company,
                    owner_id=world.ids["a_staff" if number % 2 == 0 else "b_staff"],
                    planned_investment_wan=Decimal(1000 + number),
                )
            )
        db.session.commit()


def test_pages_cost_the_same_statements_for_few_and_many_projects(app, client, auth, api, world):
    _add_projects(app, world, 3)
    auth.login("city")
    few = [statements_of(app, lambda p=p: client.get(p)) for p in PAGES]
    api.get("/api/v1/projects", as_user="city")  # issues the token
    few_api = statements_of(app, lambda: api.get("/api/v1/projects?sort=amount&dir=desc", as_user="city"))
    _add_projects(app, world, 40, start=3)
    assert [statements_of(app, lambda p=p: client.get(p)) for p in PAGES] == few
    assert (
        statements_of(app, lambda: api.get("/api/v1/projects?sort=amount&dir=desc", as_user="city"))
        == few_api
    )


def test_second_page_by_amount_holds_the_next_projects_in_order(app, client, auth, api, world):
    _add_projects(app, world, 40)
    per_page = app.config["PER_PAGE"]
    # Both counties for the city coordinator: amounts 1039 down to 1000, page 2 starts after 25.
    auth.login("city")
    page = client.get("/projects?sort=amount&dir=desc&page=2").get_data(as_text=True)
    names = re.findall(r"规模项目(\d{3})", page)
    assert [int(n) for n in dict.fromkeys(names)] == list(range(39 - per_page, -1, -1))
    body = api.get(
        f"/api/v1/projects?sort=amount&dir=desc&page=2&per_page={per_page}", as_user="city"
    ).get_json()
    assert body["total"] == 40
    assert [item["name"] for item in body["items"]] == [
        f"规模项目{n:03d}" for n in range(39 - per_page, -1, -1)
    ]
    # A county officer's page holds only that county's projects.
    body = api.get("/api/v1/projects?sort=amount&dir=desc&per_page=200", as_user="a_staff").get_json()
    assert body["total"] == 20 and all(int(item["name"][-3:]) % 2 == 0 for item in body["items"])
