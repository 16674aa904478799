"""HTTP side of bench/province.py: keep-alive clients, logins, timed endpoint runs, stress.

One ``http.client`` connection per client thread (keep-alive), so the client costs little
CPU on a small machine; each request carries its user's session cookie or bearer token.
"""

from __future__ import annotations

import http.client
import json
import random
import re
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


@dataclass
class Sample:
    status: int  # 0: no answer (connection error, timeout)
    ms: float
    sql: int | None
    nbytes: int


@dataclass
class Account:
    """One logged-in user: a session cookie for pages, a bearer token for the API."""

    username: str
    cookies: dict = field(default_factory=dict)
    token: str = ""

    def headers(self, api: bool) -> dict:
        if api:
            return {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def take_cookies(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "expires=thu, 01 jan 1970" in header.lower() or value == "":
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value


class Client:
    """A keep-alive connection to the server; reconnects once when the server closed it."""

    def __init__(self, port: int, timeout: float = 600):
        self.port, self.timeout = port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, headers: dict | None = None, body: bytes | None = None, sink=None
    ) -> tuple[Sample, http.client.HTTPResponse | None, bytes]:
        """Send one request and read the whole answer. ``sink(chunk)`` streams the body
        instead of keeping it."""
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                if sink is None:
                    data = response.read()
                    nbytes = len(data)
                else:
                    data, nbytes = b"", 0
                    while chunk := response.read(1 << 16):
                        sink(chunk)
                        nbytes += len(chunk)
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self.close()
                if attempt == 2:
                    return (
                        Sample(0, (time.perf_counter() - started) * 1000, None, 0),
                        None,
                        repr(exc).encode(),
                    )
                continue
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                return Sample(0, (time.perf_counter() - started) * 1000, None, 0), None, repr(exc).encode()
            ms = (time.perf_counter() - started) * 1000
            sql = response.getheader("X-SQL-Statements")
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return (
                Sample(response.status, ms, int(sql) if sql and sql.isdigit() else None, nbytes),
                response,
                data,
            )
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def login(port: int, username: str, password: str) -> Account:
    """Log in through the real form (GET /login for the CSRF token, then POST)."""
    account, client = Account(username), Client(port)
    try:
        sample, response, body = client.request("GET", "/login")
        if sample.status != 200:
            raise SystemExit(f"GET /login answered {sample.status}")
        account.take_cookies(response)
        match = CSRF_RE.search(body.decode())
        if not match:
            raise SystemExit("no csrf_token input on /login")
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrf_token": match.group(1) or match.group(2)}
        ).encode()
        headers = {**account.headers(False), "Content-Type": "application/x-www-form-urlencoded"}
        sample, response, _body = client.request("POST", "/login", headers, form)
        location = response.getheader("Location", "") if response else ""
        if sample.status != 302 or "/login" in location:
            raise SystemExit(f"login as {username} failed (status {sample.status}, Location {location!r})")
        account.take_cookies(response)
    finally:
        client.close()
    return account


def gist(body: bytes) -> str:
    """What an error answer says, short: an HTML page's title, else the start of the body."""
    text = body.decode(errors="replace")
    title = re.search(r"<title>(.*?)</title>", text, re.DOTALL)
    return repr(" ".join(title.group(1).split()) if title else text[:200])


def api_json(port: int, account: Account, path: str) -> dict:
    sample, _response, body = Client(port).request("GET", path, account.headers(True))
    if sample.status != 200:
        raise SystemExit(f"GET {path} as {account.username} answered {sample.status}: {body[:300]!r}")
    return json.loads(body)


# --- timed runs ----------------------------------------------------------------------


@dataclass
class Endpoint:
    name: str
    path: str  # may hold {project}, {company}, {chain}
    api: bool
    scope: str  # "county": the sample counties' managers; "province": the coordinator


@dataclass
class Context:
    """A user and the ids of records it may read."""

    account: Account
    ids: dict = field(default_factory=dict)  # "project" -> [ids], ...

    def path(self, template: str, rng: random.Random) -> str:
        if "{" not in template:
            return template
        return template.format(**{k: rng.choice(v) for k, v in self.ids.items() if v})


