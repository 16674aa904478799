"""两图两清单: the gap list and the target-firm list as XLSX, and the rows of the
printable chain report. The two maps are the browser PNG and ``render_svg``."""

from __future__ import annotations

from flask_babel import gettext as _

from chains.services import ChainAnalysis
from chains.vocabulary import (
    IMPORTANCE_LABELS,
    ROLE_LABELS,
    STAGE_LABELS,
    STAGE_RANK,
    STATUS_LABELS,
)
from crm.projects.confidential import name_for
from crm.util.exports import Sheet, write_xlsx

__all__ = [
    "gap_list_xlsx",
    "gap_rows",
    "target_list_xlsx",
    "target_rows",
]


def gap_rows(analysis: ChainAnalysis, open_projects: dict[int, list] | None = None) -> list[dict]:
    """Gap and targeted segments, most critical first, with what is being done about them."""
    G = analysis.graph
    rows = []
    for rank, (node, score) in enumerate(analysis.gaps, start=1):
        data = G.nodes[node]
        targets = [f["company"] for f in data["firms"] if f["presence"] == "target"]
        projects = (open_projects or {}).get(node, [])
        rows.append(
            {
                "rank": rank,
                "segment": node,
                "name": data["name"],
                "stage": data["stage"],
                "importance": data["importance"],
                "status": analysis.statuses[node],
                "score": score,
                "downstream": len(G.succ[node]),
                "targets": targets,
                "projects": projects,
            }
        )
    return rows


def target_rows(analysis: ChainAnalysis) -> list[dict]:
    """Every target firm on the chain, by stage order of its segment."""
    G = analysis.graph
    rows = []
    for node in sorted(
        G, key=lambda n: (STAGE_RANK[G.nodes[n]["stage"]], G.nodes[n]["order"], G.nodes[n]["name"])
    ):
        data = G.nodes[node]
        for firm in data["firms"]:
            if firm["presence"] != "target":
                continue
            rows.append(
                {
                    "segment": data["name"],
                    "stage": data["stage"],
                    "importance": data["importance"],
                    "status": analysis.statuses[node],
                    "company": firm["company"],
                    "uscc": firm.get("uscc"),
                    "role": firm["role"],
                    "note": firm.get("note") or "",
                }
            )
    return rows


def gap_list_xlsx(
    chain_name: str, analysis: ChainAnalysis, open_projects: dict[int, list], viewer=None
) -> bytes:
    """The gap list; each open project by the name ``viewer`` may read (code names if None)."""
    headers = [
        _("序号"),
        _("环节"),
        _("阶段"),
        _("重要度"),
        _("状态"),
        _("影响分"),
        _("招商目标企业"),
        _("在跟项目"),
        _("项目阶段"),
    ]
    from crm.projects.models import STAGE_LABELS as PROJECT_STAGES

    rows = [
        [
            r["rank"],
            r["name"],
            _(STAGE_LABELS[r["stage"]]),
            _(IMPORTANCE_LABELS[r["importance"]]),
            _(STATUS_LABELS[r["status"]]),
            r["score"],
            "、".join(r["targets"]),
            "、".join(name_for(p, viewer) for p in r["projects"]),
            "、".join(_(PROJECT_STAGES.get(p.stage, p.stage)) for p in r["projects"]),
        ]
        for r in gap_rows(analysis, open_projects)
    ]
    return write_xlsx([Sheet(_("缺链清单"), headers, rows)])


def target_list_xlsx(chain_name: str, analysis: ChainAnalysis) -> bytes:
    headers = [
        _("环节"),
        _("阶段"),
        _("环节状态"),
        _("企业名称"),
        _("统一社会信用代码"),
        _("角色"),
        _("备注"),
    ]
    rows = [
        [
            r["segment"],
            _(STAGE_LABELS[r["stage"]]),
            _(STATUS_LABELS[r["status"]]),
            r["company"],
            r["uscc"] or "",
            _(ROLE_LABELS[r["role"]]),
            r["note"],
        ]
        for r in target_rows(analysis)
    ]
    return write_xlsx([Sheet(_("招商目标企业清单"), headers, rows, text_columns={4})])
