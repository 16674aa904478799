"""The pipeline rules of docs/design.md, through crm.projects.pipeline.move_stage."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from clock_support import PINNED_TODAY
from sqlalchemy import select

from crm.core.db import db
from crm.core.errors import ConflictError, ServiceError
from crm.core.tenancy import system_scope
from crm.projects.models import StageChange
from crm.projects.pipeline import move_stage


def _move(project_maker, project_id, to_stage, as_user="a_staff", **kw):
    """Move and commit; return the refusal's field errors (None when the move went through)."""
    with project_maker.app.test_request_context(), system_scope():
        project = project_maker.get(project_id)
        try:
            move_stage(project, to_stage, project_maker.user(as_user), **kw)
        except ServiceError as exc:
            db.session.rollback()
            return exc.errors
        db.session.commit()
        return None


def _move_with_signing(project_maker, project_id, to_stage, **evidence):
    """:func:`_move` with the usual signing evidence, ``evidence`` changed or added."""
    return _move(project_maker, project_id, to_stage, evidence=project_maker.signed_evidence(**evidence))


def _state(project_maker, project_id):
    with project_maker.app.test_request_context(), system_scope():
        p = project_maker.get(project_id)
        changes = db.session.execute(
            select(StageChange.from_stage, StageChange.to_stage, StageChange.note)
            .where(StageChange.project_id == project_id)
            .order_by(StageChange.id)
        ).all()
        return p.stage, p.signed_on, p.contract_no, [tuple(c) for c in changes]


@pytest.mark.parametrize(
    "missing, field, message",
    [
        ("signed_on", "signed_on", "签约须填写签约日期"),
        ("contract_no", "contract_no", "签约须填写合同编号"),
        ("planned_investment_wan", "planned_investment_wan", "签约须填写大于 0 的计划投资额（万元）"),
    ],
)
def test_signing_refuses_each_missing_piece_of_evidence(project_maker, missing, field, message):
    pid = project_maker.make(stage="negotiating")
    evidence = project_maker.signed_evidence()
    del evidence[missing]
    errors = _move(project_maker, pid, "signed", evidence=evidence)
    assert errors == {field: [message]}
    assert _state(project_maker, pid)[0] == "negotiating"


def test_signing_refuses_zero_investment(project_maker):
    pid = project_maker.make(stage="negotiating")
    errors = _move_with_signing(project_maker, pid, "signed", planned_investment_wan=Decimal("0"))
    assert errors == {"planned_investment_wan": ["签约须填写大于 0 的计划投资额（万元）"]}


def test_registration_needs_local_company_with_valid_credit_code(project_maker):
    pid = project_maker.make(stage="negotiating")
    assert _move_with_signing(project_maker, pid, "signed") is None
    assert _move(project_maker, pid, "registered") == {
        "local_company_id": ["注册落地须选择新设立的本地注册企业"]
    }
    errors = _move(project_maker, pid, "registered", evidence={"local_company_id": project_maker.broken_id})
    assert errors["local_company_id"][0].startswith("本地注册企业的统一社会信用代码无效：")
    assert (
        _move(
            project_maker,
            pid,
            "registered",
            evidence={"local_company_id": project_maker.local_id, "registered_on": "2025-03-20"},
        )
        is None
    )
    assert _state(project_maker, pid)[0] == "registered"


def test_started_and_producing_need_their_dates(project_maker):
    pid = project_maker.make(stage="negotiating")
    _move_with_signing(project_maker, pid, "registered", local_company_id=project_maker.local_id)
    assert _move(project_maker, pid, "started") == {"construction_started_on": ["开工须填写开工日期"]}
    assert _move(project_maker, pid, "started", evidence={"construction_started_on": "2025-04-01"}) is None
    assert _move(project_maker, pid, "producing") == {"production_started_on": ["投产须填写投产日期"]}


def test_skipping_to_producing_needs_the_evidence_of_every_skipped_stage(project_maker):
    pid = project_maker.make(stage="negotiating")
    errors = _move(project_maker, pid, "producing", evidence={"production_started_on": "2025-09-01"})
    assert set(errors) == {
        "signed_on",
        "contract_no",
        "planned_investment_wan",
        "local_company_id",
        "construction_started_on",
    }
    evidence = project_maker.signed_evidence(
        local_company_id=project_maker.local_id,
        construction_started_on="2025-04-01",
        production_started_on="2025-09-01",
    )
    assert _move(project_maker, pid, "producing", evidence=evidence) is None
    stage, signed_on, contract_no, changes = _state(project_maker, pid)
    assert (stage, signed_on, contract_no) == ("producing", date(2025, 3, 1), "QS-2025-001")
    assert changes[-1][:2] == ("negotiating", "producing")


