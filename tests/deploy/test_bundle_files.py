"""An installed wheel (the offline bundle) carries every template, static file and
migration: each is named by a line of ``[options.data_files]`` in setup.cfg, installed
where ``crm/core/resources.py`` looks for it."""

from __future__ import annotations

import configparser
import fnmatch
from pathlib import Path

from crm.core.resources import SOURCE_ROOT

ROOT = Path(SOURCE_ROOT)
FOLDERS = ("templates", "static", "migrations")


def _data_files() -> dict[str, list[str]]:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg", encoding="utf-8")
    section = parser["options.data_files"]
    return {
        target: [line.strip() for line in section[target].splitlines() if line.strip()] for target in section
    }


def test_every_template_static_file_and_migration_is_installed_beside_its_folder():
    data_files = _data_files()
    missing = []
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            relative = path.relative_to(ROOT).as_posix()
            patterns = data_files.get("share/chaincrm/" + path.parent.relative_to(ROOT).as_posix(), [])
            if not any(
                fnmatch.fnmatch(relative, pattern)
                and "/" not in relative[len(pattern.rsplit("/", 1)[0]) + 1 :]
                for pattern in patterns
            ):
                missing.append(relative)
    assert missing == [], "add these to [options.data_files] in setup.cfg: " + ", ".join(missing)


def test_every_data_files_line_names_existing_files():
    for target, patterns in _data_files().items():
        assert target.startswith("share/chaincrm/"), target
        for pattern in patterns:
            assert list(ROOT.glob(pattern)), f"{target}: {pattern} names no file"
