"""The README's demo command really serves pages (waitress, in a subprocess)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from passwords import PASSWORD

CHAINCRM = Path(sys.executable).with_name("chaincrm")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_demo_serves_login_page(tmp_path):
    port = free_port()
    env = dict(os.environ, CHAINCRM_INSTANCE_PATH=str(tmp_path), CHAINCRM_DEMO_PASSWORD="demo-pass-123")
    env.pop("CHAINCRM_DATABASE_URL", None)
    process = subprocess.Popen(
        [str(CHAINCRM), "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
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
        output = process.communicate(timeout=10)[0]
    assert "qishan_manager" in output and "demo-pass-123" in output


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
