"""The demo has two cities: 宝鸡市 (岐山县, 扶风县) and 汉中市 (城固县), a coordinator for each
and one for the province. The province's coordinator ranks all three counties; each city's
coordinator reads its own counties only."""

from __future__ import annotations

from demo_support import login
from sqlalchemy import select

from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.projects.models import Project
from crm.regions.models import Region


def _ranking(client) -> str:
    page = client.get("/dashboard")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    start = body.find('data-testid="ranking"')
    return body[start : body.find("</table>", start)] if start >= 0 else ""


def _first_project_of(app, county_name: str) -> int:
    with app.app_context(), system_scope():
        county = db.session.execute(select(Region.id).where(Region.name == county_name)).scalar_one()
        return db.session.execute(
            select(Project.id).where(Project.county_id == county).order_by(Project.id).limit(1)
        ).scalar_one()


def test_two_cities_each_with_its_coordinator(demo_app, api):
    ranking = _ranking(login(demo_app, "province"))
    for county in ("岐山县", "扶风县", "城固县"):
        assert county in ranking, county
    baoji = _ranking(login(demo_app, "city"))
    assert "岐山县" in baoji and "扶风县" in baoji and "城固县" not in baoji
    assert _ranking(login(demo_app, "hanzhong")) == ""  # one county: nothing to rank

    chenggu_project = _first_project_of(demo_app, "城固县")
    qishan_project = _first_project_of(demo_app, "岐山县")
    assert api.get(f"/api/v1/projects/{chenggu_project}", as_user="hanzhong").status_code == 200
    assert api.get(f"/api/v1/projects/{qishan_project}", as_user="hanzhong").status_code == 404
    assert api.get(f"/api/v1/projects/{chenggu_project}", as_user="city").status_code == 404
    assert api.get(f"/api/v1/projects/{chenggu_project}", as_user="chenggu_manager").status_code == 200
    assert api.get(f"/api/v1/projects/{chenggu_project}", as_user="province").status_code == 200
