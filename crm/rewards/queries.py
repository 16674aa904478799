"""Reading rewards for the pages: one page of referrals, disputes, rules or lists, the pickers.

Every statement runs under the tenant scope (a county reads its own records, a coordinator
those of the counties below it). Pages are cut in SQL (``page``/``per_page``) and counted
apart, so a province's deep page stays cheap.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload

from crm.core.county_cache import per_county
from crm.core.db import db
from crm.core.pagination import page_slice
from crm.core.tenancy import county_in, readable_county_ids
from crm.projects.confidential import name_column
from crm.projects.models import Project
from crm.regions import services as regions
from crm.rewards.models import REFERRAL_STATUSES, Referral, RewardList, RewardRule
from crm.util.pinyin import sort_key

__all__ = [
    "current_rules",
    "dispute_count",
    "disputes_page",
    "inbox_counts",
    "lists_page",
    "project_choices",
    "project_referrals",
    "referrals_page",
    "rule_lists",
    "rule_versions",
    "rules_page",
    "warm_referral_order",
]
REFERRAL_ORDER = "referral_order"


def _page(statement, count_statement, page: int, per_page: int) -> dict:
    """One page of an ORM select as template arguments for ``pager``: ``rows``, ``page``,
    ``per_page``, ``total``. ``count_statement`` counts the same rows without the ordering."""
    total = db.session.execute(count_statement).scalar_one()
    rows = db.session.execute(page_slice(statement, page, per_page)).unique().scalars().all()
    return {"rows": rows, "page": page, "per_page": per_page, "total": total}


def dispute_count() -> int:
    """Claims waiting for a manager (the badge on the disputes tab)."""
    return db.session.execute(
        select(func.count()).select_from(Referral).where(Referral.status == "disputed")
    ).scalar_one()


def referrals_page(status: str | None, page: int, per_page: int) -> dict:
    """Referrals ordered by project name, optionally of one status, with their projects.

    The order is read from each county's referrals sorted by project name, kept per county
    (:func:`crm.core.county_cache.per_county`) and merged: sorting a province's 100,000
    referrals by the names of their projects took SQLite 120 ms a page, while merging kept
    lists takes a few, and a write re-sorts only its own county's.
    """
    status = status if status in REFERRAL_STATUSES else None
    county_ids = readable_county_ids()
    by_county = per_county(REFERRAL_ORDER, county_ids, _referrals_by_project_name).values()
    total = sum(order.counts.get(status, 0) if status else len(order.keys) for order in by_county)
    ordered = heapq.merge(*(order.rows(status) for order in by_county))
    start = (page - 1) * per_page
    ids = [referral_id for _name, referral_id in itertools.islice(ordered, start, start + per_page)]
    loaded = (
        db.session.execute(
            select(Referral)
            .join(Referral.project)
            .options(contains_eager(Referral.project))
            .where(Referral.id.in_(ids))
        )
        .scalars()
        .all()
        if ids
        else []
    )
    position = {referral_id: index for index, referral_id in enumerate(ids)}
    rows = sorted(loaded, key=lambda referral: position[referral.id])
    return {"rows": rows, "page": page, "per_page": per_page, "total": total}


@dataclass(frozen=True)
class _ReferralOrder:
    """One county's referrals in page order: ``(project name, referral id)`` sorted, the
    status of each, and how many have each status."""

    keys: tuple[tuple[str, int], ...]
    statuses: tuple[str, ...]
    counts: dict[str, int]

    def rows(self, status: str | None):
        if status is None:
            return iter(self.keys)
        return (key for key, its in zip(self.keys, self.statuses) if its == status)


def _referrals_by_project_name(county_ids: list[int]) -> dict[int, _ReferralOrder]:
    rows = db.session.execute(
        select(Referral.county_id, Project.name, Referral.id, Referral.status)
        .join(Referral.project)
        .where(county_in(Referral.county_id, county_ids))
    ).all()
    # Sorted here, not by the database: the merge across counties compares as Python does,
    # so each county's list must be in Python's order whatever the database's collation.
    rows.sort(key=lambda row: (row[1], row[2]))
    grouped: dict[int, list] = {county_id: [] for county_id in county_ids}
    for county_id, name, referral_id, status in rows:
        grouped[county_id].append(((name, referral_id), status))
    return {
        county_id: _ReferralOrder(
            tuple(key for key, _ in pairs),
            tuple(status for _, status in pairs),
            dict(Counter(status for _, status in pairs)),
        )
        for county_id, pairs in grouped.items()
    }


def warm_referral_order(deadline: float) -> None:
    """Every county's referrals in page order into the county cache (``chaincrm serve`` at
    start, crm/core/warmup.py): a province's first referrals page then only merges them."""
    county_ids = regions.county_ids()
    if county_ids:
        per_county(REFERRAL_ORDER, county_ids, _referrals_by_project_name)


