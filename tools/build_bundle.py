"""Build the offline install bundle of chaincrm, on a machine that can reach a package index.

    python tools/build_bundle.py                       # this machine's Python and platform
    python tools/build_bundle.py --python-version 3.11 --platform manylinux2014_x86_64
    python tools/build_bundle.py --python-version 3.12 --tar   # on Windows: a Windows bundle

The bundle is a folder (and with ``--tar`` a .tar.gz of it) holding ``wheelhouse/`` (the
wheel of chaincrm and of every dependency, for the stated Python and platform), the
README, ``docs/nginx.conf``, ``docs/chaincrm.service`` and ``INSTALL.txt``. On the intranet machine, with no network:

    python3 -m venv /srv/chaincrm/venv
    /srv/chaincrm/venv/bin/pip install --no-index --find-links wheelhouse 'chaincrm[postgres]'

For this machine's own Python and platform every dependency is built into a wheel
(``pip wheel``: a dependency published only as source is built here, once). For another
platform only published wheels can be fetched (``pip download --only-binary=:all:``); a
dependency without one for that platform stops the build with pip's message. pip judges
the dependencies' environment markers (``platform_system != "Windows"``, IPython's
``sys_platform == "win32"``) by the machine it runs on, not by ``--platform``: a bundle
for another operating system would miss or carry the wrong packages, so it is refused —
build a Windows bundle on Windows, a Linux one on Linux.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import sysconfig
import tarfile
from pathlib import Path

__all__ = ["build_bundle", "main"]

ROOT = Path(__file__).resolve().parent.parent
INSTALL_TEXT = """chaincrm {version} — offline install
=====================================

Built {built_for}.

On the machine that will run chaincrm (no network needed):

    python3 -m venv /srv/chaincrm/venv
    /srv/chaincrm/venv/bin/pip install --no-index --find-links wheelhouse '{requirement}'
    /srv/chaincrm/venv/bin/chaincrm --help

(or, plainly: pip install --no-index --find-links wheelhouse chaincrm)

Then follow README.md, section "Running for a province": settings, `chaincrm db upgrade`,
`chaincrm serve --workers N` behind the reverse proxy of docs/nginx.conf, kept running
by systemd with docs/chaincrm.service. The templates,
static files and migrations are installed under <venv>/share/chaincrm/; point nginx's
/static/ location there.
"""


def _version() -> str:
    for line in (ROOT / "setup.cfg").read_text(encoding="utf-8").splitlines():
        if line.startswith("version"):
            return line.split("=", 1)[1].strip()
    raise SystemExit("setup.cfg has no version")


def _pip(*args: str) -> None:
    command = [sys.executable, "-m", "pip", *args]
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True)


def build_bundle(
    out: Path, python_version: str | None, platform_tag: str | None, extras: str, tar: bool
) -> Path:
    """Fill ``out`` (made empty first) and return it (or the tarball with ``tar``)."""
    version = _version()
    this_python = f"{sys.version_info.major}.{sys.version_info.minor}"
    foreign = (python_version not in (None, this_python)) or (platform_tag not in (None, _platform()))
    if foreign and _system(platform_tag or _platform()) != _system(_platform()):
        raise SystemExit(
            f"a bundle for {platform_tag} must be built on that operating system: pip evaluates "
            "the dependencies' environment markers for this machine"
        )
    if out.exists():
        shutil.rmtree(out)
    wheelhouse = out / "wheelhouse"
    wheelhouse.mkdir(parents=True)
    # chaincrm itself: a wheel built from this checkout, no dependencies yet.
    _pip("wheel", "--no-deps", "--wheel-dir", str(wheelhouse), str(ROOT))
    requirement = f"chaincrm[{extras}]=={version}" if extras else f"chaincrm=={version}"
    if foreign:
        target = ["--only-binary=:all:", "--implementation", "cp"]
        target += ["--python-version", python_version or this_python]
        target += ["--platform", platform_tag or _platform()]
        _pip("download", "--dest", str(wheelhouse), "--find-links", str(wheelhouse), *target, requirement)
    else:
        _pip("wheel", "--wheel-dir", str(wheelhouse), "--find-links", str(wheelhouse), requirement)
    shutil.copy(ROOT / "README.md", out / "README.md")
    (out / "docs").mkdir()
    for name in ("nginx.conf", "chaincrm.service"):
        shutil.copy(ROOT / "docs" / name, out / "docs" / name)
    built_for = f"for CPython {python_version or this_python} on {platform_tag or _platform()}"
    (out / "INSTALL.txt").write_text(
        INSTALL_TEXT.format(version=version, built_for=built_for, requirement=requirement.split("==")[0]),
        encoding="utf-8",
    )
    wheels = sorted(path.name for path in wheelhouse.glob("*.whl"))
    print(f"bundle {out}: {len(wheels)} wheels {built_for}")
    if not tar:
        return out
    archive = out.with_name(out.name + ".tar.gz")
    with tarfile.open(archive, "w:gz") as bundle:
        bundle.add(out, arcname=out.name)
    print(f"archive {archive}")
    return archive


def _system(platform_tag: str) -> str:
    """The operating system of a platform tag.

    >>> _system("manylinux2014_x86_64"), _system("win_amd64"), _system("macosx_11_0_arm64")
    ('linux', 'windows', 'macos')
    """
    if platform_tag.startswith("win"):
        return "windows"
    return "macos" if platform_tag.startswith("macosx") else "linux"


def _platform() -> str:
    """This machine's platform tag as wheels name it (linux_x86_64, win_amd64, macosx_…)."""
    return sysconfig.get_platform().replace("-", "_").replace(".", "_")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, help="bundle folder (default dist/chaincrm-bundle-VERSION-PY-PLATFORM)"
    )
    parser.add_argument("--python-version", help="target Python, e.g. 3.11 (default: this one)")
    parser.add_argument("--platform", help="target platform tag, e.g. manylinux2014_x86_64, win_amd64")
    parser.add_argument(
        "--extras", default="postgres", help="extras to include (default: postgres; '' for none)"
    )
    parser.add_argument("--tar", action="store_true", help="also write the bundle as a .tar.gz")
    args = parser.parse_args(argv)
    python_version = args.python_version or f"{sys.version_info.major}.{sys.version_info.minor}"
    out = args.out or ROOT / "dist" / (
        f"chaincrm-bundle-{_version()}-py{python_version}-{args.platform or _platform()}"
    )
    build_bundle(out, args.python_version, args.platform, args.extras, args.tar)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
