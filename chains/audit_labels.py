"""How the audit log names chains, segments, links and chain firms (crm.audit.labels)."""

from __future__ import annotations

from chains.models import Chain, ChainFirm, ProjectSegment, Segment, SegmentLink
from chains.vocabulary import IMPORTANCE_LABELS, PRESENCE_LABELS, ROLE_LABELS, STAGE_LABELS
from crm.audit.labels import ON_PROJECT_PAGE, domain_kinds, on_page_of
from crm.core.i18n import N_

__all__ = ["CHAIN_FIELDS", "CHAIN_VALUES", "ON_CHAIN_PAGE", "register_audit_labels"]

# The chain tables' columns, each named once (a segment names its ``name`` itself).
CHAIN_FIELDS = {
    "chain_id": N_("产业链"),
    "segment_id": N_("环节"),
    "name": N_("产业链名称"),
    "leader_official": N_("链长"),
    "description": N_("简介"),
    "template_key": N_("模板"),
    "stage": N_("阶段"),
    "importance": N_("重要度"),
    "parent_id": N_("上级环节"),
    "sort_order": N_("排序"),
    "supplier_id": N_("供应环节"),
    "consumer_id": N_("需求环节"),
    "role": N_("角色"),
    "presence": N_("企业分布"),
}
CHAIN_VALUES = {
    "stage": STAGE_LABELS,
    "importance": IMPORTANCE_LABELS,
    "role": ROLE_LABELS,
    "presence": PRESENCE_LABELS,
}
# A chain's segments, links and firms are shown on its page.
ON_CHAIN_PAGE = on_page_of("chains.detail", "chain_id")


def register_audit_labels(app) -> None:
    kind = domain_kinds(app, CHAIN_FIELDS, CHAIN_VALUES)
    kind("chains", N_("产业链"), endpoint="chains.detail", id_arg="chain_id", model=Chain)
    kind("chain_segments", N_("产业链环节"), fields={"name": N_("环节名称")}, model=Segment, **ON_CHAIN_PAGE)
    kind("chain_segment_links", N_("供应关系"), model=SegmentLink, **ON_CHAIN_PAGE)
    kind("chain_firms", N_("链上企业"), model=ChainFirm, **ON_CHAIN_PAGE)
    kind("project_segments", N_("项目对接环节"), model=ProjectSegment, **ON_PROJECT_PAGE)
