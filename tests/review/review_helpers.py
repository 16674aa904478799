"""Requests the review tests repeat: PUT with a user's token, the city's targets and
weights, freezing and the indicators' sheet; and the scores the independent calculation expects."""

from __future__ import annotations

import io
from decimal import Decimal

import review_oracle as oracle

TARGET_A = {"funds_out_of_province_wan": "2000", "funds_in_province_wan": "1000", "funds_in_city_wan": "1000",
            "big_projects": 2, "signings": 4, "starts": 2}  # fmt: skip
TARGET_B = {"funds_out_of_province_wan": "2000", "signings": 2}
# The oracle's view of the same targets (落地金额 = the sum of the origins given).
ORACLE_TARGET_A = {"funds": 4000, "big_projects": 2, "signings": 4, "starts": 2}
ORACLE_TARGET_B = {"funds": 2000, "signings": 2}
WEIGHTS_DEVELOPMENT = {"funds": 40, "signings": 10, "landing_rate": 10, "reserve_start_rate": 5,
                       "investment_rate": 5, "gdp": 30}  # fmt: skip
IMPORTED = {
    "610323": {"procedures_rate": "80", "gdp": "101.5", "industry": "97", "fixed_investment": "92",
               "retail": "103", "revenue": "99.5", "income": "100", "bonus": "1", "penalty": "0"},
    "610324": {"procedures_rate": "90", "gdp": "130", "industry": "100", "fixed_investment": "100",
               "retail": "100", "revenue": "100", "income": "100", "bonus": "0", "penalty": "0.5"},
}  # fmt: skip
HEADERS = ["行政区划代码", "县区名称", "前期手续办结率（%）", "地区生产总值（%）", "规上工业增加值（%）",
           "固定资产投资（%）", "社会消费品零售总额（%）", "一般公共预算收入（%）",
           "居民人均可支配收入（%）", "加分", "减分"]  # fmt: skip
ORDER = [
    "procedures_rate",
    "gdp",
    "industry",
    "fixed_investment",
    "retail",
    "revenue",
    "income",
    "bonus",
    "penalty",
]


def put(api, path: str, username: str, body: dict):
    return api._client.put(path, headers=api._headers(username, None), json=body)


def set_targets(api, world, year: int = 2026) -> None:
    for county, body in ((world.county_a, TARGET_A), (world.county_b, TARGET_B)):
        response = put(api, f"/api/v1/targets/{county}/{year}", "city", body)
        assert response.status_code == 200, response.get_json()


def freeze(api, county_id: int, quarter: str, username: str = "city"):
    return api.post(f"/api/v1/reviews/{county_id}/{quarter}/freeze", as_user=username)


def sheet_csv(rows: dict[str, dict] = IMPORTED, headers=HEADERS) -> bytes:
    lines = [",".join(headers)]
    for code, values in rows.items():
        lines.append(",".join([code, "县"] + [values.get(k, "") for k in ORDER]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def close_the_quarter(api, client, auth, world, quarter: str = "2026Q3") -> None:
    """The city freezes ``quarter`` for counties A and B and imports the indicators' sheet."""
    for county in (world.county_a, world.county_b):
        assert freeze(api, county, quarter).status_code == 201
    assert import_sheet(client, auth, quarter, sheet_csv()).status_code == 302


def expected_scores() -> tuple[Decimal, Decimal]:
    """review_oracle's 2026Q3 scores of A (重点开发区, with WEIGHTS_DEVELOPMENT) and B (农产品主产区,
    for which no one set weights: the defaults)."""
    return (
        oracle.score("a", 2026, 3, ORACLE_TARGET_A, IMPORTED["610323"], WEIGHTS_DEVELOPMENT),
        oracle.score("b", 2026, 3, ORACLE_TARGET_B, IMPORTED["610324"], oracle.DEFAULT_WEIGHTS),
    )


def import_sheet(client, auth, quarter: str, data: bytes, username: str = "city"):
    auth.login(username)
    response = client.post(
        f"/reviews/import?quarter={quarter}",
        data={"quarter": quarter, "sheet": (io.BytesIO(data), "indicators.csv")},
        content_type="multipart/form-data",
    )
    auth.logout()
    return response
