"""docs/chaincrm.service starts a command the real CLI accepts, on an address the sample
reverse proxy sends to, with its settings from a file, and brings a crashed server back."""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path

from crm.core.commands import serve_command
from crm.core.resources import SOURCE_ROOT

DOCS = Path(SOURCE_ROOT) / "docs"


def _unit() -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str  # systemd's keys are case-sensitive
    unit.read(DOCS / "chaincrm.service", encoding="utf-8")
    return unit


def test_the_unit_runs_chaincrm_serve_with_options_the_cli_accepts():
    service = _unit()["Service"]
    program, command, *options = shlex.split(service["ExecStart"])
    assert program.endswith("/bin/chaincrm") and command == "serve"
    context = serve_command.make_context("serve", options)  # raises on an unknown or bad option
    host, port = context.params["host"], context.params["port"]
    assert host == "127.0.0.1", "behind the proxy the server listens on the loopback only"
    upstream = re.search(r"upstream chaincrm \{(.*?)\}", (DOCS / "nginx.conf").read_text("utf-8"), re.S)
    assert f"server {host}:{port} " in upstream.group(1)


def test_the_unit_reads_its_settings_from_a_file_and_restarts_after_a_crash():
    unit = _unit()
    service = unit["Service"]
    assert service["EnvironmentFile"].startswith("/etc/")
    assert "SECRET_KEY" not in service.get("Environment", ""), "no secret in a world-readable unit"
    assert service["Restart"] == "on-failure"
    assert unit["Install"]["WantedBy"] == "multi-user.target"