def disputes_page(page: int, per_page: int) -> dict:
    """Disputed claims, oldest first, with their projects."""
    return _page(
        select(Referral)
        .where(Referral.status == "disputed")
        .options(joinedload(Referral.project))
        .order_by(Referral.created_at, Referral.id),
        select(func.count()).select_from(Referral).where(Referral.status == "disputed"),
        page,
        per_page,
    )


def rules_page(page: int, per_page: int) -> dict:
    """Rules by year (newest first), each lineage's versions newest first."""
    return _page(
        select(RewardRule).order_by(
            RewardRule.year.desc(), RewardRule.lineage_id, RewardRule.rule_version.desc(), RewardRule.id
        ),
        select(func.count()).select_from(RewardRule),
        page,
        per_page,
    )


# Lists a manager still has to finalize: drafts and those under publicity (公示中).
UNFINALIZED = ("draft", "publicized")


def lists_page(page: int, per_page: int, unfinalized: bool = False) -> dict:
    """Reward lists, newest first; only those awaiting finalization if ``unfinalized``."""
    where = [RewardList.status.in_(UNFINALIZED)] if unfinalized else []
    return _page(
        select(RewardList).where(*where).order_by(RewardList.id.desc()),
        select(func.count()).select_from(RewardList).where(*where),
        page,
        per_page,
    )


def inbox_counts(county_ids) -> dict[str, int]:
    """What waits for a manager in ``county_ids`` (the dashboard's inbox): ``disputed``
    referrals and reward lists ``unfinalized`` (draft or under publicity)."""
    counties = sorted(county_ids)
    disputed = db.session.execute(
        select(func.count())
        .select_from(Referral)
        .where(county_in(Referral.county_id, counties), Referral.status == "disputed")
    ).scalar_one()
    unfinalized = db.session.execute(
        select(func.count())
        .select_from(RewardList)
        .where(county_in(RewardList.county_id, counties), RewardList.status.in_(UNFINALIZED))
    ).scalar_one()
    return {"disputed": int(disputed), "unfinalized": int(unfinalized)}


def rule_lists(rule: RewardRule) -> list[RewardList]:
    """Every list made from any version of ``rule``, newest first."""
    return (
        db.session.execute(
            select(RewardList)
            .where(RewardList.rule_lineage_id == (rule.lineage_id or rule.id))
            .order_by(RewardList.id.desc())
        )
        .scalars()
        .all()
    )


def rule_versions(rule: RewardRule) -> list[RewardRule]:
    """Every version of ``rule``, oldest first."""
    return (
        db.session.execute(
            select(RewardRule)
            .where(RewardRule.lineage_id == (rule.lineage_id or rule.id))
            .order_by(RewardRule.rule_version)
        )
        .scalars()
        .all()
    )


def current_rules() -> list[RewardRule]:
    """The rules a new list may use: the current version of each."""
    return (
        db.session.execute(
            select(RewardRule)
            .where(RewardRule.superseded_by_id.is_(None))
            .order_by(RewardRule.year.desc(), RewardRule.id)
        )
        .scalars()
        .all()
    )


def project_choices(viewer) -> list[tuple[int, str]]:
    """(id, name) of every project, named and ordered (in pinyin) as ``viewer`` may read
    them: a confidential project is listed by its code name, in the code name's place (its
    real name's place would hint at the name)."""
    shown = name_column(viewer)
    rows = sorted(
        db.session.execute(select(Project.id, shown)).all(), key=lambda row: (sort_key(row[1]), row[0])
    )
    # Two projects of one name are told apart by their numbers.
    counts = Counter(name for _id, name in rows)
    return [
        (project_id, name if counts[name] == 1 else _("%(name)s（编号 %(id)s）", name=name, id=project_id))
        for project_id, name in rows
    ]


def project_referrals(project_id: int) -> list[Referral]:
    """A project's referrals (disputed claims included) for its page, oldest first."""
    return list(
        db.session.execute(
            select(Referral)
            .where(Referral.project_id == project_id)
            .order_by(Referral.registered_on, Referral.id)
        ).scalars()
    )
