"""Funds in place (到位资金) per project, month and origin; county annual targets."""


def init_app(app) -> None:
    from crm.api import mount_domain
    from crm.core.access import READ_ROLES
    from crm.core.hooks import register_inbox_source
    from crm.core.nav import PROJECTS_MENU, register_nav
    from crm.funds import api, exports, openapi, rate_views, views  # noqa: F401 - routes on views.bp
    from crm.funds.audit_labels import register_audit_labels
    from crm.funds.cli import funds_cli
    from crm.funds.inbox import inbox_items
    from crm.funds.timeline import funds_timeline
    from crm.projects.sections import register_project_section
    from crm.projects.timeline import register_timeline_source
    from crm.util.money import format_wan, format_wan_total

    register_audit_labels(app)
    app.cli.add_command(funds_cli)
    from crm.funds import attachments

    attachments.init_app(app)  # evidence files (crm/files)

    app.register_blueprint(views.bp)
    mount_domain(app, "funds", api.bp, openapi.PATHS, openapi.SCHEMAS)
    register_nav(app, "到位资金", "funds.index", READ_ROLES, order=40, group=PROJECTS_MENU)
    app.jinja_env.filters.setdefault("wan", format_wan)
    # Large totals as people read them (133.8 亿元); exports keep the exact 万元.
    app.jinja_env.filters.setdefault("wan_total", format_wan_total)
    register_timeline_source(app, funds_timeline)
    register_project_section(app, views.project_section, order=20)
    register_inbox_source(app, inbox_items, order=20)


def load_demo(ctx) -> None:
    from crm.funds.demo import load_demo as load

    load(ctx)
