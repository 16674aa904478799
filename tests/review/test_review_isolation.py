"""A county sees its own rank and frozen quarters, never another county's figures or score;
another county's ids answer 404 on the pages and the API."""

from __future__ import annotations

from openpyxl import load_workbook
from review_helpers import close_the_quarter, freeze, set_targets


def _ready(api, client, auth, world):
    set_targets(api, world)
    close_the_quarter(api, client, auth, world)


def test_a_county_sees_its_own_rank_only(api, client, auth, world, review_case):
    _ready(api, client, auth, world)
    city = api.get("/api/v1/reviews?quarter=2026Q3", as_user="city").get_json()["items"]
    scores = {item["county_id"]: item["score"] for item in city}
    body = api.get("/api/v1/reviews?quarter=2026Q3", as_user="a_leader").get_json()
    assert [item["county_id"] for item in body["items"]] == [world.county_a]
    assert body["items"][0]["ranked"] == 2
    assert body["items"][0]["score"] == scores[world.county_a]
    auth.login("a_staff")
    page = client.get("/reviews?quarter=2026Q3").get_data(as_text=True)
    assert "在 2 个县（区）中排第" in page and scores[world.county_a] in page
    assert "扶风县" not in page and scores[world.county_b] not in page
    assert client.get("/reviews/report?quarter=2026Q3").status_code == 403
    assert client.get("/reviews/report?quarter=2026Q3&format=xlsx").status_code == 403
    assert client.get("/reviews/import").status_code == 403
    assert client.get(f"/reviews/{world.county_a}/2026Q3").status_code == 200
    assert client.get(f"/reviews/{world.county_b}/2026Q3").status_code == 404


def test_another_countys_ids_answer_404(api, world, review_case):
    freeze(api, world.county_b, "2026Q3")
    assert api.get(f"/api/v1/reviews/{world.county_b}/2026Q3", as_user="a_manager").status_code == 404
    assert api.get(f"/api/v1/reviews/{world.county_b}/2026Q3", as_user="xian").status_code == 404
    assert api.get(f"/api/v1/reviews/{world.county_b}/2026Q3", as_user="b_leader").status_code == 200
    assert api.post(f"/api/v1/reviews/{world.county_a}/2026Q3/freeze", as_user="b_manager").status_code == 404


def test_the_city_reads_its_counties_and_the_province_every_city(api, world, review_case):
    _ = review_case
    assert freeze(api, world.county_a, "2026Q3").status_code == 201
    assert freeze(api, world.ids["610122"], "2026Q3", username="prov").status_code == 201
    city = {
        i["county_id"] for i in api.get("/api/v1/reviews?quarter=2026Q3", as_user="city").get_json()["items"]
    }
    xian = {
        i["county_id"] for i in api.get("/api/v1/reviews?quarter=2026Q3", as_user="xian").get_json()["items"]
    }
    prov = {
        i["county_id"] for i in api.get("/api/v1/reviews?quarter=2026Q3", as_user="prov").get_json()["items"]
    }
    assert city == {world.county_a}
    assert xian == {world.ids["610122"]}
    assert prov == {world.county_a, world.ids["610122"]}


def test_the_review_document_as_workbook_and_printable_page(api, client, auth, world, review_case):
    import io

    _ready(api, client, auth, world)
    ranking = api.get("/api/v1/reviews?quarter=2026Q3", as_user="city").get_json()["items"]
    auth.login("city")
    response = client.get("/reviews/report?quarter=2026Q3&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("排名", "县（区）", "县域类型", "综合得分")
    names = {world.county_a: "岐山县", world.county_b: "扶风县"}
    assert [(r[0], r[1]) for r in rows[1:]] == [(i["rank"], names[i["county_id"]]) for i in ranking]
    page = client.get("/reviews/report?quarter=2026Q3").get_data(as_text=True)
    assert "宝鸡市 2026年第3季度招商引资推进点评通报" in page and "岐山县" in page and "扶风县" in page
    listing = client.get("/reviews?quarter=2026Q3").get_data(as_text=True)
    assert "岐山县" in listing and "扶风县" in listing
