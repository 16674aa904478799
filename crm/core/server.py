"""``chaincrm serve``: one process (waitress) or several (gunicorn's pre-fork workers).

Several processes are safe because none of them holds truth of its own: sessions and their
revocation (``user_sessions``), login throttling (``login_attempts``), API tokens and the
audit log are rows of the database, read on every request; the only in-process cache
(``crm/core/county_cache.py``) is keyed by each county's newest audit row, read from the
database on every page that uses it, so a write through one process is seen by the next
page of every other. What else a process keeps (the OpenAPI document, translations, the
bundled chain templates, the list of common passwords) is built from the installed
files, never from the database.

Every process must share ``SECRET_KEY`` (it signs the session cookie and CSRF tokens).

SQLite serves several processes on one machine (WAL, one writer at a time, a 5 s busy
timeout); never several machines or a network file system: PostgreSQL for a province.
"""

from __future__ import annotations

import gc
import importlib.util
import sys

import click

__all__ = ["GUNICORN_MISSING", "python_note", "serve", "sqlite_note"]

WAITRESS_THREADS = 8
GUNICORN_MISSING = (
    "--workers {workers} needs gunicorn (Linux and macOS; `pip install gunicorn`). On Windows "
    "run one `chaincrm serve --port PORT` per process and list them as the upstream servers "
    "of the reverse proxy (docs/nginx.conf)."
)


def sqlite_note(url: str, workers: int) -> str | None:
    """What to tell the operator about serving ``url`` with ``workers`` processes, or None.

    >>> sqlite_note("postgresql+psycopg://db/chaincrm", 4) is None
    True
    >>> sqlite_note("sqlite:////srv/chaincrm.sqlite", 1) is None
    True
    >>> "one machine" in sqlite_note("sqlite:////srv/chaincrm.sqlite", 2)
    True
    """
    if workers <= 1 or not url.startswith("sqlite"):
        return None
    return (
        f"SQLite with {workers} processes: supported on one machine only (WAL journal, one "
        "writer at a time); never on a network file system or from several machines. "
        "Use PostgreSQL for a province."
    )


def python_note(version: tuple[int, int]) -> str | None:
    """What to tell the operator about serving on Python ``version``, or None.

    >>> python_note((3, 12)) is None
    True
    >>> "3.12" in python_note((3, 11))
    True
    """
    if version >= (3, 12):
        return None
    return (
        f"Python {version[0]}.{version[1]}: under concurrent load a chaincrm server on CPython 3.11 "
        "crashed now and then with a corrupted heap (bench/RESULTS.md, 5 December); 3.12 did not. "
        "Serve with Python 3.12 or newer; until then let a service manager restart it "
        "(docs/chaincrm.service)."
    )


def serve(app, host: str, port: int, workers: int = 1, threads: int = WAITRESS_THREADS) -> None:
    """Serve ``app`` (already loaded, its planner statistics gathered) until stopped."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if workers > 1 and (url in ("sqlite://", "sqlite:///:memory:") or ":memory:" in url):
        raise click.ClickException("an in-memory SQLite database cannot be shared by several processes")
    if workers > 1 and (sys.platform == "win32" or importlib.util.find_spec("gunicorn") is None):
        raise click.ClickException(GUNICORN_MISSING.format(workers=workers))
    for note in (python_note(sys.version_info[:2]), sqlite_note(url, workers)):
        if note:
            click.echo(note, err=True)
    where = f"http://{host}:{port}/"
    if workers > 1:
        click.echo(f"serving chaincrm on {where} with {workers} processes (gunicorn)  (Ctrl+C to stop)")
    else:
        click.echo(f"serving chaincrm on {where}  (Ctrl+C to stop)")
    # The objects of the loaded application live as long as the server: kept out of the
    # garbage collector's full passes, which otherwise walk them all and stall a request
    # for ~100 ms every few dozen requests (a province board's p95 in bench/RESULTS.md).
    # Before the fork, so the workers share these pages instead of copying them.
    # First: close the connections the start opened (statistics check, warm-up) so that no
    # database connection or cursor made in this thread is frozen or handed to a request
    # thread, and collect the start's garbage here rather than in some request's thread.
    # (The crash of a SQLite server under load is not the freeze's: it crashes without it
    # too, on Python 3.11 only; bench/RESULTS.md, 5 December.)
    from crm.core.db import db

    with app.app_context():
        db.engine.dispose()
    gc.collect()
    gc.freeze()
    if workers > 1:
        _gunicorn(app, host, port, workers, threads)
    else:
        _waitress(app, host, port, threads)


def _waitress(app, host: str, port: int, threads: int) -> None:
    from waitress import serve as waitress_serve

    # Proxy headers are judged by crm/core/proxies.py against TRUSTED_PROXIES, not by waitress.
    waitress_serve(app, host=host, port=port, threads=threads, clear_untrusted_proxy_headers=False)


def _gunicorn(app, host: str, port: int, workers: int, threads: int) -> None:
    from gunicorn.app.base import BaseApplication
    from gunicorn.config import KNOWN_SETTINGS

    from crm.core.db import db

    def after_fork(server, worker):
        # Connections opened by the parent (the start's statistics check) must not be
        # shared by children: each worker opens its own.
        with app.app_context():
            db.engine.dispose(close=False)

    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        # Threads in each process, as waitress has: a slow export does not hold up a page.
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "post_fork": after_fork,
        # A province export may take minutes; gthread workers stay alive meanwhile, and the
        # reverse proxy's proxy_read_timeout bounds a request.
        "timeout": 120,
        "graceful_timeout": 30,
        # crm/core/proxies.py alone decides which proxy headers to believe (TRUSTED_PROXIES).
        "forwarded_allow_ips": "",
        "secure_scheme_headers": {},
        "forwarder_headers": "",
        "errorlog": "-",
        "proc_name": "chaincrm",
    }
    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        options["control_socket_disable"] = True  # gunicorn ≥ 25.1: no control socket file

    class ChaincrmServer(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return app

    # gunicorn reads no command line of its own here (BaseApplication), only `options`.
    ChaincrmServer().run()
