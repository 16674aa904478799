"""The read-only land API: the caller's counties only, another county's ids 404, OpenAPI lists it."""


def test_lists_and_records_stay_in_the_callers_county(app, api, land_ids):
    a, b = land_ids["a"], land_ids["b"]
    parks = api.get("/api/v1/parks", as_user="a_leader").get_json()
    assert [p["name"] for p in parks["items"]] == ["a开发区"] and parks["total"] == 1
    parcels = api.get(f"/api/v1/parcels?park_id={a['park']}", as_user="a_leader").get_json()
    assert {p["code"] for p in parcels["items"]} == {"S-1", "P-1"}
    standard = api.get(f"/api/v1/parcels/{a['standard']}", as_user="a_staff").get_json()
    assert standard["standard"] is True and standard["investment_intensity_wan"] == "300.00"
    for path in (
        f"/api/v1/parks/{b['park']}",
        f"/api/v1/parcels/{b['standard']}",
        f"/api/v1/carriers/{b['carrier']}",
    ):
        assert api.get(path, as_user="a_manager").status_code == 404, path
    assert api.get(f"/api/v1/parcels?park_id={b['park']}", as_user="a_manager").get_json()["items"] == []


def test_efficiency_api_and_openapi(app, api, land_ids, world):
    answer = api.get("/api/v1/land-efficiency?year=2025", as_user="a_leader").get_json()
    [firm] = answer["items"]
    assert firm["firm_name"] == "a县宏达机械" and firm["grade"] in "ABCD" and firm["county_rank"] == 1
    assert (
        api.get(f"/api/v1/land-efficiency?year=2025&county={world.county_b}", as_user="a_leader").status_code
        == 404
    )
    assert (
        api.get("/api/v1/land-efficiency?year=2025", as_user="city").status_code == 404
    )  # several: name one
    both = api.get(f"/api/v1/land-efficiency?year=2025&county={world.county_b}", as_user="city").get_json()
    assert [f["firm_name"] for f in both["items"]] == ["b县宏达机械"]
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    assert {"/parks", "/parks/{park_id}", "/parcels/{parcel_id}", "/land-efficiency"} <= set(doc["paths"])
