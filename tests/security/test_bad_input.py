"""Bad input never gives a 500 (issue 12, findings 6 and 7), attacked from outside over HTTP.

The real server (waitress, CSRF on) with the whole demo dataset answers, on SQLite and on
PostgreSQL (which refuses NUL in text), every way input arrives:

- NUL characters and lone surrogates in ``?q=`` (every page and every API answer), in JSON
  fields and keys (every API body), in form fields (every form of the application) and in
  an uploaded chain document: 422 naming the field, the form shown again with the user's
  other input;
- ``?page=9223372036854775807`` on every page (an empty page) and every API list (400: the
  document promises 1..MAX_PAGE), a negative page likewise;
- JSON nested too deep on every API body and in the chain import: 400 / 422, never a
  RecursionError.

Routes come from the application's URL map and the OpenAPI document, not from a hand list:
a new page, list or form is attacked without anyone adding it here.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from demo_support import DEMO_PASSWORD, collection_of
from sqlalchemy import func, or_, select

from crm.core.db import db
from crm.core.pagination import MAX_PAGE
from crm.core.tenancy import system_scope

HUGE = "9223372036854775807"
# The id-like and year query arguments pages and the API read; beyond the database's integer
# range (or a digit int() refuses) each names nothing, and must not reach the database.
ID_ARGUMENTS = ("project_id", "company_id", "owner_id", "owner", "created_by", "rule_id", "park_id")
ID_ARGUMENTS += ("county", "year", "other", "record", "chain_id")
ABSURD_IDS = tuple(
    "&".join(f"{name}={value}" for name in ID_ARGUMENTS) for value in (HUGE, "%C2%B2", "2147483648")
)
NUL_MESSAGE = "不能包含空字符"
SURROGATE_MESSAGE = "单独的代理码位"
NOT_UTF8_MESSAGE = "不是有效的 UTF-8 文本"
TOO_DEEP_MESSAGE = "嵌套层数过多"
TITLES = {400: "Bad Request", 404: "Not Found", 409: "Conflict", 422: "Unprocessable Entity"}


# ---- what to attack --------------------------------------------------------------------------


def demo_records(app) -> dict[str, int]:
    """One record of 岐山县 (qishan_manager's county) for each id a page's URL takes; the
    segment and the firm belong to the chain."""
    from chains.models import Chain, ChainFirm, Segment
    from crm.activities.models import Activity
    from crm.auth.models import User
    from crm.commitments.models import Commitment, Obligation, Policy
    from crm.companies.models import Company, Contact
    from crm.coordination.models import CollisionAlert, Transfer
    from crm.files.models import Attachment
    from crm.funds.models import FundsRecord
    from crm.imports.models import ImportBatch
    from crm.land.models import Carrier, EfficiencyRecord, Parcel, Park, ProjectSite
    from crm.projects.models import Project
    from crm.regions.models import Region
    from crm.review.models import QuarterSnapshot
    from crm.rewards.models import Referral, RewardList, RewardObjection, RewardRule

    with app.app_context(), system_scope():
        county = db.session.execute(select(Region.id).where(Region.code == "610323")).scalar_one()

        def first(model, *where):
            where = where or (model.county_id == county,)
            return db.session.execute(select(model.id).where(*where).order_by(model.id).limit(1)).scalar_one()

        chain = first(Chain)
        newest = db.session.execute(
            select(QuarterSnapshot)
            .where(QuarterSnapshot.county_id == county)
            .order_by(QuarterSnapshot.year.desc(), QuarterSnapshot.quarter.desc())
            .limit(1)
        ).scalar_one()
        return {
            "project_id": first(Project),
            "company_id": first(Company, Company.created_by_county_id == county),
            "contact_id": first(Contact),
            "activity_id": first(Activity),
            "record_id": first(FundsRecord),
            "chain_id": chain,
            "segment_id": first(Segment, Segment.chain_id == chain),
            "firm_id": first(ChainFirm, ChainFirm.chain_id == chain),
            "commitment_id": first(Commitment),
            "policy_id": first(Policy, Policy.region_id == county),
            "obligation_id": first(Obligation),
            "rule_id": first(RewardRule),
            "list_id": first(RewardList),
            "referral_id": first(Referral),
            "objection_id": first(RewardObjection),
            "user_id": first(User, User.region_id == county, User.username == "qishan_staff"),
            # The demo imports no ledger: a batch id that answers 404, which must take bad input too.
            "batch_id": db.session.execute(select(func.coalesce(func.min(ImportBatch.id), 1))).scalar_one(),
            # Evidence files: a project's files page and the county's first demo file (a 合同).
            "owner_kind": "project",
            "owner_id": first(Project),
            "attachment_id": first(Attachment),
            # Transfers and collision alerts name two counties: one that involves 岐山县.
            "transfer_id": first(
                Transfer, or_(Transfer.from_county_id == county, Transfer.to_county_id == county)
            ),
            "alert_id": first(
                CollisionAlert,
                or_(CollisionAlert.county_a_id == county, CollisionAlert.county_b_id == county),
            ),
            "park_id": first(Park),
            "parcel_id": first(Parcel),
            "carrier_id": first(Carrier),
            "site_id": first(ProjectSite),
            "efficiency_id": first(EfficiencyRecord),
            # The quarterly review: the county itself, its targets' year, its newest frozen quarter.
            "county_id": county,
            "region_id": county,  # the administrator renames it
            "year": newest.year,
            "quarter_text": f"{newest.year}Q{newest.quarter}",
        }


_ARGUMENT = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")
NOT_A_RECORD = {"code", "name", "token", "fmt"}  # /lang/<code>, assets, the calendar feed, export.<fmt>


def page_urls(app, records: dict[str, int]) -> list[str]:
    """Every page of the application answering GET, its ids filled with demo records."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.startswith("/api/"):
            continue
        if set(rule.arguments) & NOT_A_RECORD and not rule.rule.endswith(":fmt>"):
            continue

        def fill(match, rule=rule):
            converter, choices, name = match.groups()
            if converter == "any":
                return choices.split(",")[0].strip()
            assert name in records, f"{rule.rule}: give demo_records() a record for <{name}>"
            return str(records[name])

        urls.append(_ARGUMENT.sub(fill, rule.rule))
    return sorted(urls)


def with_query(url: str, query: str) -> str:
    return url + ("&" if "?" in url else "?") + query


@pytest.fixture
def demo_client(demo_app, live_server):
    """The demo served live, and a logged-in client per demo user."""

    def client(username: str):
        http = live_server.client()
        assert http.login(username, DEMO_PASSWORD).status == 302
        return http

    return client


def api_document(http) -> dict:
    return http.get("/api/v1/openapi.json").json()


def api_paths(http, token: str, doc: dict) -> dict[str, str]:
    """Each path template of the document with its ids filled from the caller's own lists."""
    headers = {"Authorization": f"Bearer {token}"}
    ids, paths = {}, {}
    for template in doc["paths"]:
        collection = collection_of(template)
        if collection and collection not in ids:
            listing = http.get(f"/api/v1{collection}?per_page=1", headers=headers)
            items = listing.json().get("items", []) if listing.status == 200 else []
            ids[collection] = items[0]["id"] if items else 1
        paths[template] = "/api/v1" + re.sub(r"\{[^}]+\}", str(ids.get(collection, 1)), template)
        required = _required_query(doc, doc["paths"][template])
        if required:
            paths[template] += "?" + required
    return paths


def _required_query(doc: dict, path_item: dict) -> str:
    """A GET's required integer query parameters with a value in their range (the land
    efficiency table's ``year``): the request reaches the view, not the 400 of a missing one."""
    if "get" not in path_item:
        return ""
    values = []
    for parameter in (_resolve(doc, p) for p in path_item["get"].get("parameters", ())):
        schema = parameter.get("schema", {})
        if parameter.get("in") == "query" and parameter.get("required") and schema.get("type") == "integer":
            value = max(schema.get("minimum", 1), min(2026, schema.get("maximum", 2026)))
            values.append(f"{parameter['name']}={value}")
    return "&".join(values)


def _resolve(doc: dict, item: dict) -> dict:
    while "$ref" in item:
        *_, section, name = item["$ref"].split("/")
        item = doc["components"][section][name]
    return item


def request_properties(doc: dict, operation: dict) -> dict:
    schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return {}
    schema = _resolve(doc, schema)
    return {
        name: _resolve(doc, prop)
        for name, prop in schema.get("properties", {}).items()
        if not prop.get("readOnly")
    }


def is_list(doc: dict, operation: dict) -> bool:
    schema = operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
    properties = _resolve(doc, schema.get("schema", {})).get("properties", {})
    return {"items", "total", "page", "per_page"} <= set(properties)


def declares_page(doc: dict, path_item: dict, operation: dict) -> bool:
    parameters = [
        _resolve(doc, p) for p in (*path_item.get("parameters", ()), *operation.get("parameters", ()))
    ]
    return {"page", "per_page"} <= {p["name"] for p in parameters if p.get("in") == "query"}


def assert_problem(reply, status: int, *fields: str) -> dict:
    assert reply.status == status, (reply.status, reply.text[:300])
    assert reply.headers.get("Content-Type", "").startswith("application/problem+json")
    problem = reply.json()
    assert problem["status"] == status and problem["title"] == TITLES[status], problem
    assert re.search(r"[\u4e00-\u9fff]", problem["detail"]), problem  # a clear message, in Chinese
    for field in fields:
        assert field in problem.get("errors", {}), (field, problem)
    return problem


def string_properties(properties: dict) -> list[str]:
    def is_text(prop):
        kind = prop.get("type")
        return (
            kind == "string"
            or (isinstance(kind, list) and "string" in kind)
            or ("enum" in prop and any(isinstance(v, str) for v in prop["enum"]))
        )

    return sorted(name for name, prop in properties.items() if is_text(prop))


# ---- pages ------------------------------------------------------------------------------

# Query arguments a list's links carry on: names url_for takes for its own, and the ones the
# links set themselves (a second ``encoding`` was a TypeError).
LINK_BREAKERS = (
    "endpoint=x",
    "_method=x",
    "_scheme=x",
    "_anchor=x",
    "_external=1",
    "encoding=gb18030",
    "format=csv",
    "fmt=x&stage=x",
)


@pytest.mark.parametrize("username", ["qishan_manager", "admin"])
def test_every_page_takes_an_absurd_page_number_and_refuses_bad_characters(demo_app, demo_client, username):
    http = demo_client(username)
    urls = page_urls(demo_app, demo_records(demo_app))
    assert len(urls) > 60
    for url in urls:
        normal = http.get(url)
        assert normal.status < 500, url
        for page in (HUGE, "-5", "99999999999999999999999"):
            beyond = http.get(with_query(url, f"page={page}"))
            # A page past the end is an empty page: the same answer as the page itself.
            assert beyond.status == normal.status, (url, page, beyond.status, beyond.text[:300])
        for query in (*ABSURD_IDS, *LINK_BREAKERS):
            absurd = http.get(with_query(url, query))
            assert absurd.status < 500, (url, query, absurd.status)
        for query, message in (
            ("q=%00", NUL_MESSAGE),
            ("q=%ED%A0%80", NOT_UTF8_MESSAGE),
            ("%00=1", NUL_MESSAGE),
        ):
            refused = http.get(with_query(url, query))
            assert refused.status == 422 and message in refused.text, (url, query, refused.status)


# ---- the API ----------------------------------------------------------------------------


def test_every_api_list_declares_the_page_it_takes(demo_client):
    http = demo_client("qishan_manager")
    doc = api_document(http)
    lists = [
        (path, method)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method == "get" and is_list(doc, op)
    ]
    assert len(lists) >= 15
    undeclared = [
        (path, method)
        for path, method in lists
        if not declares_page(doc, doc["paths"][path], doc["paths"][path][method])
    ]
    assert undeclared == []


def _api_as_manager(demo_client, api):
    """The live server as qishan_manager: (http, bearer headers, OpenAPI document, a real URL per path)."""
    http = demo_client("qishan_manager")
    token = api.token("qishan_manager")
    doc = api_document(http)
    return http, {"Authorization": f"Bearer {token}"}, doc, api_paths(http, token, doc)


def test_every_api_answer_refuses_bad_query_characters_and_page_numbers(demo_client, api):
    http, headers, doc, paths = _api_as_manager(demo_client, api)
    tried = 0
    for template, item in doc["paths"].items():
        if "get" not in item:
            continue
        url = paths[template]
        tried += 1
        assert_problem(http.get(with_query(url, "q=%00"), headers=headers), 422, "q")
        assert_problem(http.get(with_query(url, "q=%ED%A0%80"), headers=headers), 422, "q")
        if declares_page(doc, item, item["get"]):
            for page in (HUGE, "-5", "0", "x"):
                assert_problem(http.get(with_query(url, f"page={page}"), headers=headers), 400, "page")
            assert_problem(http.get(with_query(url, "per_page=201"), headers=headers), 400, "per_page")
            last = http.get(with_query(url, f"page={MAX_PAGE}&per_page=200"), headers=headers)
            assert last.status == 200 and last.json()["items"] == [], (url, last.status)
        else:
            assert http.get(with_query(url, f"page={HUGE}"), headers=headers).status < 500, url
        for query in ABSURD_IDS:
            assert http.get(with_query(url, query), headers=headers).status < 500, (url, query)
        for parameter in item["get"].get("parameters", ()):
            parameter = _resolve(doc, parameter)
            if parameter.get("in") == "query" and parameter["schema"].get("type") == "integer":
                name = parameter["name"]
                assert_problem(http.get(with_query(url, f"{name}={HUGE}"), headers=headers), 400, name)
    assert tried >= 25


def test_every_api_body_refuses_nul_surrogates_and_deep_nesting(demo_client, api):
    http, headers, doc, paths = _api_as_manager(demo_client, api)
    tried = 0
    for template, item in doc["paths"].items():
        for method in ("post", "patch"):
            if method not in item:
                continue
            url, tried = paths[template], tried + 1
            texts = string_properties(request_properties(doc, item[method])) or ["name"]

            def send(body, url=url, method=method):
                raw = (
                    body if isinstance(body, bytes) else json.dumps(body).encode()
                )  # ASCII: "\ud800" escaped
                return http.post_json(url, raw, headers=headers, method=method.upper())

            problem = assert_problem(send({name: "岐山\x00县" for name in texts}), 422, *texts)
            assert NUL_MESSAGE in problem["errors"][texts[0]][0]
            problem = assert_problem(send({name: "\ud800x" for name in texts}), 422, *texts)
            assert SURROGATE_MESSAGE in problem["errors"][texts[0]][0]
            assert_problem(
                send({"备注\x00": "x", "note": {"deeper": ["\udc80"]}}), 422, "备注\ufffd", "note.deeper.0"
            )
            assert TOO_DEEP_MESSAGE in assert_problem(send(b"[" * 100_000 + b"]" * 100_000), 400)["detail"]
            nested: dict = {}
            for _ in range(40):
                nested = {"a": nested}
            assert TOO_DEEP_MESSAGE in assert_problem(send(nested), 400)["detail"]
    assert tried >= 25


# ---- forms ------------------------------------------------------------------------------


class FormFinder(HTMLParser):
    """The POST forms of a page: action, hidden values, text fields (input and textarea)
    and the first option of each select."""

    TEXT_TYPES = frozenset({"text", "search", "email", "tel", "url", "number", "date", "month", ""})

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url, self.forms, self._form, self._select = page_url, [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self._form = (
                {"action": attrs.get("action") or self.page_url, "hidden": {}, "text": [], "select": {}}
                if method == "post"
                else None
            )
            if self._form is not None:
                self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input":
            kind = (attrs.get("type") or "").lower()
            if kind == "hidden":
                self._form["hidden"][attrs["name"]] = attrs.get("value") or ""
            elif kind in self.TEXT_TYPES and "readonly" not in attrs and "disabled" not in attrs:
                self._form["text"].append(attrs["name"])
        elif tag == "textarea" and "readonly" not in attrs:
            self._form["text"].append(attrs["name"])
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and self._select not in self._form["select"]:
            self._form["select"][self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_with_text(http, urls: list[str]) -> dict[str, tuple[str, dict]]:
    """action URL → (the page it is on, the form), for every POST form with a text field."""
    found = {}
    for url in urls:
        page = http.get(url)
        if page.status != 200 or not page.headers.get("Content-Type", "").startswith("text/html"):
            continue
        finder = FormFinder(url)
        finder.feed(page.text)
        for form in finder.forms:
            if form["text"] and form["action"].startswith("/") and form["action"] not in found:
                found[form["action"]] = (url, form)
    return found


def submit(http, form: dict, first_value) -> tuple:
    """Post ``form`` with ``first_value`` in its first text field and a marker in each other."""
    markers = {name: f"保留输入{i}" for i, name in enumerate(form["text"][1:])}
    data = {**form["select"], **form["hidden"], **markers, form["text"][0]: first_value}
    body = urlencode(data, doseq=True).encode()
    reply = http.request("POST", form["action"], body, {"Content-Type": "application/x-www-form-urlencoded"})
    return reply, markers


@pytest.mark.parametrize("username", ["qishan_manager", "admin"])
def test_every_form_refuses_bad_characters_beside_the_field_keeping_the_rest(demo_app, demo_client, username):
    http = demo_client(username)
    forms = forms_with_text(http, page_urls(demo_app, demo_records(demo_app)))
    assert len(forms) >= (25 if username == "qishan_manager" else 3)
    for value, message in (("甲\x00乙", NUL_MESSAGE), ("甲".encode() + b"\xed\xa0\x80", NOT_UTF8_MESSAGE)):
        for action, (page, form) in forms.items():
            reply, markers = submit(http, form, value)
            assert reply.status == 422, (action, page, reply.status, reply.text[:500])
            assert message in reply.text, (action, reply.text[:500])
            for marker in markers.values():
                assert marker in reply.text, (action, marker)


def test_the_login_form_refuses_bad_characters(live_server):
    http = live_server.client()
    for value, message in (("qishan\x00manager", NUL_MESSAGE), (b"qishan\xed\xa0\x80", NOT_UTF8_MESSAGE)):
        reply = http.post("/login", {"username": value, "password": DEMO_PASSWORD})
        assert reply.status == 422 and message in reply.text, reply.text[:500]
        assert http.get("/projects").status == 302  # not logged in


def test_forms_derive_from_the_form_that_refuses_bad_characters(app):
    from flask_wtf import FlaskForm

    from crm.core.forms import Form

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    forms = [cls for cls in subclasses(FlaskForm) if cls.__module__.startswith(("crm.", "chains."))]
    assert len(forms) > 25
    assert [cls.__qualname__ for cls in forms if not issubclass(cls, Form)] == []


# ---- the chain import -------------------------------------------------------------------


def multipart(fields: dict[str, str], file_field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = "----chaincrm-bad-input"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        f"Content-Type: application/json\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


CHAIN = {"name": "坏输入链", "segments": [{"name": "上游环节", "stage": "upstream", "importance": "core"}]}


@pytest.mark.parametrize(
    "document, message",
    [
        (b"[" * 100_000 + b"]" * 100_000, TOO_DEEP_MESSAGE),
        (b'{"name": "a", "segments": ' + b'{"x": ' * 60 + b"1" + b"}" * 60 + b"}", TOO_DEEP_MESSAGE),
        (json.dumps({**CHAIN, "name": "坏\x00链"}).encode(), NUL_MESSAGE),
        (
            json.dumps({**CHAIN, "segments": [{**CHAIN["segments"][0], "name": "\ud800环节"}]}).encode(),
            SURROGATE_MESSAGE,
        ),
        (
            json.dumps(CHAIN, ensure_ascii=False).encode().replace("坏输入链".encode(), b"\xed\xa0\x80"),
            SURROGATE_MESSAGE,
        ),
    ],
)
def test_the_chain_import_refuses_deep_or_unstorable_documents(demo_client, document, message):
    http = demo_client("qishan_manager")
    body, content_type = multipart(
        {"csrf_token": http.csrf_token("/chains/import"), "name": "", "leader_official": ""},
        "file",
        "chain.json",
        document,
    )
    reply = http.request("POST", "/chains/import", body, {"Content-Type": content_type})
    assert reply.status == 422 and message in reply.text, (reply.status, reply.text[:500])
    assert http.get("/chains/").text.count("坏输入链") == 0
