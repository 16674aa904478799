"""``chaincrm projects|activities|funds|commitments export``: a county's ledger written to a
file as the page's download writes it, in that county alone, naming confidential projects as
the user ``--as-user`` names may read them (their code name without it)."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from record_support import owned_project, save_records

SECRET, CODE, OPEN, OTHER = "岐山保密电池项目", "代号丙", "岐山公开食品项目", "扶风物流项目"


@pytest.fixture
def ledgers(app, world, api):
    """Projects of county A (one confidential, owned by a_staff) and county B, each with an
    activity and funds in place."""
    app.config["TODAY"] = date(2026, 11, 23)
    signed = {"signed_on": date(2026, 2, 1)}
    ids = save_records(
        app,
        {
            "secret": owned_project(
                world, "a_staff", SECRET, "signed", code_name=CODE, contract_no="QS-1", **signed
            ),
            "open": owned_project(world, "a_staff2", OPEN, "negotiating"),
            "other": owned_project(world, "b_staff", OTHER, "signed", contract_no="FF-1", **signed),
        },
    )
    for key, user, day in (
        ("secret", "a_staff", "2026-11-20"),
        ("open", "a_staff2", "2026-10-02"),
        ("other", "b_staff", "2026-11-20"),
    ):
        activity = {"kind": "visit", "occurred_on": day, "subject": f"{key} 考察"}
        assert (
            api.post(f"/api/v1/projects/{ids[key]}/activities", as_user=user, json=activity).status_code
            == 201
        )
    for key, user in (("secret", "a_staff"), ("other", "b_staff")):
        funds = {"month": "2026-03", "origin": "in_province", "amount_wan": "800"}
        assert api.post(f"/api/v1/projects/{ids[key]}/funds", as_user=user, json=funds).status_code == 201
    return ids


def _export(runner, tmp_path, *args, name="out.csv"):
    out = tmp_path / name
    result = runner.invoke(args=[*args, "--county", "610323", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return result.output, out


@pytest.mark.parametrize("domain", ["projects", "activities", "funds"])
def test_a_county_ledger_names_confidential_projects_for_whom_it_is_written(
    runner, ledgers, tmp_path, domain
):
    printed, out = _export(runner, tmp_path, domain, "export")
    text = out.read_bytes().decode("utf-8-sig")
    assert CODE in text and SECRET not in text  # nobody named: the code name
    assert OTHER not in text  # county B's project is not in county A's file
    assert "岐山县" in printed and "行" in printed
    for user, sees_real_name in (
        ("a_staff", True),
        ("a_manager", True),
        ("a_leader", False),
        ("a_staff2", False),
    ):
        _printed, out = _export(runner, tmp_path, domain, "export", "--as-user", user)
        text = out.read_bytes().decode("utf-8-sig")
        assert (SECRET in text) is sees_real_name and OTHER not in text, user


def test_filters_and_formats(runner, ledgers, tmp_path):
    printed, out = _export(
        runner, tmp_path, "projects", "export", "--stage", "negotiating", "--as-user", "a_manager"
    )
    text = out.read_bytes().decode("utf-8-sig")
    assert OPEN in text and SECRET not in text and "1 行" in printed
    printed, _out = _export(runner, tmp_path, "funds", "export", "--year", "2025")
    assert "0 行" in printed
    printed, out = _export(runner, tmp_path, "activities", "export", "--from", "2026年11月1日")
    assert "1 行" in printed and "secret 考察" in out.read_bytes().decode("utf-8-sig")
    _printed, out = _export(runner, tmp_path, "funds", "export", "--encoding", "gb18030")
    assert CODE in out.read_bytes().decode("gb18030")
    _printed, out = _export(runner, tmp_path, "projects", "export", name="projects.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(out.read_bytes())).active
    assert {cell for row in sheet.iter_rows(values_only=True) for cell in row} >= {CODE, OPEN}
    printed, out = _export(runner, tmp_path, "commitments", "export")
    assert (
        "承诺兑现台账 0 行" in printed and out.read_bytes().decode("utf-8-sig").startswith("编号") is not None
    )


def test_refusals_write_no_file(runner, ledgers, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "x.csv"
    unknown = runner.invoke(args=["funds", "export", "--county", "999999", "-o", str(out)])
    assert unknown.exit_code != 0 and "999999" in unknown.output
    city = runner.invoke(args=["funds", "export", "--county", "610300", "-o", str(out)])
    assert city.exit_code != 0 and "610300" in city.output  # a city is no county
    nobody = runner.invoke(
        args=["projects", "export", "--county", "610323", "-o", str(out), "--as-user", "nobody"]
    )
    assert nobody.exit_code != 0 and "nobody" in nobody.output
    bad_date = runner.invoke(
        args=["activities", "export", "--county", "610323", "-o", str(out), "--from", "someday"]
    )
    assert bad_date.exit_code == 2 and "someday" in bad_date.output
    wrong = runner.invoke(args=["projects", "export", "--county", "610323", "-o", str(folder / "x.txt")])
    assert wrong.exit_code == 2 and ".xlsx" in wrong.output
    assert list(folder.iterdir()) == []
