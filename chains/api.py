"""JSON API of chains (/api/v1/chains): the list, one chain with its segments, links and
firms, its gap analysis, and adding a supply link (422 when it would close a cycle).
The document of these operations is :mod:`chains.openapi`."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify
from flask_login import current_user

from chains import queries, services
from chains.models import Chain
from crm.api.util import columns_dict, json_body, paginate
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, writable
from crm.core.db import db
from crm.core.errors import ServiceError

__all__ = ["add_link", "bp", "get_analysis", "get_chain", "list_chains"]

bp = Blueprint("chains_api", __name__, url_prefix="/api/v1/chains")


def _require_role(*roles: str) -> None:
    if not current_user.has_role(*roles):
        abort(403)


def _link_dict(link) -> dict:
    return {"id": link.id, "supplier_id": link.supplier_id, "consumer_id": link.consumer_id}


@bp.route("")
def list_chains():
    """The chains of the caller's counties, a page at a time."""
    _require_role(*READ_ROLES)
    return paginate(queries.chains_in_order(), columns_dict)


@bp.route("/<int:chain_id>")
def get_chain(chain_id: int):
    """One chain with its segments, supply links and firms."""
    _require_role(*READ_ROLES)
    chain = load_or_404(Chain, chain_id)
    body = columns_dict(chain)
    body["segments"] = [columns_dict(s) for s in queries.chain_segments(chain.id)]
    body["links"] = [_link_dict(link) for link in queries.chain_links(chain.id)]
    body["firms"] = [
        {**columns_dict(firm), "company_name": name, "company_uscc": uscc}
        for firm, name, uscc in queries.chain_firms(chain.id)
    ]
    return jsonify(body)


@bp.route("/<int:chain_id>/analysis")
def get_analysis(chain_id: int):
    """The chain's gap analysis: statuses, completeness, local supply rates, critical gaps."""
    _require_role(*READ_ROLES)
    chain = load_or_404(Chain, chain_id)
    analysis = services.analyse(chain)
    G = analysis.graph
    return jsonify(
        {
            "chain_id": chain.id,
            "completeness": analysis.summary["completeness"],
            "counts": {
                k: analysis.summary[k]
                for k in ("segments", "gap", "targeted", "weak", "strong", "local_firms")
            },
            "statuses": [
                {"segment_id": n, "name": G.nodes[n]["name"], "status": s}
                for n, s in analysis.statuses.items()
            ],
            "local_supply_rates": [
                {
                    "segment_id": r["segment"],
                    "segment": G.nodes[r["segment"]]["name"],
                    "company": r["company"],
                    "presence": r["presence"],
                    "rate": r["rate"],
                }
                for r in analysis.leader_rates
            ],
            "critical_gaps": [
                {"segment_id": n, "name": G.nodes[n]["name"], "status": analysis.statuses[n], "score": score}
                for n, score in analysis.gaps
            ],
            "extension_suggestions": [
                {"name": s["name"], "stage": s["stage"], "importance": s["importance"]}
                for s in analysis.suggestions
            ],
        }
    )


@bp.route("/<int:chain_id>/links", methods=["POST"])
def add_link(chain_id: int):
    """Add a supply link by segment ids; 422 naming the cycle when it would close one."""
    _require_role(*WRITE_ROLES)
    chain = writable(Chain, chain_id)
    body = json_body()
    errors = {}
    ids = {}
    for key in ("supplier_id", "consumer_id"):
        value = body.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            errors[key] = ["应为环节 id（整数）"]
        ids[key] = value
    if errors:
        raise ServiceError("请求数据有误", errors)
    link = services.add_link(chain, ids["supplier_id"], ids["consumer_id"])
    db.session.commit()
    return jsonify(_link_dict(link)), 201
