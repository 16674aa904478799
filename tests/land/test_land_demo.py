"""The land demo: two parks with parcels, a signed project on a 标准地 carrying its
obligations, a year of 亩均 data classed A–D; its pages open for the demo's users."""

from demo_support import login
from sqlalchemy import func, select

from crm.commitments.models import Obligation
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.land.models import EfficiencyRecord, Parcel, Park, ProjectSite


def test_demo_has_parks_a_standard_site_with_obligations_and_a_year_of_data(demo_app):
    with demo_app.test_request_context(), system_scope():
        parks = list(db.session.execute(select(Park)).scalars())
        assert len(parks) >= 2 and any(p.is_enclave for p in parks)
        assert all(p.parcels for p in parks)
        sites = [
            s for s in db.session.execute(select(ProjectSite)).scalars() if s.parcel and s.parcel.standard
        ]
        assert sites and all(s.conditions_applied_on for s in sites)
        kinds = set(
            db.session.execute(
                select(Obligation.kind).where(Obligation.project_id == sites[0].project_id)
            ).scalars()
        )
        assert {"construction_start", "investment_intensity", "plot_ratio", "tax_per_mu"} <= kinds
        year = db.session.execute(select(func.max(EfficiencyRecord.year))).scalar()
        firms = db.session.execute(
            select(func.count()).select_from(EfficiencyRecord).where(EfficiencyRecord.year == year)
        ).scalar()
        assert firms >= 10
        assert db.session.execute(select(func.count()).select_from(Parcel)).scalar() >= 12


def test_demo_land_pages_for_leader_and_manager(demo_app):
    leader = login(demo_app, "qishan_leader")
    for path in (
        "/land",
        "/land/status",
        "/land/efficiency",
        "/land/efficiency/low",
        "/land/efficiency/export",
    ):
        assert leader.get(path).status_code == 200, path
    page = leader.get("/land/efficiency").get_data(as_text=True)
    grades = {g for g in "ABCD" if f'data-grade="{g}"' in page}
    assert len(grades) >= 3, grades
    assert "不参评（用地不足）" in page
    status = leader.get("/land/status").get_data(as_text=True)
    assert 'data-level="reclaimable"' in status  # A-03, supplied 1,000 days ago
    manager = login(demo_app, "qishan_manager")
    assert manager.get("/land/efficiency/rules").status_code == 200
    assert 'data-testid="land-panel"' in manager.get("/dashboard").get_data(as_text=True)


def test_chain_gap_panel_lists_suited_carriers_of_the_county(demo_app):
    from chains.models import Chain, Segment

    with demo_app.test_request_context(), system_scope():
        found = [
            (chain.id, segment.id, chain.county_id)
            for chain in db.session.execute(select(Chain)).scalars()
            for segment in db.session.execute(select(Segment).where(Segment.chain_id == chain.id)).scalars()
            if "新能源汽车" in chain.name
        ]
    assert found
    chain_id, segment_id, county_id = found[0]
    user = "qishan_staff" if county_id == min(c for _a, _b, c in found) else "fufeng_staff"
    page = login(demo_app, user).get(f"/chains/{chain_id}/segments/{segment_id}/panel").get_data(as_text=True)
    assert 'data-testid="segment-carriers"' in page and "标准化厂房一期 3 号楼" in page
    assert "科创孵化大楼" not in page  # 电子信息、生物医药 do not fit 新能源汽车