def test_forward_moves_may_skip_courting_stages(project_maker):
    pid = project_maker.make()
    assert _move(project_maker, pid, "negotiating") is None
    assert _state(project_maker, pid)[3] == [(None, "lead", None), ("lead", "negotiating", None)]


def test_dates_out_of_order_are_refused(project_maker):
    pid = project_maker.make(stage="negotiating")
    errors = _move_with_signing(
        project_maker,
        pid,
        "started",
        local_company_id=project_maker.local_id,
        construction_started_on="2025-02-01",
        registered_on="2025-01-01",
    )
    assert errors == {
        "construction_started_on": ["开工日期不能早于签约日期"],
        "registered_on": [
            "新设企业（新建、合资项目）的注册日期不能早于签约日期；已有企业扩建、搬迁请选对项目类型"
        ],
    }


def test_refused_move_writes_nothing_and_keeps_the_project(project_maker):
    pid = project_maker.make(stage="negotiating")
    before_projects, before_changes = project_maker.counts()
    _move(project_maker, pid, "signed", evidence={"contract_no": "X-1", "signed_on": "2025-01-01"})
    assert project_maker.counts() == (before_projects, before_changes)
    stage, signed_on, contract_no, _ = _state(project_maker, pid)
    assert (stage, signed_on, contract_no) == ("negotiating", None, None)


def test_staff_cannot_move_backwards(project_maker):
    pid = project_maker.make(stage="negotiating")
    errors = _move(project_maker, pid, "contacted", note="企业要求重新考察")
    assert errors == {"to_stage": ["退回到之前的阶段须由局长（科长）操作"]}
    assert _state(project_maker, pid)[0] == "negotiating"


def test_manager_moves_backwards_only_with_a_note(project_maker):
    pid = project_maker.make(stage="negotiating")
    assert _move(project_maker, pid, "contacted", as_user="a_manager") == {"note": ["退回阶段须填写说明"]}
    assert _move(project_maker, pid, "contacted", as_user="a_manager", note="企业要求重新考察") is None
    with project_maker.app.test_request_context(), system_scope():
        change = (
            db.session.execute(
                select(StageChange).where(StageChange.project_id == pid).order_by(StageChange.id.desc())
            )
            .scalars()
            .first()
        )
        assert (change.from_stage, change.to_stage, change.note) == (
            "negotiating",
            "contacted",
            "企业要求重新考察",
        )
        assert change.changed_by.username == "a_manager"
        assert change.reached_on == PINNED_TODAY


def test_resuming_below_the_stage_held_before_hold_is_a_backward_move(project_maker):
    pid = project_maker.make(stage="negotiating")
    assert _move(project_maker, pid, "on_hold") is None  # any time, no note needed
    assert _move(project_maker, pid, "visited") == {"to_stage": ["退回到之前的阶段须由局长（科长）操作"]}
    assert _move(project_maker, pid, "negotiating") is None  # back where it was: no manager needed


def test_lost_needs_a_reason(project_maker):
    pid = project_maker.make(stage="visited")
    assert _move(project_maker, pid, "lost") == {"lost_reason": ["终止须填写原因"]}
    assert _move(project_maker, pid, "lost", evidence={"lost_reason": "企业转投外省"}) is None
    with project_maker.app.test_request_context(), system_scope():
        assert project_maker.get(pid).lost_reason == "企业转投外省"


def test_signed_change_records_the_signing_date_as_reached_on(project_maker):
    pid = project_maker.make(stage="negotiating")
    _move_with_signing(project_maker, pid, "signed")
    with project_maker.app.test_request_context(), system_scope():
        change = db.session.execute(select(StageChange).where(StageChange.to_stage == "signed")).scalar_one()
        assert change.reached_on == date(2025, 3, 1)
        assert change.county_id == project_maker.world.county_a


def test_stale_version_is_a_conflict(project_maker):
    pid = project_maker.make()
    with project_maker.app.test_request_context(), system_scope():
        project = project_maker.get(pid)
        with pytest.raises(ConflictError):
            move_stage(project, "contacted", project_maker.user("a_staff"), version=project.version - 1)


def test_moving_to_the_same_stage_is_refused(project_maker):
    pid = project_maker.make()
    assert _move(project_maker, pid, "lead") == {"to_stage": ["项目已处于“线索”阶段"]}
