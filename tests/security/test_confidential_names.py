"""Finding 2: confidential project names leaked through the reward pages and the edit form.

A project with a code name shows its real name only to its owner and the county's managers.
Another officer of the same county read the real name on ``/rewards/referrals``, in the
referral form's project picker, in the reward list's CSV/XLSX exports and on
``/projects/<id>/edit``. Here that officer asks the real server over HTTP.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from record_support import add_reward_rule, user_named

from crm.core.db import db
from crm.core.tenancy import system_scope

REAL_NAME = "某头部车企西北整车基地项目"
CODE_NAME = "一号工程"


@pytest.fixture
def confidential_ids(app, world):
    """A signed confidential project of county A owned by a_staff, with a confirmed referral,
    a reward rule and a draft reward list in which it is eligible."""
    from crm.projects import pipeline, services
    from crm.rewards import services as rewards

    with app.test_request_context(), system_scope():
        owner = user_named("a_staff")
        project = services.create_project(
            {
                "name": REAL_NAME,
                "code_name": CODE_NAME,
                "owner_id": owner.id,
                "planned_investment_wan": Decimal(80000),
            },
            owner,
            county_id=owner.county_id,
            today=date(2026, 3, 1),
        )
        pipeline.move_stage(
            project,
            "signed",
            owner,
            evidence={
                "signed_on": "2026-03-10",
                "contract_no": "QS-2026-009",
                "planned_investment_wan": "80000",
            },
            today=date(2026, 3, 10),
        )
        rewards.register_referral(
            project,
            referrer_name="周原商会",
            referrer_kind="unit",
            is_public_official=False,
            registered_on=date(2026, 1, 5),
            investor_confirmed=True,
            investor_confirmed_on=date(2026, 1, 12),
        )
        rule = add_reward_rule(
            owner.county_id,
            name="引荐奖励办法",
            year=2026,
            basis="planned_investment",
            mode="bracket",
            tiers=[(None, "1")],
        )
        reward_list = rewards.create_list(rule, "2026")
        db.session.commit()
        assert [line.project_name for line in reward_list.eligible_lines] == [REAL_NAME]
        return {"project": project.id, "list": reward_list.id}


def _text(reply) -> str:
    if reply.body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(reply.body)) as book:
            return "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))
    return reply.body.decode("gb18030" if "gb18030" in (reply.headers.get("Content-Type") or "") else "utf-8")


def test_another_officer_never_reads_the_real_name(confidential_ids, live_server):
    officer = live_server.client()
    assert officer.login("a_staff2").status == 302
    listed = f"/rewards/lists/{confidential_ids['list']}"
    for path in (
        "/rewards/referrals",
        "/rewards/referrals/new",
        f"/rewards/referrals/new?project_id={confidential_ids['project']}",
        listed,
        f"{listed}/export.csv",
        f"{listed}/export.csv?encoding=gb18030",
        f"{listed}/export.xlsx",
        f"{listed}/notice",
        f"/projects/{confidential_ids['project']}",
    ):
        reply = officer.get(path)
        assert reply.status == 200, (path, reply.status)
        assert REAL_NAME not in _text(reply), path
        assert CODE_NAME in _text(reply), path
    # Only the owner and the managers edit a confidential project: the form is refused, unread.
    for path in (f"/projects/{confidential_ids['project']}/edit",):
        reply = officer.get(path)
        assert reply.status == 403 and REAL_NAME not in reply.text
    token = officer.csrf_token("/rewards/referrals/new")
    posted = officer.post(
        f"/projects/{confidential_ids['project']}/edit",
        {"csrf_token": token, "name": CODE_NAME, "version": "3"},
    )
    assert posted.status == 403 and REAL_NAME not in posted.text


def test_the_owner_and_the_manager_read_it(confidential_ids, live_server):
    for username in ("a_staff", "a_manager"):
        reader = live_server.client()
        assert reader.login(username).status == 302
        for path in (
            "/rewards/referrals",
            "/rewards/referrals/new",
            f"/rewards/lists/{confidential_ids['list']}/export.csv",
            f"/rewards/lists/{confidential_ids['list']}/export.xlsx",
            f"/projects/{confidential_ids['project']}/edit",
        ):
            reply = reader.get(path)
            assert reply.status == 200 and REAL_NAME in _text(reply), (username, path)


def test_a_search_by_the_real_name_finds_nothing_for_another_officer(confidential_ids, live_server):
    officer = live_server.logged_in("a_staff2")
    for path in (
        "/projects?q=%E6%95%B4%E8%BD%A6%E5%9F%BA%E5%9C%B0",
        "/projects/board?q=%E6%95%B4%E8%BD%A6%E5%9F%BA%E5%9C%B0",
        "/projects/export.csv?q=%E6%95%B4%E8%BD%A6%E5%9F%BA%E5%9C%B0",
    ):  # q=整车基地
        assert CODE_NAME not in officer.get(path).text, path
    assert CODE_NAME in officer.get("/projects?q=%E4%B8%80%E5%8F%B7").text  # q=一号: by its code name
