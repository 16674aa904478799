"""No county sees another's records, tested from the outside on the demo data.

County A's officer crawls every page reachable by links and every API collection; every
URL that names a record by id is then requested as county B, which must get 403/404.
"""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest  # noqa: F401
from demo_support import collection_of, login

# Company master data is shared by design; so are transfers and collision alerts, which name
# two counties and are read by both (the demo's two): a third county's 404 on them is tested in
# tests/coordination.
SHARED_PREFIXES = ("/companies/", "/transfers/", "/collisions/")
SKIP = ("/logout", "/lang/", "/static/", "/calendar/")
ID_IN_PATH = re.compile(r"/\d+(/|$|\.)")
LINK = re.compile(r"""(?:href|action|data-url|data-href|data-panel-url)=["']([^"'#]+)""")


def crawl(client, limit=600):
    seen, queue, with_ids = set(), deque(["/"]), set()
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code in (301, 302, 303) and "Location" in response.headers:
            queue.append(
                urlsplit(urljoin(path, response.headers["Location"]))._replace(scheme="", netloc="").geturl()
            )
            continue
        if response.status_code != 200:
            continue
        if ID_IN_PATH.search(urlsplit(path).path):
            with_ids.add(path)
        if "html" not in response.content_type:
            continue
        for link in LINK.findall(response.get_data(as_text=True)):
            target = urljoin(path, link.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != "localhost":
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local.startswith(SKIP) or local in seen:
                continue
            queue.append(local)
    return seen, with_ids


def test_other_county_gets_404_or_403_for_every_record_page(demo_app):
    qishan = login(demo_app, "qishan_manager")
    pages, record_pages = crawl(qishan)
    record_pages = {p for p in record_pages if not p.startswith(SHARED_PREFIXES)}
    assert len(pages) > 50 and len(record_pages) > 20, (len(pages), len(record_pages))
    fufeng = login(demo_app, "fufeng_manager")
    leaked = []
    for path in sorted(record_pages):
        status = fufeng.get(path).status_code
        if status not in (403, 404):
            leaked.append((path, status))
    assert leaked == []


def test_other_county_gets_404_for_every_api_record(demo_app, api):
    doc = demo_app.test_client().get("/api/v1/openapi.json").get_json()
    checked, leaked = 0, []
    for template, operations in doc["paths"].items():
        collection = collection_of(template)
        if "get" not in operations or collection is None or template.count("{") != 1:
            continue
        if (collection + "/").startswith(SHARED_PREFIXES):
            continue
        listing = api.get(f"/api/v1{collection}?per_page=5", as_user="qishan_manager")
        if listing.status_code != 200 or not isinstance(listing.get_json(), dict):
            continue
        ids = [item["id"] for item in listing.get_json().get("items", []) if "id" in item]
        for record_id in ids[:3]:
            path = "/api/v1" + re.sub(r"\{[^}]+\}", str(record_id), template)
            if api.get(path, as_user="qishan_manager").status_code != 200:
                continue
            checked += 1
            status = api.get(path, as_user="fufeng_manager").status_code
            if status not in (403, 404):
                leaked.append((path, status))
    assert leaked == []
    assert checked >= 10, f"only {checked} API records were tried"


def test_the_global_search_never_finds_another_countys_records(demo_app):
    """Fufeng's manager searches for every name, code name and contact of Qishan (phones
    too): the answers link to none of Qishan's projects or contacts."""
    from sqlalchemy import select

    from crm.companies.models import Contact
    from crm.core.db import db
    from crm.core.tenancy import system_scope
    from crm.projects.models import Project
    from crm.regions.models import Region

    with demo_app.app_context(), system_scope():
        qishan = db.session.execute(select(Region.id).where(Region.name == "岐山县")).scalar_one()
        projects = db.session.execute(
            select(Project.id, Project.name, Project.code_name).where(Project.county_id == qishan)
        ).all()
        contacts = db.session.execute(
            select(Contact.id, Contact.name, Contact.phone).where(Contact.county_id == qishan)
        ).all()
    assert projects and contacts
    fufeng, leaked = login(demo_app, "fufeng_manager"), []
    project_links = {f'href="/projects/{pid}"' for pid, _, _ in projects}
    contact_links = {f'#contact-{cid}"' for cid, _, _ in contacts}
    texts = {text for _, name, code in projects for text in (name, code) if text}
    texts |= {text for _, name, phone in contacts for text in (name, phone) if text}
    for text in sorted(texts):
        response = fufeng.get("/search", query_string={"q": text})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        leaked += [(text, link) for link in project_links | contact_links if link in body]
    assert leaked == []
