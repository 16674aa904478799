"""Demo activities over the demo projects, and follow-ups due for every officer."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from crm.activities.models import Activity
from crm.core.db import db
from crm.projects.models import STAGES, Project

# (kind, subject, summary, next step) by how far a project has come.
EARLY = [
    (
        "call",
        "电话初步对接投资意向",
        "了解企业扩产计划及选址考虑，对方对园区配套较感兴趣。",
        "寄送园区招商手册和优惠政策汇编",
    ),
    (
        "visit",
        "登门拜访企业总部",
        "与企业投资发展部座谈，介绍县域产业链基础和要素保障。",
        "邀请企业来县实地考察",
    ),
    ("event", "西洽会期间推介对接", "在展会签到区与企业负责人交换名片，约定后续联系。", "一周内电话回访"),
    (
        "call",
        "电话回访项目进展",
        "企业内部仍在比选三个候选地，预计下月决策。",
        "准备用地、用电、用工对比材料",
    ),
]
MIDDLE = [
    (
        "site_visit",
        "企业高管来县实地考察",
        "陪同考察工业园区标准化厂房及周边配套，县领导会见。",
        "提供地块规划条件和电力接入方案",
    ),
    (
        "meeting",
        "召开项目专题协调会",
        "发改、自然资源、供电等部门参会，逐项梳理要素需求。",
        "各部门三个工作日内反馈意见",
    ),
    (
        "negotiation",
        "投资协议条款洽谈",
        "就固定资产投资强度、投产时间和履约条款交换意见。",
        "修改协议文本，报县政府常务会审议",
    ),
    ("negotiation", "第二轮合同洽谈", "双方就土地出让方式和厂房代建达成一致。", "准备签约仪式"),
]
LATE = [
    ("meeting", "项目开工前服务对接", "协调办理施工许可、临时用电和环评批复。", "跟踪施工许可办理进度"),
    ("visit", "项目建设现场服务", "查看主体结构施工进度，企业反映用工紧张。", "对接人社局组织专场招聘会"),
    (
        "call",
        "了解投产及到位资金情况",
        "企业反馈设备已到货调试，本月新增到位资金已入账。",
        "收集到位资金凭证",
    ),
    (
        "meeting",
        "包抓领导调度会",
        "听取项目推进汇报，研究解决配套道路建设问题。",
        "交通局牵头制定道路施工方案",
    ),
]
PARTICIPANTS = [
    "投资促进局 王科长、李专员",
    "县政府 张副县长；投资促进局 赵局长",
    "企业 陈总、刘经理；投资促进局 孙专员",
    "园区管委会 周主任；企业 吴总",
]


def _templates_for(stage: str):
    index = STAGES.index(stage) if stage in STAGES else 1
    if index <= 1:
        return EARLY
    if index <= 3:
        return EARLY[:2] + MIDDLE
    return EARLY[:1] + MIDDLE[::2] + LATE


def load_demo(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    projects = db.session.execute(select(Project).order_by(Project.id)).scalars().all()
    for project in projects:
        templates = _templates_for(project.stage)
        count = rng.randint(2, min(6, len(templates)))
        start = project.first_contact_on or today - timedelta(days=rng.randint(60, 500))
        span = max((today - start).days, count)
        days = sorted(rng.sample(range(span), count))
        for offset, (kind, subject, summary, step) in zip(days, templates):
            occurred = start + timedelta(days=offset)
            db.session.add(
                Activity.on_project(
                    project,
                    kind=kind,
                    occurred_on=occurred,
                    subject=subject,
                    summary=summary,
                    next_step=step,
                    participants=rng.choice(PARTICIPANTS),
                    created_by_id=project.owner_id,
                    next_follow_up_on=occurred + timedelta(days=rng.choice((3, 7, 14))),
                )
            )
    _schedule_followups(ctx, projects)


def _schedule_followups(ctx, projects) -> None:
    """Give every officer overdue, due-today and this-week follow-ups, the rest later."""
    rng, today = ctx.rng, ctx.today
    week_end = today + timedelta(days=6 - today.weekday())
    by_owner: dict[int, list[Project]] = {}
    for project in projects:
        if project.stage != "lost" and project.owner_id:
            by_owner.setdefault(project.owner_id, []).append(project)
    for owned in by_owner.values():
        rng.shuffle(owned)
        for position, project in enumerate(owned):
            if position < 3:
                due = today - timedelta(days=rng.randint(1, 20))
            elif position < 5:
                due = today
            elif position < 8:
                due = today + timedelta(days=rng.randint(1, max(1, (week_end - today).days)))
            else:
                due = today + timedelta(days=rng.randint(8, 60))
            project.next_follow_up_on = due
