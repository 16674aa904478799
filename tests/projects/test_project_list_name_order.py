"""The project list sorted by name reads the names the viewer may read, in pinyin order: a
project shown by its code name sits where its code name belongs, so the order never hints at
the real name it hides."""

from test_project_views import _listed


def test_sort_by_name_places_a_confidential_project_by_the_name_shown(project_maker, client, auth):
    project_maker.make(name="白鹭新材料项目")  # b…
    project_maker.make(name="紫金电池项目")  # z…
    # Real name a… (first), code name y… (between the two others).
    project_maker.make(name="阿尔法秘密基地", code_name="银杏工程")

    auth.login("a_staff2")  # neither the owner nor a manager: sees the code name
    assert _listed(client, "sort=name&dir=asc") == ["白鹭新材料项目", "银杏工程", "紫金电池项目"]
    assert _listed(client, "sort=name&dir=desc") == ["紫金电池项目", "银杏工程", "白鹭新材料项目"]

    auth.logout()
    auth.login("a_manager")  # may read the real name, and sees it in its place
    assert _listed(client, "sort=name&dir=asc") == ["阿尔法秘密基地", "白鹭新材料项目", "紫金电池项目"]


def test_sort_by_name_follows_pinyin_not_code_points(project_maker, client, auth):
    # 中 (zh…) has a lower code point than 安 (an…) but comes after it in pinyin order.
    project_maker.make(name="中铁装备项目")
    project_maker.make(name="安徽光伏项目")
    auth.login("a_staff")
    assert _listed(client, "sort=name&dir=asc") == ["安徽光伏项目", "中铁装备项目"]
