"""Crawling the demo as each of its users, for rules that must hold on every page.

``crawl_as(app, api, username)`` logs in and reads what that user can reach: every page
linked from the start page (and from the pages it links to), every export (CSV in both
encodings, XLSX unzipped), the 公示 notices, the calendar feed and every API list and
record (with a bearer token). Each answer is kept once, as searchable text (HTML and XML
unescaped, JSON re-encoded without \\u escapes, iCal lines unfolded), so several checks
share one crawl per user.

Pages of the same kind differ only in their record: records that touch a confidential
project (see ``confidential_footprint``) are always read, and ``SAMPLE`` others of each
kind (the path with its numbers blanked and the names of its query arguments). Lists show
every row on one page during a crawl (``PER_PAGE`` is raised), so no row hides on page 2.

``confidential_name_leaks(app, api)`` is the check of the confidential-name rule over the
whole demo: it answers the leaks found and what each user saw, and raises if the demo or
the crawl lacks what the check needs. It takes an app whose database holds the demo, so
it runs the same with the clock at any date::

    report = confidential_name_leaks(demo_app, api)
    assert report.leaks == []
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit

from demo_support import login
from record_support import user_named
from sqlalchemy import select
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from crm.core.db import db

DEMO_USERS = (
    "qishan_manager",
    "qishan_staff",
    "qishan_staff2",
    "qishan_leader",
    "fufeng_manager",
    "fufeng_staff",
    "fufeng_staff2",
    "fufeng_leader",
    "city",
    "province",
    "admin",
)
SAMPLE = 2  # pages read of each kind beyond those of confidential records
SKIP = ("/logout", "/lang/", "/static/", "/chains/assets/")
LINK = re.compile(r"""\b(?:href|src|data-url|data-href|data-panel-url)=["']([^"'#]+)""")
FORM = re.compile(r"""<form\b([^>]*)>""", re.IGNORECASE)
ATTRIBUTE = re.compile(r"""\b(method|action)=["']([^"']*)["']""", re.IGNORECASE)
NAMED_ID = re.compile(r"([a-z][a-z_-]*)/(\d+)(?=/|$|\.|\?)")
API_MAX_PER_PAGE = 200


@dataclass
class Answer:
    path: str
    status: int
    content_type: str
    text: str  # searchable text of the body


@dataclass
class Crawl:
    username: str
    answers: dict[str, Answer] = field(default_factory=dict)

    def ok(self):
        return [a for a in self.answers.values() if a.status == 200]


# ---- what the demo holds ----------------------------------------------------------------------


@dataclass
class Confidential:
    id: int
    name: str
    code_name: str
    owner_id: int | None
    county_id: int


@dataclass
class Footprint:
    """The confidential projects and the ids of every record that shows one's name, by the
    path segment that names such a record (``projects``, ``activities``, ``lists``, ...)."""

    projects: list[Confidential]
    ids: dict[str, set[int]]
    places: dict[str, int]  # what the demo must hold: kind of record -> how many touch one
    users: dict[str, tuple]  # username -> (id, role, region id)
    other_names: list[str]  # the names of every project that is not confidential
    chains: list[int]
    panels: list[tuple[int, int]]  # (chain id, segment id) of segments a confidential project aims at
    list_periods: dict[int, str]  # reward list id -> its period text
    rule_periods: dict[int, str]  # reward rule id -> a period to compute it for

    def interesting(self, path: str) -> bool:
        """Whether ``path`` names (last) a record that touches a confidential project. A
        company's own forms show no project: only its page counts."""
        path = urlsplit(path).path
        found = NAMED_ID.findall(path)
        if not found:
            return False
        name, record_id = found[-1]
        if name == "companies" and not path.endswith(record_id):
            return False
        return int(record_id) in self.ids.get(name, set())


def confidential_footprint(app) -> Footprint:
    from chains.models import Chain, ProjectSegment, Segment
    from crm.activities.models import Activity
    from crm.auth.models import User
    from crm.commitments.models import Commitment, Obligation
    from crm.core.tenancy import system_scope
    from crm.funds.models import FundsRecord
    from crm.projects.models import Project
    from crm.rewards.models import Referral, RewardLine, RewardList, RewardRule

    with app.app_context(), system_scope():

        def run(statement):
            return db.session.execute(statement).all()

        projects = [
            Confidential(*row)
            for row in run(
                select(Project.id, Project.name, Project.code_name, Project.owner_id, Project.county_id)
                .where(Project.code_name.is_not(None), Project.code_name != "")
                .order_by(Project.id)
            )
        ]
        ids = [p.id for p in projects]

        def of(model, column=None):
            column = column if column is not None else model.id
            return {row[0] for row in run(select(column).where(model.project_id.in_(ids)))}

        companies = {
            c
            for row in run(
                select(Project.investor_company_id, Project.local_company_id).where(Project.id.in_(ids))
            )
            for c in row
            if c
        }
        lists = dict(run(select(RewardList.id, RewardList.period_text)))
        rules = {rule_id: str(year) for rule_id, year in run(select(RewardRule.id, RewardRule.year))}
        found = {
            "projects": set(ids),
            "activities": of(Activity),
            "funds": of(FundsRecord),
            "commitments": of(Commitment),
            "obligations": of(Obligation),
            "referrals": of(Referral),
            "segments": of(ProjectSegment, ProjectSegment.segment_id),
            "companies": companies,
            "lists": set(lists),
            "reward-lists": set(lists),
            "rules": set(rules),
            "reward-rules": set(rules),
        }
        chains = sorted(row[0] for row in run(select(Chain.id)))
        eligible_lines = {
            row[0]
            for row in run(
                select(RewardLine.project_id).where(
                    RewardLine.project_id.in_(ids), RewardLine.eligible.is_(True)
                )
            )
        }
        places = {
            "referral": len(found["referrals"]),
            "eligible reward line": len(eligible_lines),
            "funds in place": len(found["funds"]),
            "activity": len(found["activities"]),
            "commitment": len(found["commitments"]),
            "obligation": len(found["obligations"]),
            "chain segment": len(found["segments"]),
        }
        users = {
            name: (uid, role.value, region)
            for name, uid, role, region in run(select(User.username, User.id, User.role, User.region_id))
        }
        other_names = [row[0] for row in run(select(Project.name).where(Project.id.not_in(ids)))]
        panels = sorted(
            tuple(row)
            for row in run(select(Segment.chain_id, Segment.id).where(Segment.id.in_(found["segments"])))
        )
    return Footprint(
        projects=projects,
        ids=found,
        places=places,
        users=users,
        other_names=other_names,
        chains=chains,
        panels=panels,
        list_periods=lists,
        rule_periods=rules,
    )


def may_see(project: Confidential, user: tuple) -> bool:
    """The rule, restated independently of crm/projects/confidential.py."""
    user_id, role, region_id = user
    return project.owner_id == user_id or (role == "manager" and region_id == project.county_id)


# ---- reading answers ------------------------------------------------------------------------------


def searchable_text(response) -> str:
    """The body as text a name can be searched in, whatever the format."""
    body, kind = response.get_data(), (response.content_type or "").lower()
    if body[:2] == b"PK":  # XLSX: every XML part, entities resolved
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return html.unescape(
                "\n".join(
                    book.read(n).decode("utf-8", "replace") for n in book.namelist() if n.endswith(".xml")
                )
            )
    charset = "gb18030" if "gb18030" in kind else "utf-8"
    text = body.decode(charset, errors="replace")
    if "json" in kind:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    if "calendar" in kind:
        return re.sub(r"\r?\n[ \t]", "", text)  # unfold iCalendar lines
    return html.unescape(text)


def _links(page_path: str, body: str) -> list[str]:
    found = LINK.findall(body)
    for attributes in FORM.findall(body):
        values = {k.lower(): v for k, v in ATTRIBUTE.findall(attributes)}
        if values.get("method", "get").lower() == "get":
            found.append(values.get("action") or page_path)
    local = []
    for link in found:
        target = urlsplit(urljoin(page_path, html.unescape(link)))
        if target.netloc and target.netloc != "localhost":
            continue
        local.append(target.path + (f"?{target.query}" if target.query else ""))
    return local


def _kind(path: str) -> str:
    parts = urlsplit(path)
    keys = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


# ---- crawling ---------------------------------------------------------------------------------


def _seeds(footprint: Footprint, calendar_token: str | None) -> list[str]:
    """Pages a crawl reads even when no link leads there (exports, notices, forms of
    confidential projects, a rule computed for a period, the calendar feed)."""
    seeds = [
        "/",
        "/dashboard",
        "/followups",
        "/projects",
        "/projects/board",
        "/projects/export.csv",
        "/projects/export.csv?encoding=gb18030",
        "/projects/export.xlsx",
        "/activities",
        "/funds",
        "/commitments",
        "/commitments/export.csv",
        "/commitments/export.xlsx",
        "/rewards/",
        "/rewards/referrals",
        "/rewards/referrals/new",
        "/rewards/disputes",
        "/rewards/rules",
        "/chains/",
        "/audit/",
        "/companies",
    ]
    for list_id in sorted(footprint.ids["lists"]):
        base = f"/rewards/lists/{list_id}"
        seeds += [
            base,
            f"{base}/export.csv",
            f"{base}/export.csv?encoding=gb18030",
            f"{base}/export.xlsx",
            f"{base}/notice",
        ]
    for rule_id, period in sorted(footprint.rule_periods.items()):
        base = f"/rewards/rules/{rule_id}"
        seeds += [
            f"{base}?period={period}",
            f"{base}/export.xlsx?period={period}",
            f"{base}/export.csv?period={period}",
        ]
    for chain_id in footprint.chains:  # the chain pages that list projects; the rest by links
        seeds += [f"/chains/{chain_id}/report", f"/chains/{chain_id}/gaps.xlsx"]
    seeds += [f"/chains/{chain_id}/segments/{segment_id}/panel" for chain_id, segment_id in footprint.panels]
    for project in footprint.projects:
        base = f"/projects/{project.id}"
        seeds += [
            base,
            f"{base}/edit",
            f"{base}/stage",
            f"{base}/funds",
            f"{base}/funds/new",
            f"{base}/commitments",
            f"{base}/commitments/new",
            f"{base}/obligations/new",
            f"{base}/activities/new",
            f"/activities?project_id={project.id}",
        ]
    for company_id in sorted(footprint.ids["companies"]):
        seeds.append(f"/companies/{company_id}")
    seeds += [search_path(project) for project in footprint.projects]
    if calendar_token:
        seeds.append(f"/calendar/{calendar_token}.ics")
    return seeds


def search_fragment(project: Confidential) -> str:
    """A piece of a confidential project's real name that a search for it would type:
    shorter than the name, so that a page repeating the search text does not show it."""
    name = project.name
    return name[1:-1] if len(name) > 3 else name[:-1]


def search_path(project: Confidential) -> str:
    """The global search for part of the project's real name: only its owner and its
    county's managers may find it so (the others find it by its code name alone)."""
    return "/search?" + urlencode({"q": search_fragment(project)})


def _calendar_token(app, username: str) -> str | None:
    from crm.auth.services import issue_calendar_token

    with app.app_context():
        user = user_named(username)
        if user.role.value == "admin":
            return None
        token = issue_calendar_token(user)
        db.session.commit()
        return token


def crawl_pages(app, client, footprint: Footprint, crawl: Crawl, calendar_token: str | None = None) -> None:
    """Every page reachable from the seeds by links, at most ``SAMPLE`` of each kind beyond
    those of confidential records; answers are added to ``crawl``."""
    adapter = app.url_map.bind("localhost")
    seeds = _seeds(footprint, calendar_token)
    seen, kinds, queue, forced = set(), Counter(), deque(seeds), set(seeds)
    while queue:
        path = queue.popleft()
        if path in seen or path.startswith(SKIP):
            continue
        seen.add(path)
        try:
            adapter.match(urlsplit(path).path, method="GET")
        except (MethodNotAllowed, NotFound):
            continue  # a form's POST target, or nothing: nothing to read
        except RequestRedirect:
            pass  # a missing trailing slash: the request follows the redirect
        kind = _kind(path)
        if path not in forced and not footprint.interesting(path):
            if kinds[kind] >= SAMPLE:
                continue
            kinds[kind] += 1
        response = client.get(path)
        if response.status_code in (301, 302, 303) and "Location" in response.headers:
            target = urlsplit(urljoin(path, response.headers["Location"]))
            queue.appendleft(target.path + (f"?{target.query}" if target.query else ""))
        text = searchable_text(response)
        crawl.answers[path] = Answer(path, response.status_code, response.content_type or "", text)
        if response.status_code == 200 and "html" in (response.content_type or ""):
            queue.extend(link for link in _links(path, text) if link not in seen)


def crawl_api(app, api, footprint: Footprint, crawl: Crawl) -> None:
    """Every API list (all its pages) and, for each record path, the records of
    confidential projects and ``SAMPLE`` others; answers are added to ``crawl``."""
    username = crawl.username
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    listed: dict[str, list[int]] = {}

    def read(path):
        response = api.get(path, as_user=username)
        crawl.answers[path] = Answer(
            path, response.status_code, response.content_type or "", searchable_text(response)
        )
        return response

    for template, operations in sorted(document["paths"].items()):
        if "get" not in operations or "{" in template:
            continue
        page, ids = 1, []
        while True:
            joiner = "&" if "?" in template else "?"
            response = read(f"/api/v1{template}{joiner}per_page={API_MAX_PER_PAGE}&page={page}")
            body = response.get_json(silent=True)
            if response.status_code != 200 or not isinstance(body, dict) or "items" not in body:
                break
            ids += [item["id"] for item in body["items"] if isinstance(item, dict) and "id" in item]
            if page * API_MAX_PER_PAGE >= body.get("total", 0):
                break
            page += 1
        listed[template] = ids
    for template, operations in sorted(document["paths"].items()):
        if "get" not in operations or template.count("{") != 1:
            continue
        head = template.split("{", 1)[0].rstrip("/")
        name = head.rsplit("/", 1)[-1]
        wanted = sorted(footprint.ids.get(name, set())) + listed.get(head, [])[:SAMPLE]
        if name == "reward-rules" and template.endswith("/eligibility"):
            for rule_id in sorted(footprint.rule_periods):
                read(f"/api/v1{head}/{rule_id}/eligibility?period={footprint.rule_periods[rule_id]}")
            continue
        if not template.endswith("}"):  # a record's sub-list names no project: a few suffice
            wanted = wanted[:1] + listed.get(head, [])[:SAMPLE]
        for record_id in dict.fromkeys(wanted):
            read("/api/v1" + re.sub(r"\{[^}]+\}", str(record_id), template))


def crawl_as(app, api, username: str, footprint: Footprint | None = None) -> Crawl:
    """All ``username`` can read of the demo: pages, exports, notices, feed and API."""
    footprint = footprint or confidential_footprint(app)
    crawl = Crawl(username)
    client = login(app, username)
    crawl_pages(app, client, footprint, crawl, _calendar_token(app, username))
    crawl_api(app, api, footprint, crawl)
    return crawl


# ---- the confidential-name check -------------------------------------------------------------------


def _pattern(name: str) -> re.Pattern:
    # A name found only where no digit precedes it: "31万头…" is not a leak inside "131万头…".
    forms = {re.escape(name), re.escape(json.dumps(name)[1:-1])}
    return re.compile(r"(?<!\d)(?:" + "|".join(sorted(forms)) + ")")


# Where the owner or the county's manager must find a real name, so the check cannot pass
# by hiding names from everyone: (what, path pattern) of pages the demo fills with them.
MUST_SHOW = (
    ("project list", r"^/projects$"),
    ("project page", r"^/projects/\d+$"),
    ("project export", r"^/projects/export\.(csv|xlsx)"),
    ("referrals", r"^/rewards/referrals$"),
    ("referral picker", r"^/rewards/referrals/new$"),
    ("reward list", r"^/rewards/lists/\d+$"),
    ("reward list CSV", r"^/rewards/lists/\d+/export\.csv"),
    ("reward list XLSX", r"^/rewards/lists/\d+/export\.xlsx"),
    ("公示 notice", r"^/rewards/lists/\d+/notice"),
    ("funds", r"^/projects/\d+/funds$"),
    ("activities", r"^/activities"),
    ("commitment register", r"^/commitments$"),
    ("commitment export", r"^/commitments/export\."),
    ("chain segment panel", r"^/chains/\d+/segments/\d+/panel"),
    ("global search", r"^/search\?q="),
    ("API projects", r"^/api/v1/projects\?"),
    ("API referrals", r"^/api/v1/referrals\?"),
    ("API reward list", r"^/api/v1/reward-lists/\d+$"),
)


@dataclass
class NameReport:
    leaks: list[tuple[str, str, str]]  # (user, path, real name) seen by someone who may not
    missing: list[tuple[str, str]]  # (user, what) where the owner/manager saw no real name
    pages: dict[str, int]  # user -> answers read
    checked_names: dict[str, int]  # user -> confidential names they must not see


def confidential_name_leaks(app, api, users=DEMO_USERS) -> NameReport:
    """Crawl the demo as every user; a real name may appear only for its owner and its
    county's managers, and only they find the project by searching for part of its real
    name (``search_path``: the page shows the code name to the others, so the link to the
    project is what would leak). Raises AssertionError if the demo does not put a confidential
    project in every place that matters."""
    app.config["PER_PAGE"] = 1000  # every row of a list on its one page
    footprint = confidential_footprint(app)
    assert footprint.projects, "the demo has no confidential project"
    empty = [place for place, count in footprint.places.items() if not count]
    assert not empty, f"no confidential project in the demo's {empty}"
    patterns = {p.id: _pattern(p.name) for p in footprint.projects}
    # A real name found inside another project's name could be that project's (the demo's
    # names are drawn at random): such a project is left out of the check.
    distinct = [
        p
        for p in footprint.projects
        if not any(
            patterns[p.id].search(other)
            for other in footprint.other_names + [q.name for q in footprint.projects if q.id != p.id]
        )
    ]
    report = NameReport([], [], {}, {})
    for username in users:
        user = footprint.users[username]
        hidden = [p for p in distinct if not may_see(p, user)]
        shown = [p for p in distinct if may_see(p, user)]
        assert hidden or user[1] == "manager", f"{username}: no confidential project to check"
        crawl = crawl_as(app, api, username, footprint)
        answers = crawl.ok()
        report.pages[username] = len(crawl.answers)
        report.checked_names[username] = len(hidden)
        for answer in crawl.answers.values():  # error pages too: a refusal must not name it
            report.leaks += [
                (username, answer.path, p.name) for p in hidden if patterns[p.id].search(answer.text)
            ]
        for project in hidden:  # found by its real name, the search would tell it
            answer = crawl.answers.get(search_path(project))
            fragment = search_fragment(project)
            if answer is None:
                report.missing.append((username, f"search for project {project.id}"))
            elif fragment not in project.code_name and f'href="/projects/{project.id}"' in answer.text:
                report.leaks.append((username, answer.path, project.name))
        if user[1] == "manager" and shown:
            for what, path_pattern in MUST_SHOW:
                where = [a for a in answers if re.search(path_pattern, a.path)]
                if not any(patterns[p.id].search(a.text) for a in where for p in shown):
                    report.missing.append((username, what))
        for project in shown:  # an owner sees their own confidential projects by name
            if not any(patterns[project.id].search(a.text) for a in answers):
                report.missing.append((username, f"project {project.id}"))
    return report
