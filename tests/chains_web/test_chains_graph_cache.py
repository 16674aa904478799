"""The gap graph page's data kept per version of the chain (chains/graph_page.py): a second
visit and the segment panels do not analyse the chain again, and every change a user makes
(a firm, an aimed project's stage, a company's new name) shows on the next visit. No timings."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from crm.core.db import db
from crm.core.tenancy import system_scope


@pytest.fixture
def analyses(monkeypatch):
    """Counts the chain analyses (what keeping the page's data saves)."""
    from chains import services

    calls: list[int] = []
    analyse = services.analyse

    def spy(chain, *args, **kwargs):
        calls.append(chain.id)
        return analyse(chain, *args, **kwargs)

    monkeypatch.setattr(services, "analyse", spy)
    return calls


def add_local_firm_to(app, segment_id: int, company: str) -> None:
    """A local firm through the services (so the county gets an audit row)."""
    from chains import services
    from chains.models import Segment

    with app.app_context(), system_scope():
        services.add_firm(
            db.session.get(Segment, segment_id), company_name=company, role="supporting", presence="local"
        )
        db.session.commit()


def _names_drawn(page: str) -> set[str]:
    data = re.search(r'id="chain-graph-data"[^>]*>(.*?)</script>', page, re.S).group(1)
    return {node["name"] for node in json.loads(data)["nodes"]}


def test_second_visit_and_panels_reuse_the_kept_graph(client, auth, battery_chains, analyses):
    auth.login("a_leader")
    chain = battery_chains.chain
    first = client.get(f"/chains/{chain}/graph").get_data(as_text=True)
    second = client.get(f"/chains/{chain}/graph").get_data(as_text=True)
    panel = client.get(f"/chains/{chain}/segments/{battery_chains.segments['正极材料']}/panel")
    assert panel.status_code == 200 and 'data-status="gap"' in panel.get_data(as_text=True)
    assert _names_drawn(first) == _names_drawn(second)
    assert analyses == [chain]  # analysed once for the three requests


def test_kept_graph_shows_a_new_firm_at_once(app, client, auth, battery_chains, analyses):
    auth.login("a_leader")
    url = f"/chains/{battery_chains.chain}/graph"
    gap = r'data-status="gap" data-segment-stage="upstream">正极材料<'
    before = client.get(url).get_data(as_text=True)
    assert "丁正极材料有限公司" not in _names_drawn(before) and re.search(gap, before)
    add_local_firm_to(app, battery_chains.segments["正极材料"], "丁正极材料有限公司")
    page = client.get(url).get_data(as_text=True)
    assert "丁正极材料有限公司" in _names_drawn(page)
    # 正极材料 had no firm (a gap); with a local firm it is no longer listed as one.
    assert re.search(gap, page) is None
    assert re.search(r'data-status="\w+" data-segment-stage="upstream">正极材料<', page)


def test_kept_graph_shows_a_company_rename(app, client, auth, battery_chains):
    from crm.companies.models import Company

    auth.login("a_leader")
    url = f"/chains/{battery_chains.chain}/graph"
    assert "甲电池有限公司" in _names_drawn(client.get(url).get_data(as_text=True))
    with app.app_context(), system_scope():  # companies are shared: no county audit row
        company = db.session.execute(select(Company).where(Company.name == "甲电池有限公司")).scalar_one()
        company.name = "甲新能源电池有限公司"
        db.session.commit()
    names = _names_drawn(client.get(url).get_data(as_text=True))
    assert "甲新能源电池有限公司" in names and "甲电池有限公司" not in names


def test_kept_graph_of_one_county_is_never_shown_to_another(client, auth, battery_chains):
    auth.login("a_leader")
    assert client.get(f"/chains/{battery_chains.chain}/graph").status_code == 200
    auth.logout()
    auth.login("b_leader")
    assert client.get(f"/chains/{battery_chains.chain}/graph").status_code == 404
    panel = f"/chains/{battery_chains.chain}/segments/{battery_chains.segments['电芯']}/panel"
    assert client.get(panel).status_code == 404
    own = client.get(f"/chains/{battery_chains.other_chain}/graph").get_data(as_text=True)
    assert "扶风电池" in own and "动力电池" not in own


def test_graph_is_not_kept_when_the_cache_is_off(app, client, auth, battery_chains, analyses):
    app.config["COUNTY_CACHE_ENTRIES"] = 0
    auth.login("a_leader")
    for _ in range(2):
        assert client.get(f"/chains/{battery_chains.chain}/graph").status_code == 200
    assert len(analyses) == 2
