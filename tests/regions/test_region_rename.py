"""撤县设区: an administrator renames a region (page and CLI); its code, level, parent and
records stay, every page shows the new name, and a rename over one made meanwhile is refused
with the stored name."""

from __future__ import annotations

import re

from sqlalchemy import select

from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.regions.models import Region


def _region(app, code: str) -> Region:
    with app.app_context(), system_scope():
        region = db.session.execute(select(Region).where(Region.code == code)).scalar_one()
        db.session.expunge(region)
        return region


def test_the_administrator_renames_a_county_on_the_page(app, client, auth, world):
    county = _region(app, "610323")
    for user in ("a_staff", "city"):  # pages seen (and cached) before the rename
        auth.login(user)
        assert "岐山县" in client.get("/dashboard").get_data(as_text=True)
        auth.logout()
    auth.login("admin")
    index = client.get("/admin/regions/").get_data(as_text=True)
    assert f"/admin/regions/{county.id}/rename" in index
    form = client.get(f"/admin/regions/{county.id}/rename").get_data(as_text=True)
    assert 'value="岐山县"' in form and 'name="version" type="hidden" value="1"' in form
    saved = client.post(f"/admin/regions/{county.id}/rename", data={"name": "岐山区", "version": "1"})
    assert saved.status_code == 302
    renamed = _region(app, "610323")
    assert (renamed.id, renamed.name, renamed.level.value, renamed.parent_id) == (
        county.id,
        "岐山区",
        "county",
        county.parent_id,
    )
    auth.logout()
    for user in ("a_staff", "city"):  # the county's users, and its city's coordinator
        auth.login(user)
        page = client.get("/dashboard").get_data(as_text=True)
        assert "岐山区" in page and "岐山县" not in page, user
        auth.logout()


def test_a_rename_over_one_made_meanwhile_is_refused_then_saved_once_read(app, client, auth, world):
    county = _region(app, "610323")
    auth.login("admin")
    first = client.post(f"/admin/regions/{county.id}/rename", data={"name": "岐山区", "version": "1"})
    assert first.status_code == 302
    late = client.post(f"/admin/regions/{county.id}/rename", data={"name": "岐山新区", "version": "1"})
    page = late.get_data(as_text=True)
    assert late.status_code == 409 and "已被他人改名" in page
    assert 'value="岐山新区"' in page  # what was typed is kept
    assert "岐山区" in page  # the name stored now, in the conflict box
    read = re.search(r'name="version" type="hidden" value="([^"]+)"', page).group(1)
    assert read == "2"  # the version now shown: saving again renames over it
    again = client.post(f"/admin/regions/{county.id}/rename", data={"name": "岐山新区", "version": read})
    assert again.status_code == 302 and _region(app, "610323").name == "岐山新区"


def test_only_the_administrator_renames_and_a_blank_or_long_name_is_refused(app, client, auth, world):
    county = _region(app, "610323")
    auth.login("a_manager")
    assert client.get(f"/admin/regions/{county.id}/rename").status_code == 403
    auth.logout()
    auth.login("admin")
    assert client.get("/admin/regions/999999/rename").status_code == 404
    long = client.post(f"/admin/regions/{county.id}/rename", data={"name": "名" * 101, "version": "1"})
    assert long.status_code == 422 and "不能超过 100 个字" in long.get_data(as_text=True)
    assert _region(app, "610323").name == "岐山县"


def test_the_cli_renames_by_code(app, runner, world):
    result = runner.invoke(args=["regions", "rename", "610323", "岐山区"])
    assert result.exit_code == 0, result.output
    assert "610323 岐山县 → 岐山区" in result.output
    assert _region(app, "610323").name == "岐山区"
    unknown = runner.invoke(args=["regions", "rename", "999999", "某区"])
    assert unknown.exit_code != 0 and "no region" in unknown.output
