"""The chain domain (产业链图谱): chains, segments, supply links, chain firms and the gap graph.

Modules: :mod:`chains.vocabulary` (the codes and their labels), :mod:`chains.models`,
:mod:`chains.documents` (the JSON form of a chain) and :mod:`chains.catalog` (the bundled
templates), :mod:`chains.build` (rows → graph), :mod:`chains.analysis` (the gap rules, pure),
:mod:`chains.layout` and :mod:`chains.render` (drawing), :mod:`chains.services` (writes),
:mod:`chains.queries` (reads), :mod:`chains.overview` (the overview's cached rows),
:mod:`chains.graph_page` (the gap graph page's kept data),
:mod:`chains.exports`, the pages in :mod:`chains.views`, :mod:`chains.api` with its
:mod:`chains.openapi`, and :mod:`chains.demo`.
"""

from __future__ import annotations

__all__ = ["init_app", "load_demo"]


def init_app(app) -> None:
    from chains.api import bp as api_bp
    from chains.audit_labels import register_audit_labels
    from chains.openapi import PATHS, SCHEMAS
    from chains.overview import warm_overview_rows
    from chains.queries import county_chain_names
    from chains.views import bp
    from chains.views.graph import project_section
    from crm.api import mount_domain
    from crm.core.access import READ_ROLES
    from crm.core.nav import register_nav
    from crm.core.warmup import register_warmer
    from crm.projects.sections import register_industry_source, register_project_section

    register_audit_labels(app)

    app.register_blueprint(bp)
    mount_domain(app, "chains", api_bp, PATHS, SCHEMAS)
    register_nav(app, "产业链图谱", "chains.index", READ_ROLES, order=30)
    register_project_section(app, project_section, order=50)
    register_industry_source(app, county_chain_names)
    register_warmer(app, "chain overview", warm_overview_rows)


def load_demo(ctx) -> None:
    from chains.demo import load_demo as load

    load(ctx)
