"""Issue 14 item 8: a county's first four digits are its city's (610423 泾阳县 belongs to
610400 咸阳市, not 610300 宝鸡市); only the province-administered x90xxx codes sit directly
under a province. The same rule on the service, the admin page and the CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.tenancy import system_scope
from crm.regions.models import Region
from crm.regions.services import create_region


def _create(app, *args):
    """Create a region; its field errors when refused (None when created)."""
    with app.test_request_context(), system_scope():
        try:
            create_region(*args)
        except ServiceError as exc:
            db.session.rollback()
            return exc.errors
        db.session.commit()
        return None


def _codes(app) -> set[str]:
    with app.app_context(), system_scope():
        return set(db.session.execute(select(Region.code)).scalars())


def test_a_county_of_another_city_is_refused_under_the_wrong_city(app, world):
    errors = _create(app, "610423", "泾阳县", "county", "610300")
    assert errors == {"code": ["县级代码前四位应与上级市一致：610423 不属于 宝鸡市（610300）"]}
    assert "610423" not in _codes(app)
    assert _create(app, "610400", "咸阳市", "city", "610000") is None
    assert _create(app, "610423", "泾阳县", "county", "610400") is None


def test_province_administered_units_sit_directly_under_their_province(app, world):
    assert _create(app, "420000", "湖北省", "province") is None
    assert _create(app, "429004", "仙桃市", "county", "420000") is None
    with app.app_context(), system_scope():
        xiantao = db.session.execute(select(Region).where(Region.code == "429004")).scalar_one()
        assert xiantao.parent.code == "420000"


@pytest.mark.parametrize(
    "args, field, message",
    [
        (
            ("610326", "眉县", "county", "610000"),
            "parent_code",
            "县级区划的上级应为市；只有省直辖县级单位（代码第3–4位为90）直属省",
        ),
        (
            ("619001", "某直辖县", "county", "610300"),
            "parent_code",
            "省直辖县级单位（代码第3–4位为90）的上级应为省，不是市",
        ),
        (("629001", "某直辖县", "county", "610000"), "code", "代码前两位应与上级省份一致"),
        (("620100", "兰州市", "city", "610000"), "code", "代码前两位应与上级省份一致"),
    ],
)
def test_other_wrong_parents_are_refused(app, world, args, field, message):
    assert _create(app, *args) == {field: [message]}


def test_the_admin_page_shows_the_refusal_beside_the_parent(client, world, auth):
    auth.login("admin")
    response = client.post(
        "/admin/regions/new",
        data={"code": "610423", "name": "泾阳县", "level": "county", "parent_code": "610300"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "610423 不属于 宝鸡市（610300）" in body and 'value="泾阳县"' in body


def test_the_cli_refuses_the_same(runner, app, world):
    result = runner.invoke(
        args=["regions", "create", "610423", "泾阳县", "--level", "county", "--parent", "610300"]
    )
    assert result.exit_code != 0 and "610423 不属于 宝鸡市（610300）" in result.output
    assert "610423" not in _codes(app)
