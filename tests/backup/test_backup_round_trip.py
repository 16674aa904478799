"""Issue 19: the demo dataset survives backup → restore into an empty database, every
table's every row and column and the audit log; a tampered archive is refused; restore
refuses a database that has tables. On SQLite, and on PostgreSQL when configured."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile

import pytest
from backup_support import POSTGRES_URL, drop_postgres, every_row, make_backup_app, scratch_postgres
from db_support import reset_postgres
from demo_support import DEMO_PASSWORD
from sqlalchemy import inspect, text

from crm.core import migrate
from crm.core.db import db
from crm.demo import load_demo

EVIDENCE = b"%PDF-1.4 signed contract scan\n"
EVIDENCE_NAME = hashlib.sha256(EVIDENCE).hexdigest()
EVIDENCE_PATH = os.path.join(EVIDENCE_NAME[:2], EVIDENCE_NAME)


def _empty_database_url(folder, suffix: str) -> str:
    return scratch_postgres(suffix) if POSTGRES_URL else "sqlite:///" + str(folder / f"{suffix}.sqlite")


def _dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """The demo, migrated to head, with one evidence file; served by the ``chaincrm``
    role with the ``chaincrm_app`` role granted on PostgreSQL, as in production."""
    folder = tmp_path_factory.mktemp("source")
    url = POSTGRES_URL or "sqlite:///" + str(folder / "source.sqlite")
    if POSTGRES_URL:
        reset_postgres(url)  # the next test of the run rebuilds the test schema
    app = make_backup_app(url, str(folder / "instance"), files_dir=str(folder / "files"))
    os.makedirs(folder / "files" / EVIDENCE_NAME[:2])
    (folder / "files" / EVIDENCE_PATH).write_bytes(EVIDENCE)
    with pytest.MonkeyPatch.context() as patch, app.app_context():
        patch.setenv("CHAINCRM_DEMO_PASSWORD", DEMO_PASSWORD)
        migrate.upgrade("head")
        assert load_demo() is not None
        if POSTGRES_URL:
            migrate.grant_app_role("chaincrm_app")
        db.session.remove()
    yield app
    _dispose(app)
    if POSTGRES_URL:
        reset_postgres(url)


@pytest.fixture(scope="module")
def archive(source, tmp_path_factory):
    path = str(tmp_path_factory.mktemp("archive") / "chaincrm.tar")
    result = source.test_cli_runner().invoke(args=["backup", "-o", path])
    assert result.exit_code == 0, result.output
    assert f"backup written to {path}" in result.output
    return path


@pytest.fixture(scope="module")
def restored(archive, tmp_path_factory):
    folder = tmp_path_factory.mktemp("restored")
    url = _empty_database_url(folder, "restore1")
    app = make_backup_app(url, str(folder / "instance"), files_dir=str(folder / "files"))
    result = app.test_cli_runner().invoke(args=["restore", archive])
    assert result.exit_code == 0, result.output
    assert "restored" in result.output
    yield app
    _dispose(app)
    if POSTGRES_URL:
        drop_postgres(url)


@pytest.fixture
def empty_target(tmp_path):
    url = _empty_database_url(tmp_path, "restore2")
    app = make_backup_app(url, str(tmp_path / "instance"), files_dir=str(tmp_path / "files"))
    yield app
    _dispose(app)
    if POSTGRES_URL:
        drop_postgres(url)


def test_every_table_and_the_audit_log_come_back_row_for_row(source, restored):
    with source.app_context():
        before = every_row(str(db.engine.url.render_as_string(hide_password=False)))
    with restored.app_context():
        after = every_row(str(db.engine.url.render_as_string(hide_password=False)))
    assert sorted(after) == sorted(before)
    assert len(before["audit_events"]) > 1000 and len(before["projects"]) > 10
    for table in before:
        assert after[table] == before[table], f"{table} differs after the round trip"


def test_the_restored_database_is_at_the_code_s_revision(restored):
    with restored.app_context():
        assert migrate.current_revision() == migrate.head_revision()


def test_the_evidence_files_come_back_byte_for_byte(restored):
    restored_path = os.path.join(restored.config["FILES_DIR"], EVIDENCE_PATH)
    with open(restored_path, "rb") as restored_file:
        assert restored_file.read() == EVIDENCE


def test_the_restored_audit_log_is_still_append_only(restored):
    with restored.app_context(), pytest.raises(Exception, match="append-only"):
        with db.engine.begin() as connection:
            connection.execute(text("DELETE FROM audit_events"))


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="server roles are a PostgreSQL matter")
def test_the_server_role_may_append_to_the_restored_audit_log_but_not_change_it(restored):
    with restored.app_context(), db.engine.connect() as connection:
        may = {
            privilege: connection.execute(
                text("SELECT has_table_privilege('chaincrm_app', 'audit_events', :p)"), {"p": privilege}
            ).scalar_one()
            for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
        }
    assert may == {"SELECT": True, "INSERT": True, "UPDATE": False, "DELETE": False, "TRUNCATE": False}


def test_the_manifest_describes_the_archive(archive, source):
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = set(tar.getnames())
    assert manifest["format"] == "chaincrm-backup" and manifest["format_version"] == 1
    assert manifest["alembic_revision"] == migrate_head(source)
    assert manifest["dialect"] == ("postgresql" if POSTGRES_URL else "sqlite")
    assert manifest["created_at"].endswith("Z")
    assert names == set(manifest["members"]) | {"manifest.json"}
    assert f"files/{EVIDENCE_NAME[:2]}/{EVIDENCE_NAME}" in names
    assert manifest["row_counts"]["projects"] == _count(source, "projects") > 0


def _count(app, table: str) -> int:
    with app.app_context(), db.engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def migrate_head(app) -> str:
    with app.app_context():
        return migrate.head_revision()


def test_verify_accepts_the_archive(source, archive):
    result = source.test_cli_runner().invoke(args=["backup", "--verify", archive])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output


def _rewrite(archive: str, target: str, change) -> str:
    """A copy of ``archive`` with ``change(name, data) -> data | None`` applied (None drops)."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as out:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            if data is not None:
                member.size = len(data)
                out.addfile(member, io.BytesIO(data))
    return target


