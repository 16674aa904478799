"""Reads between counties: the transfers, agreements and collision alerts a user may see, and
the project names they show.

The project of a transfer or an alert may belong to a county the reader cannot read, so its
name is read here under a narrow system read (name, code name, owner, county) and passed
through the confidential rule (``crm.projects.confidential``): the real name only for the
project's owner and its county's managers. A collision shows the other county's project by
its code name only (or 他县项目 when it has none) — never its name, amounts or contacts.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from crm.coordination.access import readable_counties
from crm.coordination.models import BenefitAgreement, CollisionAlert, Transfer
from crm.coordination.shares import agreements_touching
from crm.core.db import db
from crm.core.tenancy import current_scope, system_scope
from crm.projects.confidential import NameRef, may_see_real_name
from crm.regions.models import Region

__all__ = [
    "agreements_for",
    "collision_label",
    "collisions_for",
    "county_names",
    "inbox_counts",
    "project_label",
    "transfers_for",
]


def _refs(project_ids) -> dict[int, NameRef]:
    from crm.projects.models import Project

    ids = sorted(set(project_ids))
    if not ids:
        return {}
    with system_scope():
        rows = db.session.execute(
            select(Project.id, Project.name, Project.code_name, Project.owner_id, Project.county_id).where(
                Project.id.in_(ids)
            )
        ).all()
    return {pid: NameRef(name, code, owner, county) for pid, name, code, owner, county in rows}


def project_labels(project_ids, viewer) -> dict[int, str]:
    """{project: the name ``viewer`` may read} (code names of confidential projects)."""
    return {
        pid: (ref.name if may_see_real_name(ref, viewer) else ref.code_name)
        for pid, ref in _refs(project_ids).items()
    }


def project_label(project_id: int, viewer) -> str:
    return project_labels([project_id], viewer).get(project_id, "")


def collision_labels(alerts, viewer) -> dict[int, str]:
    """{project: label} for the alerts' projects as ``viewer`` reads them in an alert: a
    project of the viewer's own county by the confidential rule, any other by code name."""
    ids = {pid for a in alerts for pid in (a.project_a_id, a.project_b_id)}
    refs = _refs(ids)
    own = getattr(viewer, "county_id", None)
    labels = {}
    for pid, ref in refs.items():
        if own is not None and ref.county_id == own:
            labels[pid] = ref.name if may_see_real_name(ref, viewer) else ref.code_name
        else:
            labels[pid] = ref.code_name or _("他县项目")
    return labels


def collision_label(alert, project_id: int, viewer) -> str:
    return collision_labels([alert], viewer).get(project_id, "")


def county_names(county_ids=None) -> dict[int, str]:
    query = select(Region.id, Region.name)
    if county_ids is not None:
        query = query.where(Region.id.in_(sorted(set(county_ids))))
    return dict(db.session.execute(query).all())


def _pair_visible(a_column, b_column):
    readable = sorted(readable_counties()) or [-1]
    return or_(a_column.in_(readable), b_column.in_(readable))


def transfers_for(status: str | None = None) -> list[Transfer]:
    """The transfers naming a county the reader reads, newest first."""
    query = select(Transfer).where(_pair_visible(Transfer.from_county_id, Transfer.to_county_id))
    if status:
        query = query.where(Transfer.status == status)
    return list(db.session.execute(query.order_by(Transfer.id.desc())).scalars())


def agreements_for() -> list[BenefitAgreement]:
    return sorted(agreements_touching(readable_counties()), key=lambda a: -a.id)


def _collision_visible(viewer):
    readable = sorted(readable_counties()) or [-1]
    if viewer.has_role("coordinator"):
        return CollisionAlert.county_a_id.in_(readable) & CollisionAlert.county_b_id.in_(readable)
    return or_(CollisionAlert.county_a_id.in_(readable), CollisionAlert.county_b_id.in_(readable))


def collisions_for(viewer, status: str | None = None) -> list[CollisionAlert]:
    query = select(CollisionAlert).where(_collision_visible(viewer))
    if status:
        query = query.where(CollisionAlert.status == status)
    return list(db.session.execute(query.order_by(CollisionAlert.id.desc())).scalars())


def inbox_counts(county_ids) -> tuple[int, int]:
    """(offers awaiting an answer by these counties, open collision alerts naming them)."""
    ids = sorted(county_ids) or [-1]
    offers = db.session.execute(
        select(func.count())
        .select_from(Transfer)
        .where(Transfer.status == "offered", Transfer.to_county_id.in_(ids))
    ).scalar_one()
    alerts = db.session.execute(
        select(func.count())
        .select_from(CollisionAlert)
        .where(
            CollisionAlert.status == "open",
            or_(CollisionAlert.county_a_id.in_(ids), CollisionAlert.county_b_id.in_(ids)),
        )
    ).scalar_one()
    return offers, alerts


def scope_is_set() -> bool:
    return current_scope() is not None
