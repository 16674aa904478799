"""XLSX and CSV of a reward list or of a computed eligibility (same layout for both).

``source`` is a ``RewardList`` (its snapshot of the rule) or an ``Eligibility`` (the live
rule); both expose period text/start/end and lines with the same attribute names.
``viewer`` is who reads the file: each project is named as they may see it (code names of
confidential projects when None; crm/projects/confidential.py).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from flask_babel import gettext as _

from crm.core import clock
from crm.projects.confidential import name_for
from crm.projects.models import STAGE_LABELS
from crm.rewards.conditions import describe_options
from crm.rewards.models import BASES, MODE_LABELS, REFERRER_KINDS, RewardList
from crm.rewards.util import describe_tiers, tiers_from_json
from crm.util.exports import Column, Sheet, table_sheet, write_csv, write_xlsx


def _rule_of(source):
    """The rule parameters: a list's snapshot, or the live rule of an eligibility."""
    return source if isinstance(source, RewardList) else source.rule


def _kind(code):
    return _(REFERRER_KINDS[code]) if code in REFERRER_KINDS else ""


class NumberedLine(NamedTuple):
    """A line of the list with its 序号 (from 1)."""

    number: int
    line: Any


def _numbered(lines) -> list[NumberedLine]:
    return [NumberedLine(number, line) for number, line in enumerate(lines, start=1)]


def _lead_columns(viewer) -> list[Column]:
    """The columns every table of the list starts with: 序号, the project as ``viewer`` may
    name it, and its referrer."""
    return [
        Column(_("序号"), lambda row: row.number),
        Column(_("项目名称"), lambda row: name_for(row.line.project_ref, viewer)),
        Column(_("引荐人"), lambda row: row.line.referrer_name),
    ]


def eligible_columns(viewer=None) -> list[Column]:
    return [
        *_lead_columns(viewer),
        Column(_("引荐人类型"), lambda row: _kind(row.line.referrer_kind)),
        Column(_("达到节点日期"), lambda row: row.line.milestone_reached_on),
        Column(_("奖励基数（万元）"), lambda row: row.line.basis_wan),
        Column(_("适用比例"), lambda row: row.line.rates),
        Column(_("计算过程"), lambda row: row.line.arithmetic),
        Column(_("奖励金额（万元）"), lambda row: row.line.reward_wan),
        Column(_("是否封顶"), lambda row: bool(row.line.capped)),
    ]


def ineligible_columns(viewer=None) -> list[Column]:
    return [
        *_lead_columns(viewer),
        Column(_("签约日期"), lambda row: row.line.signed_on),
        Column(_("备案日期"), lambda row: row.line.referral_registered_on),
        Column(_("达到节点日期"), lambda row: row.line.milestone_reached_on),
        Column(_("奖励基数（万元）"), lambda row: row.line.basis_wan),
        Column(_("不予奖励原因"), lambda row: row.line.reason),
    ]


def all_lines_columns(viewer=None) -> list[Column]:
    """The CSV's one table of every line, eligible or not."""
    return [
        *_lead_columns(viewer),
        Column(_("引荐人类型"), lambda row: _kind(row.line.referrer_kind)),
        Column(_("达到节点日期"), lambda row: row.line.milestone_reached_on),
        Column(_("是否符合条件"), lambda row: bool(row.line.eligible)),
        Column(_("奖励基数（万元）"), lambda row: row.line.basis_wan),
        Column(_("适用比例"), lambda row: row.line.rates),
        Column(_("计算过程"), lambda row: row.line.arithmetic),
        Column(_("奖励金额（万元）"), lambda row: row.line.reward_wan if row.line.eligible else None),
        Column(_("是否封顶"), lambda row: bool(row.line.capped)),
        Column(_("不予奖励原因"), lambda row: row.line.reason),
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
            table_sheet(_("符合条件"), eligible_columns(viewer), _numbered(source.eligible_lines)),
            table_sheet(_("不符合条件"), ineligible_columns(viewer), _numbered(source.ineligible_lines)),
            Sheet(_("奖励办法"), [_("项目"), _("内容")], rule_rows(source)),
        ]
    )


def to_csv(source, encoding: str = "utf-8-sig", viewer=None) -> bytes:
    sheet = table_sheet("", all_lines_columns(viewer), _numbered(source.lines))  # a CSV has no title
    return write_csv(sheet.headers, sheet.rows, encoding=encoding)


def file_stem(source) -> str:
    rule = _rule_of(source)
    return f"{rule.rule_name}_{source.period_text}_奖励名单"