def _flip_last_byte(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 1])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda name, data: _flip_last_byte(data) if name.startswith("files/") else data,
            "sha256 does not match",
        ),
        (
            lambda name, data: _flip_last_byte(data) if name.startswith("database") else data,
            "sha256 does not match",
        ),
        (lambda name, data: None if name.startswith("files/") else data, "missing from the archive"),
        (lambda name, data: None if name == "manifest.json" else data, "no manifest.json"),
    ],
    ids=["evidence file changed", "database changed", "file removed", "manifest removed"],
)
def test_verify_refuses_a_tampered_archive(source, archive, tmp_path, change, message):
    tampered = _rewrite(archive, str(tmp_path / "tampered.tar"), change)
    result = source.test_cli_runner().invoke(args=["backup", "--verify", tampered])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_verify_refuses_a_member_the_manifest_does_not_list(source, archive, tmp_path):
    tampered = _rewrite(archive, str(tmp_path / "extra.tar"), lambda name, data: data)
    with tarfile.open(tampered, "a") as tar:
        info = tarfile.TarInfo("files/ab/planted")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    result = source.test_cli_runner().invoke(args=["backup", "--verify", tampered])
    assert result.exit_code == 1 and "not listed in manifest.json" in result.output


def test_verify_refuses_a_file_that_is_no_archive(source, tmp_path):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar file at all" * 100)
    result = source.test_cli_runner().invoke(args=["backup", "--verify", str(junk)])
    assert result.exit_code == 1 and "not a backup archive" in result.output


def test_restore_of_a_tampered_archive_writes_nothing(archive, empty_target, tmp_path):
    tampered = _rewrite(
        archive,
        str(tmp_path / "tampered.tar"),
        lambda n, d: _flip_last_byte(d) if n.startswith("files/") else d,
    )
    result = empty_target.test_cli_runner().invoke(args=["restore", tampered])
    assert result.exit_code == 1 and "sha256 does not match" in result.output
    with empty_target.app_context():
        assert inspect(db.engine).get_table_names() == []
    assert not os.path.exists(os.path.join(empty_target.config["FILES_DIR"], EVIDENCE_PATH))


def test_restore_refuses_a_database_that_has_tables(source, archive):
    before = _count(source, "audit_events")
    result = source.test_cli_runner().invoke(args=["restore", archive])
    assert result.exit_code == 1
    assert "the database is not empty" in result.output and "Traceback" not in result.output
    assert _count(source, "audit_events") == before


def test_a_gzip_archive_round_trips_through_verify(source, tmp_path):
    path = str(tmp_path / "chaincrm.tar.gz")
    runner = source.test_cli_runner()
    assert runner.invoke(args=["backup", "-o", path]).exit_code == 0
    with open(path, "rb") as written:
        assert written.read(2) == b"\x1f\x8b"  # gzip
    result = runner.invoke(args=["backup", "--verify", path])
    assert result.exit_code == 0, result.output
    shutil.rmtree(tmp_path, ignore_errors=True)
