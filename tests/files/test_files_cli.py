"""``chaincrm files check`` and ``chaincrm files purge``."""

from __future__ import annotations

from files_support import PNG, attachment_ids, upload


def _stored(files_dir):
    return [p for p in files_dir.rglob("*") if p.is_file()]


def test_check_passes_on_intact_files(app, client, auth, records, runner, files_dir):
    auth.login("a_staff")
    upload(client, "project", records["project"])
    result = runner.invoke(args=["files", "check"])
    assert result.exit_code == 0, result.output
    assert "0 个问题" in result.output


def test_check_names_a_missing_and_a_corrupted_file(app, client, auth, records, runner, files_dir):
    auth.login("a_staff")
    upload(client, "project", records["project"])
    upload(client, "funds", records["funds"], PNG, "凭证.png", "payment_voucher")
    pdf, png = sorted(_stored(files_dir), key=lambda p: p.stat().st_size, reverse=True)
    pdf.unlink()
    png.write_bytes(b"tampered")
    result = runner.invoke(args=["files", "check"])
    assert result.exit_code == 1
    assert f"missing: {pdf}" in result.output
    assert f"corrupted: {png}" in result.output
    assert "2 个问题" in result.output


def test_purge_by_county_deletes_only_that_countys_detached_files(
    app, client, auth, records, runner, files_dir
):
    auth.login("a_staff")
    upload(client, "project", records["project"])
    upload(client, "funds", records["funds"], PNG, "凭证.png")
    first, second = attachment_ids(app)
    client.post(f"/files/{first}/delete")
    auth.logout()
    auth.login("b_staff")
    upload(client, "funds", records["other_funds"], b"%PDF-1.4 B", "扶风.pdf")
    result = runner.invoke(args=["files", "purge", "--county", "610323", "--yes"])
    assert result.exit_code == 0, result.output
    assert f"#{first}" in result.output and f"#{second}" not in result.output
    assert len(_stored(files_dir)) == 2
    assert runner.invoke(args=["files", "check"]).exit_code == 0
    assert runner.invoke(args=["files", "purge", "--county", "999999", "--yes"]).exit_code != 0
