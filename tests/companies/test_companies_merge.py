"""Merging duplicate companies: every link of every county moves, and it is audited."""

from __future__ import annotations

from datetime import date

from record_support import audit_rows, count_of
from sqlalchemy import select

from crm.activities.models import Activity
from crm.audit.models import AuditEvent
from crm.companies.models import Company, Contact
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.projects.models import Project


def _links(app, world, keep_id, drop_id):
    with app.app_context(), system_scope():
        a_project = Project(
            name="岐山电池项目",
            county_id=world.county_a,
            investor_company_id=drop_id,
            local_company_id=drop_id,
        )
        b_project = Project(name="扶风电池项目", county_id=world.county_b, investor_company_id=drop_id)
        untouched = Project(name="别的项目", county_id=world.county_b, investor_company_id=keep_id)
        db.session.add_all([a_project, b_project, untouched])
        db.session.flush()
        db.session.add_all(
            [
                Contact(county_id=world.county_a, company_id=drop_id, name="岐山的联系人"),
                Contact(county_id=world.county_b, company_id=drop_id, name="扶风的联系人"),
                Activity(
                    county_id=world.county_b,
                    company_id=drop_id,
                    project_id=b_project.id,
                    kind="call",
                    occurred_on=date(2026, 3, 1),
                    subject="电话沟通",
                ),
            ]
        )
        db.session.commit()
        return a_project.id, b_project.id


