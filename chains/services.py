"""Chain services: create from templates, edit segments/links/firms, import/export JSON,
build the chain graph from rows, analyse it, and turn a target firm into a lead.

Shared by views, API and demo. Every function flushes and never commits. Rules live in
the pure layer (``chains.analysis``, ``chains.documents``); this module applies them to
database rows and turns their refusals into ``ServiceError`` messages.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
from flask_babel import gettext as _
from sqlalchemy import func, select

from chains.analysis import (
    CycleError,
    chain_summary,
    check_new_link,
    critical_gaps,
    extension_suggestions,
    leader_supply_rates,
    segment_statuses,
)
from chains.build import (
    CLOSED_PROJECT_STAGES,
    FirmRow,
    LinkRow,
    ProjectAim,
    SegmentRow,
    build_chain_graph,
    document_from_graph,
)
from chains.catalog import TEMPLATE_KEYS, load_template
from chains.documents import ChainDocumentError, Problem, normalize_chain_document, parse_chain_document
from chains.models import Chain, ChainFirm, ProjectSegment, Segment, SegmentLink
from chains.vocabulary import IMPORTANCES, PRESENCES, ROLES, STAGES
from crm.companies.models import Company
from crm.core.db import added, changed, db
from crm.core.errors import ServiceError, refuse_stale
from crm.core.i18n import N_
from crm.core.input_guard import BadInput, load_json
from crm.core.tenancy import current_scope
from crm.projects.models import Project
from crm.util.names import normalise_company_name
from crm.util.uscc import normalise_uscc

__all__ = [
    "CLOSED_STAGES",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_FIRMS",
    "MAX_IMPORT_SEGMENTS",
    "ChainAnalysis",
    "add_firm",
    "add_link",
    "add_segment",
    "aim_project",
    "analyse",
    "build_graphs",
    "chain_graph",
    "create_chain",
    "create_chain_from_template",
    "create_lead_for_firm",
    "delete_chain",
    "delete_firm",
    "delete_link",
    "delete_segment",
    "export_chain_document",
    "find_or_create_company",
    "import_chain",
    "lead_name",
    "match_companies",
    "open_projects_by_segment",
    "parse_import",
    "unaim_project",
    "update_chain",
    "update_firm",
    "update_segment",
]

MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_SEGMENTS = 500
MAX_IMPORT_FIRMS = 5000
CLOSED_STAGES = tuple(sorted(CLOSED_PROJECT_STAGES))  # projects no longer pursued


# --- chains --------------------------------------------------------------------------


def _clean(text: str | None) -> str:
    return (text or "").strip()


def _check_chain_name(name: str, county_id: int | None, exclude_id: int | None = None) -> str:
    name = _clean(name)
    if not name:
        raise ServiceError(_("产业链名称不能为空"), {"name": [_("请填写产业链名称")]})
    if len(name) > 100:
        raise ServiceError(_("产业链名称过长"), {"name": [_("不超过 100 个字")]})
    query = select(Chain.id).where(Chain.name == name)
    if county_id is not None:
        query = query.where(Chain.county_id == county_id)
    if exclude_id is not None:
        query = query.where(Chain.id != exclude_id)
    if db.session.execute(query).first():
        raise ServiceError(
            _("已有同名产业链“%(name)s”", name=name),
            {"name": [_("本县已有产业链“%(name)s”，请换一个名称", name=name)]},
        )
    return name


def _writer_county(county_id: int | None) -> int:
    if county_id is not None:
        return county_id
    scope = current_scope()
    if scope is None or scope.write_county_id is None:
        raise ServiceError(_("只有县（区）用户可以建立产业链"))
    return scope.write_county_id


def create_chain(
    name: str,
    *,
    leader_official: str = "",
    description: str = "",
    template_key: str | None = None,
    county_id: int | None = None,
) -> Chain:
    """An empty chain (no segments)."""
    county_id = _writer_county(county_id)
    return added(
        Chain(
            county_id=county_id,
            name=_check_chain_name(name, county_id),
            leader_official=_clean(leader_official) or None,
            description=_clean(description) or None,
            template_key=template_key,
        )
    )


def create_chain_from_template(
    template_key: str,
    *,
    name: str = "",
    leader_official: str = "",
    description: str = "",
    county_id: int | None = None,
) -> Chain:
    if template_key not in TEMPLATE_KEYS:
        raise ServiceError(_("未知的产业链模板"), {"template": [_("请选择一个模板")]})
    doc = load_template(template_key)
    doc["name"] = _clean(name) or doc["name"]
    if _clean(description):
        doc["description"] = _clean(description)
    return _write_document(
        doc, county_id=county_id, leader_official=leader_official, template_key=template_key
    )


def update_chain(
    chain: Chain, *, name: str, leader_official: str, description: str, version: int | None = None
) -> Chain:
    current = {"name": chain.name, "leader_official": chain.leader_official, "description": chain.description}
    refuse_stale(chain, version, _("该产业链已被他人修改，当前值已显示，请确认后重新保存。"), current)
    chain.name = _check_chain_name(name, chain.county_id, exclude_id=chain.id)
    chain.leader_official = _clean(leader_official) or None
    chain.description = _clean(description) or None
    db.session.flush()
    return chain


def delete_chain(chain: Chain) -> None:
    """Delete ``chain``: its segments, links, firms and the project aims at its segments go
    with it (the relationships' delete cascade, each row audited; projects stay)."""
    # Sub-segments point at their parent: unhook them first, as the cascade cannot order
    # the deletes of one table pointing at itself.
    for segment in chain.segments:
        segment.parent_id = None
    db.session.flush()
    db.session.delete(chain)
    db.session.flush()


# --- segments ------------------------------------------------------------------------


def _check_choice(value: str, allowed: tuple[str, ...], field_name: str, label: str) -> str:
    if value not in allowed:
        raise ServiceError(
            _("%(label)s无效", label=_(label)), {field_name: [_("请选择%(label)s", label=_(label))]}
        )
    return value


def _check_segment_name(chain: Chain, name: str, exclude_id: int | None = None) -> str:
    name = _clean(name)
    if not name:
        raise ServiceError(_("环节名称不能为空"), {"name": [_("请填写环节名称")]})
    if len(name) > 100:
        raise ServiceError(_("环节名称过长"), {"name": [_("不超过 100 个字")]})
    query = select(Segment.id).where(Segment.chain_id == chain.id, Segment.name == name)
    if exclude_id is not None:
        query = query.where(Segment.id != exclude_id)
    if db.session.execute(query).first():
        raise ServiceError(
            _("环节名称重复：“%(name)s”", name=name), {"name": [_("本产业链已有环节“%(name)s”", name=name)]}
        )
    return name


def _check_parent(chain: Chain, parent_id: int | None, segment: Segment | None = None) -> int | None:
    if not parent_id:
        return None
    parents = {
        s.id: s.parent_id
        for s in db.session.execute(select(Segment).where(Segment.chain_id == chain.id)).scalars()
    }
    if parent_id not in parents:
        raise ServiceError(_("上级环节不存在"), {"parent_id": [_("上级环节必须属于本产业链")]})
    if segment is not None:
        current = parent_id
        while current is not None:
            if current == segment.id:
                raise ServiceError(
                    _("上级环节不能是自身或自身的下级"), {"parent_id": [_("上级环节形成循环")]}
                )
            current = parents.get(current)
    return parent_id


def _segment_values(
    chain: Chain,
    name: str,
    stage: str,
    importance: str,
    parent_id: int | None,
    segment: Segment | None = None,
) -> dict:
    """A segment's checked name, stage, importance and parent in ``chain`` (``segment``: the one
    being edited). Every check reads the chain before anything is set: a value set first would
    be flushed by the next check's query, and one edit would leave two audit rows and two versions."""
    return {
        "name": _check_segment_name(chain, name, exclude_id=segment.id if segment else None),
        "stage": _check_choice(stage, STAGES, "stage", N_("阶段")),
        "importance": _check_choice(importance, IMPORTANCES, "importance", N_("重要度")),
        "parent_id": _check_parent(chain, parent_id, segment),
    }


def add_segment(
    chain: Chain,
    *,
    name: str,
    stage: str,
    importance: str = "general",
    parent_id: int | None = None,
    sort_order: int | None = None,
) -> Segment:
    values = _segment_values(chain, name, stage, importance, parent_id)
    if sort_order is None:
        sort_order = (
            db.session.execute(
                select(func.max(Segment.sort_order)).where(Segment.chain_id == chain.id)
            ).scalar()
            or 0
        ) + 1
    return added(Segment(chain_id=chain.id, county_id=chain.county_id, sort_order=sort_order, **values))


def update_segment(
    segment: Segment,
    *,
    name: str,
    stage: str,
    importance: str,
    parent_id: int | None,
    sort_order: int,
    version: int | None = None,
) -> Segment:
    current = {"name": segment.name, "stage": segment.stage, "importance": segment.importance}
    refuse_stale(segment, version, _("该环节已被他人修改，当前值已显示，请确认后重新保存。"), current)
    values = _segment_values(segment.chain, name, stage, importance, parent_id, segment)
    return changed(segment, {**values, "sort_order": int(sort_order or 0)})


def delete_segment(segment: Segment) -> None:
    """Delete a segment with its links, firms and project aims; sub-segments lose their parent."""
    sid = segment.id
    for model, condition in (
        (SegmentLink, (SegmentLink.supplier_id == sid) | (SegmentLink.consumer_id == sid)),
        (ChainFirm, ChainFirm.segment_id == sid),
        (ProjectSegment, ProjectSegment.segment_id == sid),
    ):
        for row in db.session.execute(select(model).where(condition)).scalars():
            db.session.delete(row)
    for child in db.session.execute(select(Segment).where(Segment.parent_id == sid)).scalars():
        child.parent_id = None
    db.session.flush()
    db.session.delete(segment)
    db.session.flush()


# --- links ---------------------------------------------------------------------------


def _link_graph(chain: Chain) -> nx.DiGraph:
    G = nx.DiGraph()
    for sid, name in db.session.execute(select(Segment.id, Segment.name).where(Segment.chain_id == chain.id)):
        G.add_node(sid, name=name)
    G.add_edges_from(
        db.session.execute(
            select(SegmentLink.supplier_id, SegmentLink.consumer_id).where(SegmentLink.chain_id == chain.id)
        ).all()
    )
    return G


def add_link(chain: Chain, supplier_id: int, consumer_id: int) -> SegmentLink:
    """Add supplier → consumer; refused when it would close a cycle (message names the path)."""
    G = _link_graph(chain)
    for field_name, sid in (("supplier_id", supplier_id), ("consumer_id", consumer_id)):
        if sid not in G:
            raise ServiceError(_("环节不存在"), {field_name: [_("请选择本产业链的环节")]})
    if G.has_edge(supplier_id, consumer_id):
        names = f"{G.nodes[supplier_id]['name']} → {G.nodes[consumer_id]['name']}"
        message = _("供应关系 %(names)s 已存在", names=names)
        raise ServiceError(message, {"consumer_id": [message]})
    try:
        check_new_link(G, supplier_id, consumer_id)
    except CycleError as exc:
        message = _(
            "不能添加供应关系 %(supplier)s → %(consumer)s：将形成循环 %(cycle)s",
            supplier=G.nodes[supplier_id]["name"],
            consumer=G.nodes[consumer_id]["name"],
            cycle=" → ".join(str(G.nodes[node].get("name", node)) for node in exc.path),
        )
        raise ServiceError(message, {"consumer_id": [message]}) from None
    return added(
        SegmentLink(
            chain_id=chain.id, county_id=chain.county_id, supplier_id=supplier_id, consumer_id=consumer_id
        )
    )


def delete_link(link: SegmentLink) -> None:
    db.session.delete(link)
    db.session.flush()


# --- companies and firms -------------------------------------------------------------


def find_or_create_company(name: str, uscc: str | None = None, county_id: int | None = None) -> Company:
    """The shared company with this USCC, else with this name, else a new one."""
    return match_companies([(name, uscc)], county_id)[0]


def _chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def match_companies(pairs: list[tuple[str, str | None]], county_id: int | None = None) -> list[Company]:
    """Match ``(name, uscc)`` pairs to shared companies — by USCC, else by exact name,
    else by normalised name — creating the missing ones. A few queries for the whole
    list, so a chain file with thousands of firms imports quickly."""
    from crm.companies.services import clean_company_data

    wanted = []
    for name, uscc in pairs:
        name, code = _clean(name), normalise_uscc(uscc) if uscc else ""
        if not name and not code:
            raise ServiceError(_("企业名称不能为空"), {"company_name": [_("请选择企业或填写企业名称")]})
        wanted.append((name, code, normalise_company_name(name)))
    codes = sorted({c for _n, c, _k in wanted if c})
    names = sorted({n for n, _c, _k in wanted if n} | {k for _n, _c, k in wanted if k})
    by_code: dict[str, Company] = {}
    for chunk in _chunks(codes):
        by_code.update(
            (c.uscc, c) for c in db.session.execute(select(Company).where(Company.uscc.in_(chunk))).scalars()
        )
    candidates: list[Company] = []
    for chunk in _chunks(names):
        candidates += (
            db.session.execute(
                select(Company)
                .where(Company.name.in_(chunk) | Company.name_key.in_(chunk))
                .order_by(Company.id)
            )
            .scalars()
            .all()
        )
    by_name: dict[str, list[Company]] = {}
    by_key: dict[str, list[Company]] = {}
    for company in sorted(set(candidates), key=lambda c: c.id):
        by_name.setdefault(company.name, []).append(company)
        by_key.setdefault(company.name_key, []).append(company)
    found: list[Company] = []
    created = False
    for name, code, key in wanted:
        company = by_code.get(code) if code else None
        if company is None:
            free = [
                c
                for c in by_name.get(name, []) + (by_key.get(key, []) if key else [])
                if not code or not c.uscc
            ]
            company = free[0] if free else None
            if company is not None and code and company.name == name:
                company.uscc = code
                by_code[code] = company
        if company is None:
            if not name:
                raise ServiceError(_("企业名称不能为空"), {"company_name": [_("请选择企业或填写企业名称")]})
            try:
                cleaned, _warnings = clean_company_data({"name": name, "uscc": code or None})
            except ServiceError as exc:
                details = [m for messages in exc.errors.values() for m in messages] or [exc.message]
                message = _("企业“%(name)s”：%(details)s", name=name, details="；".join(details))
                raise ServiceError(
                    message, {"company_name": [message], "uscc": [message], "file": [message]}
                ) from None
            # Exact and normalised names were matched above; a merely similar name is a
            # different company here (the companies module can merge them later).
            company = Company(**cleaned, name_key=key, created_by_county_id=county_id)
            db.session.add(company)
            created = True
            by_name.setdefault(name, []).append(company)
            if key:
                by_key.setdefault(key, []).append(company)
            if company.uscc:
                by_code[company.uscc] = company
        found.append(company)
    if created:
        db.session.flush()
    return found


def _check_firm_fields(role: str, presence: str) -> None:
    _check_choice(role, ROLES, "role", N_("角色"))
    _check_choice(presence, PRESENCES, "presence", N_("企业分布"))


def add_firm(
    segment: Segment,
    *,
    company: Company | None = None,
    company_name: str = "",
    uscc: str | None = None,
    role: str = "supporting",
    presence: str = "target",
    note: str = "",
) -> ChainFirm:
    """Place a company on a segment; a company placed twice on one segment is refused."""
    _check_firm_fields(role, presence)
    if company is None:
        company = find_or_create_company(company_name, uscc, segment.county_id)
    already = db.session.execute(
        select(ChainFirm.id).where(ChainFirm.segment_id == segment.id, ChainFirm.company_id == company.id)
    ).first()
    if already:
        message = _("企业“%(company)s”已在环节“%(segment)s”上", company=company.name, segment=segment.name)
        raise ServiceError(message, {"company_id": [message], "company_name": [message]})
    return added(
        ChainFirm(
            chain_id=segment.chain_id,
            county_id=segment.county_id,
            segment_id=segment.id,
            company_id=company.id,
            role=role,
            presence=presence,
            note=_clean(note) or None,
        )
    )


def update_firm(
    firm: ChainFirm, *, role: str, presence: str, note: str, version: int | None = None
) -> ChainFirm:
    refuse_stale(
        firm,
        version,
        _("该链上企业已被他人修改，当前值已显示，请确认后重新保存。"),
        {"role": firm.role, "presence": firm.presence, "note": firm.note},
    )
    _check_firm_fields(role, presence)
    firm.role, firm.presence, firm.note = role, presence, _clean(note) or None
    db.session.flush()
    return firm


def delete_firm(firm: ChainFirm) -> None:
    db.session.delete(firm)
    db.session.flush()


# --- JSON documents ------------------------------------------------------------------


def parse_import(data: bytes | str) -> dict:
    """Parse an uploaded chain document, refusing oversized or malformed files with
    messages that name the problem (``ServiceError``, field ``file``)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_IMPORT_BYTES:
        size = f"{len(data) / 1024 / 1024:.1f}"
        raise _import_error([_("文件过大（%(size)s MB），上限为 1 MB", size=size)])
    if not data.strip():
        raise _import_error([_("文件是空的")])
    try:
        # Nested too deep, a NUL or a lone surrogate in a string: refused with the reason.
        raw = load_json(data)
    except BadInput as exc:
        raise _import_error([exc.message, *(f"{k}：{'，'.join(v)}" for k, v in exc.errors.items())]) from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        try:
            parse_chain_document(data)
        except ChainDocumentError as exc:
            raise _import_error(exc.errors) from None
        raise _import_error([_("文件不是有效的 JSON")]) from None
    if isinstance(raw, dict):
        if isinstance(raw.get("segments"), list) and len(raw["segments"]) > MAX_IMPORT_SEGMENTS:
            raise _import_error(
                [
                    _(
                        "环节过多（%(n)s 个），上限为 %(max)s 个",
                        n=len(raw["segments"]),
                        max=MAX_IMPORT_SEGMENTS,
                    )
                ]
            )
        if isinstance(raw.get("firms"), list) and len(raw["firms"]) > MAX_IMPORT_FIRMS:
            raise _import_error(
                [_("链上企业过多（%(n)s 家），上限为 %(max)s 家", n=len(raw["firms"]), max=MAX_IMPORT_FIRMS)]
            )
    try:
        return normalize_chain_document(raw)
    except ChainDocumentError as exc:
        raise _import_error(exc.errors) from None


def _import_error(errors: list[str]) -> ServiceError:
    """The refusal of an import naming its first 20 problems, in the reader's language."""
    shown = [e.translated(_) if isinstance(e, Problem) else e for e in errors[:20]]
    if len(errors) > 20:
        shown.append(_("……另有 %(n)s 处问题", n=len(errors) - 20))
    return ServiceError(_("导入失败：%(problems)s", problems=_("；").join(shown)), {"file": shown})


def import_chain(
    data: bytes | str, *, name: str = "", leader_official: str = "", county_id: int | None = None
) -> Chain:
    """Create a chain from an uploaded JSON document; nothing is written when refused."""
    doc = parse_import(data)
    if _clean(name):
        doc["name"] = _clean(name)
    return _write_document(doc, county_id=county_id, leader_official=leader_official)


def _write_document(
    doc: dict, *, county_id: int | None, leader_official: str = "", template_key: str | None = None
) -> Chain:
    county_id = _writer_county(county_id)
    try:
        name = _check_chain_name(doc["name"], county_id)
    except ServiceError as exc:
        raise ServiceError(exc.message, {"name": exc.errors.get("name", []), "file": [exc.message]}) from None
    # Match firms before writing anything, so a duplicate placement is refused up front.
    matched = match_companies([(f["company"], f["uscc"]) for f in doc["firms"]], county_id)
    placed: set[tuple[str, int]] = set()
    firm_rows = []
    for firm, company in zip(doc["firms"], matched):
        if (firm["segment"], company.id) in placed:
            message = f"企业“{company.name}”在环节“{firm['segment']}”上出现了两次"
            raise ServiceError("导入失败：" + message, {"file": [message]})
        placed.add((firm["segment"], company.id))
        firm_rows.append((firm, company))
    chain = Chain(
        county_id=county_id,
        name=name,
        leader_official=_clean(leader_official) or None,
        description=doc.get("description") or None,
        template_key=template_key,
    )
    db.session.add(chain)
    db.session.flush()
    segments: dict[str, Segment] = {}
    for s in doc["segments"]:
        segment = Segment(
            chain_id=chain.id,
            county_id=county_id,
            name=s["name"],
            stage=s["stage"],
            importance=s["importance"],
            sort_order=s["order"],
        )
        db.session.add(segment)
        segments[s["name"]] = segment
    db.session.flush()
    for s in doc["segments"]:
        if s["parent"]:
            segments[s["name"]].parent_id = segments[s["parent"]].id
    for supplier, consumer in doc["links"]:
        db.session.add(
            SegmentLink(
                chain_id=chain.id,
                county_id=county_id,
                supplier_id=segments[supplier].id,
                consumer_id=segments[consumer].id,
            )
        )
    for firm, company in firm_rows:
        db.session.add(
            ChainFirm(
                chain_id=chain.id,
                county_id=county_id,
                segment_id=segments[firm["segment"]].id,
                company_id=company.id,
                role=firm["role"],
                presence=firm["presence"],
                note=firm["note"] or None,
            )
        )
    db.session.flush()
    return chain


def export_chain_document(chain: Chain) -> dict:
    """The chain as a chain document (:mod:`chains.documents`)."""
    G = build_graphs([chain], with_projects=False)[chain.id]
    doc = document_from_graph(G, chain.name, chain.description or "")
    return doc


# --- graph ---------------------------------------------------------------------------


def build_graphs(chains: Iterable[Chain], *, with_projects: bool = True) -> dict[int, nx.DiGraph]:
    """Build the graph of each chain: one query per table for all the chains together."""
    chains = list(chains)
    ids = [c.id for c in chains]
    if not ids:
        return {}
    segments: dict[int, list[SegmentRow]] = {cid: [] for cid in ids}
    for s in db.session.execute(
        select(
            Segment.id,
            Segment.chain_id,
            Segment.name,
            Segment.stage,
            Segment.importance,
            Segment.parent_id,
            Segment.sort_order,
        )
        .where(Segment.chain_id.in_(ids))
        .order_by(Segment.sort_order, Segment.id)
    ):
        segments[s.chain_id].append(
            SegmentRow(s.id, s.name, s.stage, s.importance, s.parent_id, s.sort_order)
        )
    links: dict[int, list[LinkRow]] = {cid: [] for cid in ids}
    for row in db.session.execute(
        select(SegmentLink.chain_id, SegmentLink.supplier_id, SegmentLink.consumer_id)
        .where(SegmentLink.chain_id.in_(ids))
        .order_by(SegmentLink.id)
    ):
        links[row.chain_id].append(LinkRow(row.supplier_id, row.consumer_id))
    firms: dict[int, list[FirmRow]] = {cid: [] for cid in ids}
    for row in db.session.execute(
        select(
            ChainFirm.id,
            ChainFirm.chain_id,
            ChainFirm.segment_id,
            ChainFirm.role,
            ChainFirm.presence,
            ChainFirm.note,
            Company.id.label("company_id"),
            Company.name,
            Company.uscc,
        )
        .join(Company, Company.id == ChainFirm.company_id)
        .where(ChainFirm.chain_id.in_(ids))
        .order_by(ChainFirm.id)
    ):
        firms[row.chain_id].append(
            FirmRow(
                row.segment_id,
                row.name,
                row.role,
                row.presence,
                row.note or "",
                row.company_id,
                row.uscc,
                row.id,
            )
        )
    aims: dict[int, list[ProjectAim]] = {cid: [] for cid in ids}
    if with_projects:
        for row in db.session.execute(
            select(Segment.chain_id, ProjectSegment.segment_id, Project.id, Project.stage)
            .join(Segment, Segment.id == ProjectSegment.segment_id)
            .join(Project, Project.id == ProjectSegment.project_id)
            .where(Segment.chain_id.in_(ids))
        ):
            aims[row.chain_id].append(ProjectAim(row.segment_id, row.id, row.stage))
    return {cid: build_chain_graph(segments[cid], links[cid], firms[cid], aims[cid]) for cid in ids}


def chain_graph(chain: Chain) -> nx.DiGraph:
    return build_graphs([chain])[chain.id]


@dataclass
class ChainAnalysis:
    graph: nx.DiGraph
    statuses: dict
    summary: dict
    gaps: list[tuple[int, int]]
    leader_rates: list[dict]
    suggestions: list[dict] = field(default_factory=list)


def analyse(
    chain: Chain, graph: nx.DiGraph | None = None, *, with_suggestions: bool = True, with_rates: bool = True
) -> ChainAnalysis:
    G = graph if graph is not None else chain_graph(chain)
    statuses = segment_statuses(G)
    suggestions = []
    if with_suggestions and chain.template_key in TEMPLATE_KEYS:
        suggestions = extension_suggestions(G, load_template(chain.template_key))
    return ChainAnalysis(
        G,
        statuses,
        chain_summary(G, statuses),
        critical_gaps(G, statuses),
        leader_supply_rates(G) if with_rates else [],
        suggestions,
    )


# --- projects aimed at segments ------------------------------------------------------


def open_projects_by_segment(segment_ids: Iterable[int]) -> dict[int, list[Project]]:
    ids = list(segment_ids)
    found: dict[int, list[Project]] = {sid: [] for sid in ids}
    if not ids:
        return found
    for sid, project in db.session.execute(
        select(ProjectSegment.segment_id, Project)
        .join(Project, Project.id == ProjectSegment.project_id)
        .where(ProjectSegment.segment_id.in_(ids), Project.stage.not_in(CLOSED_STAGES))
        .order_by(Project.id)
    ):
        found[sid].append(project)
    return found


def aim_project(project: Project, segment: Segment) -> ProjectSegment:
    if project.county_id != segment.county_id:
        raise ServiceError(_("项目与环节不属于同一县（区）"))
    existing = db.session.execute(
        select(ProjectSegment).where(
            ProjectSegment.project_id == project.id, ProjectSegment.segment_id == segment.id
        )
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    return added(ProjectSegment(project_id=project.id, segment_id=segment.id, county_id=segment.county_id))


def unaim_project(project: Project, segment: Segment) -> None:
    aim = db.session.execute(
        select(ProjectSegment).where(
            ProjectSegment.project_id == project.id, ProjectSegment.segment_id == segment.id
        )
    ).scalar_one_or_none()
    if aim is not None:
        db.session.delete(aim)
        db.session.flush()


def lead_name(firm: ChainFirm) -> str:
    """The name of the lead 新建招商线索 makes from ``firm``: ``企业（环节）``."""
    return f"{firm.company.name}（{firm.segment.name}）"[:200]


def create_lead_for_firm(firm: ChainFirm, actor) -> Project:
    """新建招商线索: a project in stage ``lead`` (through the projects module, so the
    initial stage change is recorded) whose investor is the firm's company, aimed at the
    firm's segment — so the segment counts as targeted. The firm is a target, or an
    external firm on a gap segment, which becomes a target; a local firm is refused."""
    from crm.projects.services import create_project

    segment, company = firm.segment, firm.company
    if firm.presence == "local":
        raise ServiceError(_("“%(company)s”已是本地企业，无需新建招商线索", company=company.name))
    if any(p.investor_company_id == company.id for p in open_projects_by_segment([segment.id])[segment.id]):
        raise ServiceError(
            _("“%(company)s”在环节“%(segment)s”已有在跟项目", company=company.name, segment=segment.name)
        )
    data = {
        "name": lead_name(firm),
        "investor_company_id": company.id,
        "industry": segment.chain.name[:100],
        "description": f"由产业链“{segment.chain.name}”环节“{segment.name}”的招商目标生成",
    }
    if getattr(getattr(actor, "role", None), "value", None) in ("staff", "manager"):
        data["owner_id"] = actor.id
    project = create_project(data, actor, county_id=firm.county_id)
    aim_project(project, segment)
    if firm.presence == "external":
        firm.presence = "target"  # pursued now: an external firm becomes a 招商目标
        db.session.flush()
    return project
