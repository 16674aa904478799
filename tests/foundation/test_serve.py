"""The README's demo command really serves pages (waitress, in a subprocess)."""

import os
import select
import subprocess
import sys
import time
import urllib.request

from passwords import PASSWORD
from server_processes import CHAINCRM, free_port

from crm.demo import demo_usernames


def read_until(process, marker: str, seconds: float = 120) -> str:
    """What the process wrote to its stdout pipe up to the line holding ``marker``, read as
    it arrives (no fixed wait): fails if the process ends or ``seconds`` pass first."""
    deadline = time.monotonic() + seconds
    fd = process.stdout.fileno()
    seen = b""
    while marker.encode() not in seen:
        left = deadline - time.monotonic()
        assert left > 0, seen.decode(errors="replace")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 65536)
            assert chunk, "exited early: " + seen.decode(errors="replace")
            seen += chunk
    return seen.decode()


def test_demo_prints_its_accounts_at_once_and_serves_login_page(tmp_path):
    port = free_port()
    env = dict(os.environ, CHAINCRM_INSTANCE_PATH=str(tmp_path), CHAINCRM_DEMO_PASSWORD="demo-pass-123")
    env.pop("CHAINCRM_DATABASE_URL", None)
    env.pop("PYTHONUNBUFFERED", None)  # stdout is a pipe, as under a service manager or `| tee`
    process = subprocess.Popen(
        [str(CHAINCRM), "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        # The accounts arrive while the demo is still running: not held in a pipe's buffer
        # until the server stops.
        printed = read_until(process, "serving chaincrm on")
        assert process.poll() is None
        for username in demo_usernames():
            assert f"  {username} " in printed and "demo-pass-123" in printed, printed
        # The operator of a server on Python 3.11 is told of its crashes (crm.core.server).
        assert ("Serve with Python 3.12 or newer" in printed) == (sys.version_info < (3, 12)), printed
        body = None
        for _ in range(240):
            time.sleep(0.25)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as response:
                    body = response.read().decode()
                    break
            except OSError:
                assert process.poll() is None, process.stdout.read()
        assert body is not None and "登录" in body
        assert (tmp_path / "chaincrm.sqlite").exists()
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_server_error_page_does_not_leak_details(app, world, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken():
        raise RuntimeError("secret internals")

    app.add_url_rule("/broken", "broken", broken)
    client.post("/login", data={"username": "a_staff", "password": PASSWORD})
    response = client.get("/broken")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "系统错误" in body and "secret internals" not in body


def test_the_error_page_after_a_failed_flush_is_ours(app, world, client):
    """A write that fails in the database leaves the session unusable; the error page's own
    queries (menu, search box) still run, so the user sees the product's page."""
    from crm.core.db import db
    from crm.regions.models import Region

    app.config["PROPAGATE_EXCEPTIONS"] = False

    def failing_write():
        from sqlalchemy.exc import IntegrityError

        db.session.add(Region(code="610323", name="重复代码", level="county"))
        try:
            db.session.flush()  # the code exists: the session now needs a rollback
        except IntegrityError:
            pass
        raise RuntimeError("a failure after a failed flush")

    app.add_url_rule("/failing-write", "failing_write", failing_write)
    client.post("/login", data={"username": "a_staff", "password": PASSWORD})
    response = client.get("/failing-write")
    assert response.status_code == 500 and "系统错误" in response.get_data(as_text=True)
