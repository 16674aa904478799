"""XLSX and CSV of a reward list or of a computed eligibility (same layout for both).

``source`` is a ``RewardList`` (its snapshot of the rule) or an ``Eligibility`` (the live
rule); both expose period text/start/end and lines with the same attribute names.
``viewer`` is who reads the file: each project is named as they may see it (code names of
confidential projects when None; crm/projects/confidential.py).
"""

from __future__ import annotations

from flask_babel import gettext as _

from crm.core import clock
from crm.projects.confidential import name_for
from crm.projects.models import STAGE_LABELS
from crm.rewards.conditions import describe_options
from crm.rewards.models import BASES, MODE_LABELS, REFERRER_KINDS, RewardList
from crm.rewards.util import describe_tiers, tiers_from_json
from crm.util.exports import Sheet, write_csv, write_xlsx


def _rule_of(source):
    """The rule parameters: a list's snapshot, or the live rule of an eligibility."""
    return source if isinstance(source, RewardList) else source.rule


def _kind(code):
    return _(REFERRER_KINDS[code]) if code in REFERRER_KINDS else ""


def eligible_headers():
    return [
        _("序号"),
        _("项目名称"),
        _("引荐人"),
        _("引荐人类型"),
        _("达到节点日期"),
        _("奖励基数（万元）"),
        _("适用比例"),
        _("计算过程"),
        _("奖励金额（万元）"),
        _("是否封顶"),
    ]


def _name(line, viewer) -> str:
    return name_for(line.project_ref, viewer)


def eligible_rows(source, viewer=None):
    return [
        [
            n,
            _name(line, viewer),
            line.referrer_name,
            _kind(line.referrer_kind),
            line.milestone_reached_on,
            line.basis_wan,
            line.rates,
            line.arithmetic,
            line.reward_wan,
            bool(line.capped),
        ]
        for n, line in enumerate(source.eligible_lines, start=1)
    ]


def ineligible_headers():
    return [
        _("序号"),
        _("项目名称"),
        _("引荐人"),
        _("签约日期"),
        _("备案日期"),
        _("达到节点日期"),
        _("奖励基数（万元）"),
        _("不予奖励原因"),
    ]


def ineligible_rows(source, viewer=None):
    return [
        [
            n,
            _name(line, viewer),
            line.referrer_name,
            line.signed_on,
            line.referral_registered_on,
            line.milestone_reached_on,
            line.basis_wan,
            line.reason,
        ]
        for n, line in enumerate(source.ineligible_lines, start=1)
    ]


def rule_rows(source):
    rule = _rule_of(source)
    rows = [
        [_("办法名称"), rule.rule_name],
        [_("版本"), _("第%(n)d版", n=rule.rule_version)],
        [_("计算基数"), _(BASES.get(rule.basis, rule.basis))],
        [_("达到节点"), _(STAGE_LABELS.get(rule.milestone, rule.milestone))],
        [_("计算方式"), _(MODE_LABELS.get(rule.mode, rule.mode))],
        [_("档位"), describe_tiers(rule.tiers)],
    ]
    for number, tier in enumerate(tiers_from_json(rule.tiers), start=1):
        rows.append(
            [
                _("第%(n)d档", n=number),
                _(
                    "上限 %(upper)s 万元，比例 %(rate)s‰",
                    upper=_("不限") if tier.upper_wan is None else f"{tier.upper_wan:.2f}",
                    rate=f"{tier.rate_permille.normalize():f}",
                ),
            ]
        )
    rows += [
        [_("单个项目封顶（万元）"), rule.cap_wan if rule.cap_wan is not None else _("不封顶")],
        [_("公职人员不予个人奖励"), bool(rule.exclude_public_officials)],
        *[[label, value] for label, value in describe_options(rule)],
        [
            _("期间"),
            f"{source.period_text}（{source.period_start.isoformat()} 至 {source.period_end.isoformat()}）",
        ],
        [_("状态"), status_text(source)],
        [_("奖励合计（万元）"), source.total_reward_wan],
    ]
    return rows


def status_text(source) -> str:
    if isinstance(source, RewardList):
        if source.is_finalized:
            return _("已定稿（%(when)s）", when=clock.local_minute(source.finalized_at))
        return _("草稿，未定稿")
    return _("按当前数据计算，未定稿")


def to_xlsx(source, viewer=None) -> bytes:
    return write_xlsx(
        [
            Sheet(_("符合条件"), eligible_headers(), eligible_rows(source, viewer)),
            Sheet(_("不符合条件"), ineligible_headers(), ineligible_rows(source, viewer)),
            Sheet(_("奖励办法"), [_("项目"), _("内容")], rule_rows(source)),
        ]
    )


def to_csv(source, encoding: str = "utf-8-sig", viewer=None) -> bytes:
    headers = [
        _("序号"),
        _("项目名称"),
        _("引荐人"),
        _("引荐人类型"),
        _("达到节点日期"),
        _("是否符合条件"),
        _("奖励基数（万元）"),
        _("适用比例"),
        _("计算过程"),
        _("奖励金额（万元）"),
        _("是否封顶"),
        _("不予奖励原因"),
    ]
    rows = [
        [
            n,
            _name(line, viewer),
            line.referrer_name,
            _kind(line.referrer_kind),
            line.milestone_reached_on,
            bool(line.eligible),
            line.basis_wan,
            line.rates,
            line.arithmetic,
            line.reward_wan if line.eligible else None,
            bool(line.capped),
            line.reason,
        ]
        for n, line in enumerate(source.lines, start=1)
    ]
    return write_csv(headers, rows, encoding=encoding)


def file_stem(source) -> str:
    rule = _rule_of(source)
    return f"{rule.rule_name}_{source.period_text}_奖励名单"