def test_manager_merge_moves_every_link_of_every_county_and_audits(
    client, auth, company_maker, app, world, fresh_uscc
):
    keep = company_maker.company("华驰动力电池股份有限公司", fresh_uscc(), headquarters="常州")
    drop_code = fresh_uscc()
    drop = company_maker.company("华驰动力电池有限公司", drop_code, industry_code="3841", tags=["上市公司"])
    a_project, b_project = _links(app, world, keep, drop)
    auth.login("a_manager")
    page = client.get(f"/companies/{keep}/merge").get_data(as_text=True)
    assert "华驰动力电池有限公司" in page  # offered as a similar-name candidate
    response = client.post(
        f"/companies/{keep}/merge", data={"other_id": drop, "keep": "this", "confirm": "y"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/companies/{keep}")

    assert company_maker.get(Company, drop) is None
    kept = company_maker.get(Company, keep)
    # Blanks of the kept record are filled from the dropped one; its own values stay.
    assert kept["headquarters"] == "常州" and kept["industry_code"] == "3841"
    assert kept["uscc"] != drop_code and kept["tags"] == ["上市公司"]
    assert company_maker.get(Project, a_project)["investor_company_id"] == keep
    assert company_maker.get(Project, a_project)["local_company_id"] == keep
    assert company_maker.get(Project, b_project)["investor_company_id"] == keep
    assert company_maker.get(Project, b_project)["version"] == 2  # an open edit form must notice
    for model in (Contact, Activity):
        assert count_of(app, model, model.company_id == drop) == 0
    assert count_of(app, Contact, Contact.company_id == keep) == 2
    assert count_of(app, Activity, Activity.company_id == keep) == 1

    with app.app_context(), system_scope():
        events = audit_rows("companies")
        merges = [e for e in events if e.action == "merge"]
        deleted = [e for e in events if e.action == "delete"]
    assert [e.record_id for e in deleted] == [drop] and deleted[0].actor_name == "a_manager"
    assert deleted[0].before["name"] == "华驰动力电池有限公司"
    by_county = {e.county_id: e for e in merges}
    assert set(by_county) == {world.county_a, world.county_b}
    totals = by_county[world.county_a].after["moved"]
    assert totals == {
        "contacts.company_id": 2,
        "projects.investor_company_id": 2,
        "projects.local_company_id": 1,
        "activities.company_id": 1,
    }
    assert by_county[world.county_b].after["moved"] == {
        "contacts.company_id": 1,
        "projects.investor_company_id": 1,
        "activities.company_id": 1,
    }
    assert all(e.actor_name == "a_manager" and e.before["dropped"]["id"] == drop for e in merges)


def test_merge_keeping_the_other_record(client, auth, company_maker, app, world):
    this = company_maker.company("周原酒业股份有限公司")
    other = company_maker.company("周原酒业有限公司")
    contact = company_maker.contact(this, world.county_a)
    auth.login("a_manager")
    response = client.post(
        f"/companies/{this}/merge", data={"other_id": other, "keep": "other", "confirm": "y"}
    )
    assert response.headers["Location"].endswith(f"/companies/{other}")
    assert company_maker.get(Company, this) is None
    assert company_maker.get(Contact, contact)["company_id"] == other


def test_merge_refusals_write_nothing(client, auth, company_maker, app, world):
    keep = company_maker.company("周原酒业股份有限公司")
    drop = company_maker.company("周原酒业有限公司")
    auth.login("a_staff")
    assert client.get(f"/companies/{keep}/merge").status_code == 403
    assert (
        client.post(
            f"/companies/{keep}/merge", data={"other_id": drop, "keep": "this", "confirm": "y"}
        ).status_code
        == 403
    )
    auth.logout()
    auth.login("a_manager")
    unconfirmed = client.post(f"/companies/{keep}/merge", data={"other_id": drop, "keep": "this"})
    assert unconfirmed.status_code == 422 and "请勾选确认" in unconfirmed.get_data(as_text=True)
    itself = client.post(f"/companies/{keep}/merge", data={"other_id": keep, "keep": "this", "confirm": "y"})
    assert "不能把企业与自身合并" in itself.get_data(as_text=True)
    missing = client.post(f"/companies/{keep}/merge", data={"other_id": 9999, "keep": "this", "confirm": "y"})
    assert "没有这个编号的企业" in missing.get_data(as_text=True)
    assert company_maker.count(Company) == 2
    assert count_of(app, AuditEvent, AuditEvent.action == "merge") == 0


def test_merge_service_refuses_non_managers(app, company_maker, world):
    from crm.auth.models import User
    from crm.companies.services import NotAllowedError, merge_companies

    keep, drop = company_maker.company("甲"), company_maker.company("乙")
    with app.test_request_context(), system_scope():
        staff = db.session.get(User, world.ids["a_staff"])
        try:
            merge_companies(db.session.get(Company, keep), db.session.get(Company, drop), staff)
        except NotAllowedError as exc:
            assert exc.status == 403
        else:
            raise AssertionError("staff merged companies")
    assert company_maker.count(Company) == 2


def test_links_are_found_on_the_metadata():
    from crm.companies.services import company_links

    found = {f"{c.table.name}.{c.name}" for c in company_links()}
    assert {
        "projects.investor_company_id",
        "projects.local_company_id",
        "contacts.company_id",
        "activities.company_id",
    } <= found


def test_merge_moves_chain_firms_and_drops_rows_the_kept_company_already_has(
    app, company_maker, world, client, auth
):
    from chains.models import Chain, ChainFirm, Segment

    keep, drop = (
        company_maker.company("晶耀光伏科技股份有限公司"),
        company_maker.company("晶耀光伏科技有限公司"),
    )
    with app.app_context(), system_scope():
        chain = Chain(county_id=world.county_b, name="光伏")
        db.session.add(chain)
        db.session.flush()
        cells = Segment(county_id=world.county_b, chain_id=chain.id, name="电池片", stage="midstream")
        modules = Segment(county_id=world.county_b, chain_id=chain.id, name="组件", stage="downstream")
        db.session.add_all([cells, modules])
        db.session.flush()
        db.session.add_all(
            [
                ChainFirm(county_id=world.county_b, chain_id=chain.id, segment_id=cells.id, company_id=keep),
                ChainFirm(county_id=world.county_b, chain_id=chain.id, segment_id=cells.id, company_id=drop),
                ChainFirm(
                    county_id=world.county_b, chain_id=chain.id, segment_id=modules.id, company_id=drop
                ),
            ]
        )
        db.session.commit()
        cells_id, modules_id = cells.id, modules.id
    auth.login("a_manager")  # another county's manager: the links of 扶风县 still move
    assert (
        client.post(
            f"/companies/{keep}/merge", data={"other_id": drop, "keep": "this", "confirm": "y"}
        ).status_code
        == 302
    )
    with app.app_context(), system_scope():
        rows = db.session.execute(
            select(ChainFirm.segment_id, ChainFirm.company_id).order_by(ChainFirm.segment_id)
        ).all()
        b_event = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "merge", AuditEvent.county_id == world.county_b)
        ).scalar_one()
    assert sorted(rows) == sorted([(cells_id, keep), (modules_id, keep)])
    assert b_event.after["moved"] == {
        "chain_firms.company_id (duplicate removed)": 1,
        "chain_firms.company_id": 1,
    }
