"""A small county with hand-checkable figures (see test_dashboard_figures.py)."""

from decimal import Decimal

import pytest
from dashboard_data import add_project

from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.funds.models import CountyTarget


@pytest.fixture
def dashboard_world(app, world):
    a, b = world.county_a, world.county_b
    with app.app_context(), system_scope():
        add_project(
            a,
            "P1 投产",
            "producing",
            10000,
            signed_on="2026-01-10",
            registered_on="2026-02-01",
            construction_started_on="2026-02-15",
            production_started_on="2026-03-20",
            next_follow_up_on="2026-03-30",
            history=[
                ("lead", "2025-11-01"),
                ("contacted", "2025-11-11"),
                ("negotiating", "2025-12-01"),
                ("signed", "2026-01-10"),
                ("registered", "2026-02-01"),
                ("started", "2026-02-15"),
                ("producing", "2026-03-20"),
            ],
            funds=[
                ("2025-12", "out_of_province", "9999"),
                ("2026-01", "out_of_province", "1000"),
                ("2026-02", "out_of_province", "2000"),
                ("2026-03", "foreign", "500"),
                ("2026-04", "in_city", "777"),
            ],
        )
        add_project(
            a, "P2 去年签约", "signed", 5000, signed_on="2025-12-20", history=[("signed", "2025-12-20")]
        )
        # registered without a registered_on date: reached on the day it passed into registered
        add_project(
            a,
            "P3 开工",
            "started",
            8000,
            signed_on="2026-02-01",
            construction_started_on="2026-03-01",
            history=[
                ("lead", "2025-12-01"),
                ("contacted", "2025-12-21"),
                ("visited", "2026-01-10"),
                ("negotiating", "2026-01-20"),
                ("registered", "2026-02-10"),
                ("started", "2026-03-01"),
            ],
            funds=[("2026-03", "in_province", "1500"), ("2026-03", "in_city", "250")],
        )
        # moved back to negotiating by a manager: no longer counts as signed
        add_project(
            a,
            "P4 退回洽谈",
            "negotiating",
            3000,
            signed_on="2026-01-15",
            next_follow_up_on="2026-02-01",
            history=[
                ("lead", "2025-10-01"),
                ("negotiating", "2025-12-01"),
                ("signed", "2026-01-15"),
                ("negotiating", "2026-02-01"),
            ],
        )
        # lost after signing: the signing this year still counts
        add_project(
            a,
            "P5 签约后终止",
            "lost",
            2000,
            signed_on="2026-03-05",
            next_follow_up_on="2026-03-01",
            history=[("lead", "2026-01-01"), ("signed", "2026-03-05"), ("lost", "2026-03-10")],
        )
        add_project(a, "P6 新线索", "lead", next_follow_up_on="2026-03-31", history=[("lead", "2026-03-01")])
        add_project(
            b,
            "P7 扶风签约",
            "signed",
            7000,
            signed_on="2026-03-01",
            history=[("signed", "2026-03-01")],
            funds=[("2026-02", "in_city", "4000")],
        )
        db.session.add_all(
            [
                CountyTarget(county_id=a, year=2026, funds_target_wan=Decimal("36500")),
                CountyTarget(county_id=a, year=2025, funds_target_wan=Decimal("99999")),
                CountyTarget(county_id=b, year=2026, funds_target_wan=Decimal("10000")),
            ]
        )
        db.session.commit()
    return world


@pytest.fixture
def dashboard_three_counties(app, dashboard_world):
    """dashboard_world (岐山县 a, 扶风县 b) plus 蓝田县 c, whose projects exercise the fallbacks."""
    c = dashboard_world.ids["610122"]
    with app.app_context(), system_scope():
        # put on hold after signing, no 签约日期 on record: signed this year by its history
        add_project(
            c,
            "C1 暂缓",
            "on_hold",
            4000,
            history=[("lead", "2026-01-05"), ("signed", "2026-02-10"), ("on_hold", "2026-03-01")],
        )
        # no stage history at all: reached 'visited' by its current stage alone
        add_project(c, "C2 无记录", "visited", next_follow_up_on="2026-03-15")
        add_project(
            c,
            "C3 投产",
            "producing",
            6000,
            signed_on="2025-06-01",
            registered_on="2025-07-01",
            construction_started_on="2025-09-01",
            production_started_on="2026-01-20",
            history=[
                ("lead", "2025-04-01"),
                ("signed", "2025-06-01"),
                ("registered", "2025-07-01"),
                ("started", "2025-09-01"),
                ("producing", "2026-01-20"),
            ],
            funds=[("2026-01", "foreign", "300"), ("2026-03", "foreign", "200")],
        )
        db.session.commit()
    return dashboard_world