def run_endpoint(
    port: int,
    endpoint: Endpoint,
    contexts: list[Context],
    requests: int,
    concurrency: int,
    max_seconds: float,
    seed: int = 0,
) -> tuple[list[Sample], float, list[str]]:
    """``requests`` requests (or fewer when ``max_seconds`` runs out) from ``concurrency``
    keep-alive clients after one warm-up request per client. Returns samples, wall seconds
    and a few failing paths."""
    lock = threading.Lock()
    remaining = [requests]
    samples: list[Sample] = []
    failures: list[str] = []

    def worker(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        client = Client(port)
        context = contexts[index % len(contexts)]
        try:  # warm-up, not counted
            client.request("GET", context.path(endpoint.path, rng), context.account.headers(endpoint.api))
        finally:
            barrier.wait(timeout=900)
        deadline = time.perf_counter() + max_seconds
        try:
            while True:
                with lock:
                    if remaining[0] <= 0 or (time.perf_counter() > deadline and len(samples) >= 5):
                        return
                    remaining[0] -= 1
                context = rng.choice(contexts)
                path = context.path(endpoint.path, rng)
                sample, _response, body = client.request("GET", path, context.account.headers(endpoint.api))
                with lock:
                    samples.append(sample)
                    if not 200 <= sample.status < 300 and len(failures) < 5:
                        failures.append(f"{sample.status} {path} as {context.account.username}: {gist(body)}")
        finally:
            client.close()

    barrier = threading.Barrier(concurrency + 1)
    with ThreadPoolExecutor(concurrency) as pool:
        futures = [pool.submit(worker, i) for i in range(concurrency)]
        barrier.wait(timeout=900)
        started = time.perf_counter()
        for future in futures:
            future.result()
        wall = time.perf_counter() - started
    return samples, wall, failures


def download(port: int, account: Account, path: str, target: str, timeout: float) -> tuple[Sample, float]:
    """Stream one download to ``target``; returns the sample and seconds to the first byte."""
    first = [0.0]
    started = time.perf_counter()
    with open(target, "wb") as fh:

        def sink(chunk: bytes) -> None:
            if not first[0]:
                first[0] = time.perf_counter() - started
            fh.write(chunk)

        sample, _response, _body = Client(port, timeout).request(
            "GET", path, account.headers(False), sink=sink
        )
    return sample, first[0]


# --- stress --------------------------------------------------------------------------

STRESS_PAGES = (
    "/dashboard",
    "/projects",
    "/projects/{project}",
    "/projects/board",
    "/companies",
    "/activities",
    "/followups",
)
STRESS_API = (
    "/api/v1/projects",
    "/api/v1/projects/{project}",
    "/api/v1/companies",
    "/api/v1/projects/{project}/activities",
    "/api/v1/commitments",
)


@dataclass
class StressClient:
    reader: Context  # the county manager: pages and API reads
    writer: Account  # a staff member of the same county: writes
    own_projects: list[int]  # nobody else writes these, so no 409 is expected


def stress(port: int, clients: list[StressClient], seconds: float, write_share: float = 0.1) -> dict:
    """Every client loops until the time is up: ~55 % page reads, ~35 % API reads and
    ``write_share`` writes (POST an activity, or GET + PATCH a project's description)."""
    lock = threading.Lock()
    statuses: Counter = Counter()
    reads: list[float] = []
    writes: list[float] = []
    failures: list[str] = []
    stop_at = time.perf_counter() + seconds

    def record(kind: list[float], sample: Sample, what: str, body: bytes) -> None:
        with lock:
            statuses[sample.status] += 1
            kind.append(sample.ms)
            if not 200 <= sample.status < 300 and len(failures) < 10:
                failures.append(f"{sample.status} {what}: {gist(body)}")

    def worker(index: int) -> None:
        me = clients[index]
        rng = random.Random(index)
        client = Client(port, timeout=max(30.0, seconds))
        n = 0
        try:
            while time.perf_counter() < stop_at:
                n += 1
                draw = rng.random()
                if draw < write_share:
                    project = rng.choice(me.own_projects)
                    if n % 2:
                        day = date.today() - timedelta(days=rng.randrange(30))
                        body = json.dumps(
                            {
                                "kind": "call",
                                "occurred_on": day.isoformat(),
                                "subject": f"bench stress {index}-{n}",
                                "next_follow_up_on": (date.today() + timedelta(days=7)).isoformat(),
                            }
                        )
                        path = f"/api/v1/projects/{project}/activities"
                        sample, _r, data = client.request(
                            "POST", path, _json_headers(me.writer), body.encode()
                        )
                        record(writes, sample, f"POST {path}", data)
                    else:
                        path = f"/api/v1/projects/{project}"
                        sample, _r, data = client.request("GET", path, me.writer.headers(True))
                        record(reads, sample, f"GET {path}", data)
                        if sample.status != 200:
                            continue
                        version = json.loads(data)["version"]
                        body = json.dumps({"version": version, "description": f"bench stress {index}-{n}"})
                        sample, _r, data = client.request(
                            "PATCH", path, _json_headers(me.writer), body.encode()
                        )
                        record(writes, sample, f"PATCH {path}", data)
                elif draw < write_share + 0.35:
                    path = me.reader.path(rng.choice(STRESS_API), rng)
                    sample, _r, data = client.request("GET", path, me.reader.account.headers(True))
                    record(reads, sample, f"GET {path}", data)
                else:
                    path = me.reader.path(rng.choice(STRESS_PAGES), rng)
                    sample, _r, data = client.request("GET", path, me.reader.account.headers(False))
                    record(reads, sample, f"GET {path}", data)
        finally:
            client.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(len(clients)) as pool:
        for future in [pool.submit(worker, i) for i in range(len(clients))]:
            future.result()
    wall = time.perf_counter() - started
    return {"wall": wall, "statuses": statuses, "reads": reads, "writes": writes, "failures": failures}


def _json_headers(account: Account) -> dict:
    return {**account.headers(True), "Content-Type": "application/json"}
