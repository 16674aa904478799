"""``chaincrm serve`` started as an operator would, in a subprocess, for tests that need
real server processes (several of them on one database)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

__all__ = ["CHAINCRM", "ServerProcess", "free_port", "server_env", "stop_process"]

CHAINCRM = Path(sys.executable).with_name("chaincrm")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """``chaincrm serve [extra args]`` on a free port of 127.0.0.1 with ``env``."""

    def __init__(self, env: dict, log_path: Path, *args: str):
        self.port = free_port()
        self.log_path = log_path
        self._log = open(log_path, "wb")  # noqa: SIM115 - open while the server runs
        self.process = subprocess.Popen(
            [str(CHAINCRM), "serve", "--host", "127.0.0.1", "--port", str(self.port), *args],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, seconds: float = 60) -> ServerProcess:
        """Poll the login page until it answers (the only waiting a test does)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"server exited: {self.log()}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/login", timeout=5) as reply:
                    if reply.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"server not ready in {seconds} s: {self.log()}")

    def wait_children(self, count: int, seconds: float = 30) -> list[int]:
        """The forked processes once there are ``count``: gunicorn forks its workers one
        after another, so the first may answer before the last exists."""
        deadline = time.monotonic() + seconds
        while len(self.children()) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.children()

    def children(self) -> list[int]:
        """Pids of the processes this server forked (Linux /proc)."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def stop(self) -> None:
        stop_process(self.process, 15)
        self._log.close()


def stop_process(process: subprocess.Popen, seconds: float) -> None:
    """Terminate ``process`` if it still runs, and kill it if it has not ended in ``seconds``."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def server_env(database_url: str, instance_path: Path, settings: str) -> dict:
    """The environment of a production-like server: the test's database, its own settings
    file (every process must share SECRET_KEY), nothing inherited that points elsewhere."""
    settings_file = instance_path / "settings.py"
    settings_file.write_text(settings)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHAINCRM_")}
    env.update(
        CHAINCRM_ENV="development",  # plain HTTP on 127.0.0.1: cookies without Secure
        CHAINCRM_DATABASE_URL=database_url,
        CHAINCRM_INSTANCE_PATH=str(instance_path),
        CHAINCRM_CONFIG=str(settings_file),
    )
    return env
