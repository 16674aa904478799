"""The park plan marks a parcel a project lands on (matching does not change its supply
status, so the colour alone cannot say it), and shows its whole legend however small the
park."""

from __future__ import annotations

import re


def _plan(client, park_id) -> str:
    response = client.get(f"/land/parks/{park_id}/plan.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    return response.get_data(as_text=True)


def _used(svg: str) -> dict[int, str]:
    return {
        int(p): used
        for p, used in re.findall(r'data-parcel="(\d+)" data-status="\w+" data-used="(\w+)"', svg)
    }


def test_a_matched_parcel_is_drawn_as_taken_on_both_plans(client, auth, land_ids):
    a = land_ids["a"]
    auth.login("a_staff")
    assert _used(_plan(client, a["park"])) == {a["standard"]: "no", a["plain"]: "no"}
    matched = client.post(f"/projects/{a['project']}/sites/new", data={"target": f"p{a['plain']}"})
    assert matched.status_code == 302
    svg = _plan(client, a["park"])
    assert _used(svg) == {a["standard"]: "no", a["plain"]: "yes"}
    assert svg.count("<circle") == 2  # the parcel's dot and the legend's
    assert "已落地项目" in svg
    page = client.get(f"/land/parks/{a['park']}").get_data(as_text=True)
    assert 'data-used="yes"' in page
    # County B's plan is untouched, and its park stays another county's for A.
    auth.logout()
    auth.login("b_staff")
    assert set(_used(_plan(client, land_ids["b"]["park"])).values()) == {"no"}


def test_a_small_park_shows_its_whole_legend(client, auth, land_ids):
    auth.login("a_staff")
    svg = _plan(client, land_ids["a"]["park"])
    width = int(re.search(r'<svg[^>]* width="(\d+)"', svg).group(1))
    legend_x = [int(x) for x in re.findall(r'<text x="(\d+)" y="\d+" font-size="12">', svg)]
    assert width >= max(legend_x) + 90  # the last entry's words fit (two columns of parcels only)
