"""JSON API of chains: list, one chain with segments/links/firms, its gap analysis, and
adding a supply link (refused with 422 when it would close a cycle)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify
from flask_login import current_user
from sqlalchemy import select

from chains import services
from chains.models import Chain, ChainFirm, Segment, SegmentLink
from crm.api.openapi import PAGE_PARAMETERS, register_paths
from crm.api.util import columns_dict, json_body, paginate
from crm.companies.models import Company
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, require_write
from crm.core.db import db
from crm.core.errors import ServiceError

bp = Blueprint("chains_api", __name__, url_prefix="/api/v1/chains")


def _require_role(*roles: str) -> None:
    if not current_user.has_role(*roles):
        abort(403)


def _chain_summary(chain: Chain) -> dict:
    return columns_dict(chain)


@bp.route("")
def list_chains():
    _require_role(*READ_ROLES)
    return paginate(select(Chain).order_by(Chain.county_id, Chain.name, Chain.id), _chain_summary)


@bp.route("/<int:chain_id>")
def get_chain(chain_id: int):
    _require_role(*READ_ROLES)
    chain = load_or_404(Chain, chain_id)
    segments = db.session.execute(
        select(Segment).where(Segment.chain_id == chain.id).order_by(Segment.sort_order, Segment.id)
    ).scalars()
    links = db.session.execute(
        select(SegmentLink).where(SegmentLink.chain_id == chain.id).order_by(SegmentLink.id)
    ).scalars()
    firms = db.session.execute(
        select(ChainFirm, Company.name, Company.uscc)
        .join(Company, Company.id == ChainFirm.company_id)
        .where(ChainFirm.chain_id == chain.id)
        .order_by(ChainFirm.id)
    ).all()
    body = columns_dict(chain)
    body["segments"] = [columns_dict(s) for s in segments]
    body["links"] = [
        {"id": link.id, "supplier_id": link.supplier_id, "consumer_id": link.consumer_id} for link in links
    ]
    body["firms"] = [
        {**columns_dict(f), "company_name": name, "company_uscc": uscc} for f, name, uscc in firms
    ]
    return jsonify(body)


@bp.route("/<int:chain_id>/analysis")
def get_analysis(chain_id: int):
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
    _require_role(*WRITE_ROLES)
    chain = load_or_404(Chain, chain_id)
    require_write(chain)
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
    return jsonify({"id": link.id, "supplier_id": link.supplier_id, "consumer_id": link.consumer_id}), 201


_PROBLEM = {"$ref": "#/components/responses/Problem"}
_ID = {"name": "chain_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _json(ref: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


register_paths(
    "chains",
    {
        "/chains": {
            "get": {
                "summary": "Chains of the readable counties (paginated)",
                "parameters": PAGE_PARAMETERS,
                "responses": {
                    "200": {"description": "A page of chains", "content": _json("ChainPage")},
                    "401": _PROBLEM,
                    "403": _PROBLEM,
                },
            }
        },
        "/chains/{chain_id}": {
            "get": {
                "summary": "One chain with its segments, supply links and firms",
                "parameters": [_ID],
                "responses": {
                    "200": {"description": "The chain", "content": _json("ChainDetail")},
                    "401": _PROBLEM,
                    "403": _PROBLEM,
                    "404": _PROBLEM,
                },
            }
        },
        "/chains/{chain_id}/analysis": {
            "get": {
                "summary": "Gap analysis: statuses, completeness, local supply rates, critical gaps",
                "parameters": [_ID],
                "responses": {
                    "200": {"description": "The analysis", "content": _json("ChainAnalysis")},
                    "401": _PROBLEM,
                    "403": _PROBLEM,
                    "404": _PROBLEM,
                },
            }
        },
        "/chains/{chain_id}/links": {
            "post": {
                "summary": "Add a supply link; 422 when it would close a cycle",
                "parameters": [_ID],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["supplier_id", "consumer_id"],
                                "properties": {
                                    "supplier_id": {"type": "integer"},
                                    "consumer_id": {"type": "integer"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": {"description": "The new link"},
                    "401": _PROBLEM,
                    "403": _PROBLEM,
                    "404": _PROBLEM,
                    "422": _PROBLEM,
                },
            }
        },
    },
    {
        "Chain": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "county_id": {"type": "integer"},
                "name": {"type": "string"},
                "leader_official": {"type": ["string", "null"]},
                "description": {"type": ["string", "null"]},
                "template_key": {"type": ["string", "null"]},
                "version": {"type": "integer"},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": "string", "format": "date-time"},
            },
            "required": ["id", "county_id", "name", "version"],
        },
        "ChainPage": {
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Chain"}},
                "total": {"type": "integer"},
                "page": {"type": "integer"},
                "per_page": {"type": "integer"},
            },
        },
        "ChainDetail": {
            "allOf": [
                {"$ref": "#/components/schemas/Chain"},
                {
                    "type": "object",
                    "properties": {
                        "segments": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "id": {"type": "integer"},
                                    "name": {"type": "string"},
                                    "stage": {
                                        "type": "string",
                                        "enum": ["upstream", "midstream", "downstream"],
                                    },
                                    "importance": {"type": "string", "enum": ["core", "key", "general"]},
                                    "parent_id": {"type": ["integer", "null"]},
                                    "sort_order": {"type": "integer"},
                                },
                            },
                        },
                        "links": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "id": {"type": "integer"},
                                    "supplier_id": {"type": "integer"},
                                    "consumer_id": {"type": "integer"},
                                },
                            },
                        },
                        "firms": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "id": {"type": "integer"},
                                    "segment_id": {"type": "integer"},
                                    "company_id": {"type": "integer"},
                                    "company_name": {"type": "string"},
                                    "company_uscc": {"type": ["string", "null"]},
                                    "role": {"type": "string", "enum": ["leader", "supporting", "service"]},
                                    "presence": {"type": "string", "enum": ["local", "target", "external"]},
                                    "note": {"type": ["string", "null"]},
                                },
                            },
                        },
                    },
                },
            ]
        },
        "ChainAnalysis": {
            "type": "object",
            "properties": {
                "chain_id": {"type": "integer"},
                "completeness": {"type": "number", "minimum": 0, "maximum": 1},
                "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
                "statuses": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "segment_id": {"type": "integer"},
                            "name": {"type": "string"},
                            "status": {"type": "string", "enum": ["gap", "targeted", "weak", "strong"]},
                        },
                    },
                },
                "local_supply_rates": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "segment_id": {"type": "integer"},
                            "segment": {"type": "string"},
                            "company": {"type": "string"},
                            "presence": {"type": "string"},
                            "rate": {"type": "number"},
                        },
                    },
                },
                "critical_gaps": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "segment_id": {"type": "integer"},
                            "name": {"type": "string"},
                            "status": {"type": "string"},
                            "score": {"type": "integer"},
                        },
                    },
                },
                "extension_suggestions": {"type": "array", "items": {"type": "object"}},
            },
        },
    },
)
