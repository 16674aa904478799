"""The demo, and every rule checked by crawling it, hold whatever day it is.

CI once turned red because the demo built on 4 December put a confidential project into a
reward list that the demo built on other days left out. Here the demo is built with the
clock at the days where dates turn over (a year's first minutes in the bureau, still the
old year in UTC; a quarter's last evening; 29 February), and the crawled checks run on it:
confidential names, county isolation, no server error, no evidence date in the future.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from clock_support import BUREAU_ZONE
from crawl_support import confidential_name_leaks
from demo_support import load_whole_demo
from sqlalchemy import select

from crm.core import clock
from crm.core.db import db
from crm.core.tenancy import system_scope

DATES = {
    "year-start": datetime(2027, 1, 1, 0, 30, tzinfo=BUREAU_ZONE),
    "quarter-end": datetime(2027, 3, 31, 23, 30, tzinfo=BUREAU_ZONE),
    "leap-day": datetime(2028, 2, 29, 9, 0, tzinfo=BUREAU_ZONE),
}
# The owner-or-manager rule from each side: managers and an owner must see names, other
# staff, a leader, the coordinator and the other county must not.
CRAWLED_USERS = ("qishan_manager", "qishan_staff", "qishan_staff2", "qishan_leader", "fufeng_staff", "city")


@pytest.fixture(params=list(DATES), ids=list(DATES))
def demo_at(request, app, monkeypatch):
    """The app with the whole demo dataset built on one of DATES."""
    app.config["NOW"] = DATES[request.param]
    load_whole_demo(app, monkeypatch)
    return app


def _future_evidence(app) -> list[tuple]:
    from crm.commitments.models import Fulfillment
    from crm.funds.models import FundsRecord
    from crm.projects.models import Project

    with app.app_context(), system_scope():
        today = clock.today()
        found = []
        for column in (
            Project.signed_on,
            Project.registered_on,
            Project.construction_started_on,
            Project.production_started_on,
            FundsRecord.month,
            Fulfillment.fulfilled_on,
        ):
            rows = db.session.execute(select(column).where(column > today)).scalars().all()
            found += [(column.key, value) for value in rows]
        return found


def test_the_demo_keeps_the_rules_on_days_where_dates_turn_over(demo_at, api):
    from demo_support import login
    from foundation.test_isolation_crawl import SHARED_PREFIXES, crawl

    assert _future_evidence(demo_at) == []
    report = confidential_name_leaks(demo_at, api, users=CRAWLED_USERS)
    assert report.leaks == []
    assert report.missing == []
    qishan = login(demo_at, "qishan_manager")
    pages, record_pages = crawl(qishan)
    assert [path for path in sorted(pages) if qishan.get(path).status_code >= 500] == []
    fufeng = login(demo_at, "fufeng_manager")
    leaked = [
        path
        for path in sorted(record_pages)
        if not path.startswith(SHARED_PREFIXES) and fufeng.get(path).status_code not in (403, 404)
    ]
    assert leaked == []
