"""Collision alerts (撞车): two counties pursuing the same investor.

A project "pursues" its investor while it is not 终止 (lost). Two projects of different
counties collide when their investors are the same company (matched by its credit code,
``uscc``, when it has one, else ``company``) or two companies with the same normalised name
(``crm.util.names.normalise_company_name``: legal-form suffixes such as 有限公司/股份/(集团),
brackets and spaces stripped — ``name``). One alert per pair of counties and investor
(normalised name), naming the first pair of projects found.

首谈 (first contact) of a project is the earliest of its ``first_contact_on``, its
activities' dates and the day it was recorded; the county with the earlier one recorded
first contact (the lower project id on a tie).

Detection runs on commit of any session that created a project or changed its investor or
stage (``init_app`` installs the listener), so pages, API, CLI and demo all raise alerts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import event, func, or_, select

from crm.coordination.models import CollisionAlert
from crm.core.db import db
from crm.core.session import TenantSession, on_core_insert
from crm.core.tenancy import system_scope
from crm.util.names import normalise_company_name

__all__ = ["detect_collisions", "first_contact", "init_listeners"]

PENDING = "coordination_collision_projects"


def first_contact(project_ids) -> dict[int, date]:
    """{project: 首谈 date} (see the module's rule). Run under a scope reading them."""
    from crm.activities.models import Activity
    from crm.projects.models import Project

    ids = list(project_ids)
    if not ids:
        return {}
    found = {}
    for pid, first, created in db.session.execute(
        select(Project.id, Project.first_contact_on, Project.created_at).where(Project.id.in_(ids))
    ):
        found[pid] = min(d for d in (first, created.date() if created else None) if d is not None)
    for pid, earliest in db.session.execute(
        select(Activity.project_id, func.min(Activity.occurred_on))
        .where(Activity.project_id.in_(ids))
        .group_by(Activity.project_id)
    ):
        if earliest is not None and pid in found:
            found[pid] = min(found[pid], earliest)
    return found


def _known(county_a: int, county_b: int, key: str, made) -> bool:
    """An alert of these two counties on this investor exists (or was just made)."""
    if any(m.county_a_id == county_a and m.county_b_id == county_b and m.company_key == key for m in made):
        return True
    return (
        db.session.execute(
            select(CollisionAlert.id).where(
                CollisionAlert.company_key == key,
                or_(
                    (CollisionAlert.county_a_id == county_a) & (CollisionAlert.county_b_id == county_b),
                    (CollisionAlert.county_a_id == county_b) & (CollisionAlert.county_b_id == county_a),
                ),
            )
        ).first()
        is not None
    )


LOOKUP_CHUNK = 500  # ids, names or keys per IN list


def _chunks(values) -> list[list]:
    values = sorted(set(values))
    return [values[start : start + LOOKUP_CHUNK] for start in range(0, len(values), LOOKUP_CHUNK)]


def detect_collisions(project_ids) -> list[CollisionAlert]:
    """Make the alerts the projects ``project_ids`` raise that do not exist yet.

    A few queries for any number of projects (a ledger import commits 20,000): the pursued
    projects with their investors, then every other project pursuing one of those investors
    (by id, normalised name or name), matched in Python pursued project by pursued project,
    the other projects in id order."""
    from crm.companies.models import Company
    from crm.projects.models import Project

    made = []
    with system_scope():
        pursued = []
        for chunk in _chunks(project_ids):
            pursued.extend(
                db.session.execute(
                    select(Project.id, Project.county_id, Company)
                    .join(Company, Company.id == Project.investor_company_id)
                    .where(Project.id.in_(chunk), Project.stage != "lost")
                    .order_by(Project.id)
                ).all()
            )
        # The key from the name itself: a record made without the companies' service may
        # not have kept ``name_key``.
        keys = {pid: normalise_company_name(company.name) for pid, _county, company in pursued}
        others: dict[int, tuple] = {}
        for column, values in (
            (Company.id, {company.id for _pid, _county, company in pursued}),
            (Company.name_key, set(keys.values())),
            (Company.name, {company.name for _pid, _county, company in pursued}),
        ):
            for chunk in _chunks(values):
                for oid, ocounty, ocompany in db.session.execute(
                    select(Project.id, Project.county_id, Company)
                    .join(Company, Company.id == Project.investor_company_id)
                    .where(Project.stage != "lost", column.in_(chunk))
                ):
                    others[oid] = (oid, ocounty, ocompany)
        by_company, by_key, by_name = defaultdict(list), defaultdict(list), defaultdict(list)
        for other in others.values():
            by_company[other[2].id].append(other)
            by_key[other[2].name_key].append(other)
            by_name[other[2].name].append(other)
        rows = []
        for pid, county, company in pursued:
            matches = {
                other[0]: other
                for other in (*by_company[company.id], *by_key[keys[pid]], *by_name[company.name])
                if other[1] != county
            }
            rows.extend(
                (pid, county, oid, ocounty, company, ocompany)
                for oid, ocounty, ocompany in sorted(matches.values(), key=lambda o: o[0])
            )
        for pid, county, oid, ocounty, company, ocompany in rows:
            a, b = sorted(((pid, county), (oid, ocounty)))
            key = normalise_company_name(company.name) or f"#{company.id}"
            if _known(a[1], b[1], key, made):
                continue
            if company.id == ocompany.id:
                match = "uscc" if company.uscc else "company"
            else:
                match = "name"
            dates = first_contact([a[0], b[0]])
            first = a[1] if (dates[a[0]], a[0]) <= (dates[b[0]], b[0]) else b[1]
            alert = CollisionAlert(
                project_a_id=a[0],
                project_b_id=b[0],
                county_a_id=a[1],
                county_b_id=b[1],
                match=match,
                company_label=company.name,
                company_key=key,
                first_county_id=first,
                first_contact_a=dates[a[0]],
                first_contact_b=dates[b[0]],
            )
            db.session.add(alert)
            made.append(alert)
        if made:
            db.session.flush()
    return made


def _note_projects(session, flush_context) -> None:
    from crm.projects.models import Project

    pending = session.info.setdefault(PENDING, set())
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Project) and obj.id is not None:
            pending.add(obj.id)


def _note_inserted_projects(session, model, ids) -> None:
    from crm.projects.models import Project

    if model is Project:  # projects a bulk path wrote without a flush (a ledger import)
        session.info.setdefault(PENDING, set()).update(ids)


def _detect_before_commit(session) -> None:
    if not session.info.get(PENDING):
        return
    # Flushed under the writer's own scope first: what the check reads must not flush the
    # writer's changes as the system's (the audit row names who wrote them).
    session.flush()
    pending = session.info.pop(PENDING, None)
    if pending:
        detect_collisions(sorted(pending))


def init_listeners() -> None:
    if not event.contains(TenantSession, "before_commit", _detect_before_commit):
        event.listen(TenantSession, "before_commit", _detect_before_commit)
        event.listen(TenantSession, "after_flush", _note_projects)
        on_core_insert(_note_inserted_projects)
        event.listen(TenantSession, "after_rollback", lambda s: s.info.pop(PENDING, None))
