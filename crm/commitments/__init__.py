"""Incentive commitments and investor obligations (审慎承诺、刚性兑现; issue 5)."""


def init_app(app) -> None:
    from crm.api import mount_domain
    from crm.commitments import (  # noqa: F401  (their routes)
        alerts,
        api,
        cleanup_views,
        obligation_views,
        policy_views,
        views,
    )
    from crm.commitments.audit_labels import register_audit_labels
    from crm.commitments.blueprints import api_bp, bp
    from crm.commitments.cli import commitments_cli
    from crm.commitments.openapi import PATHS, SCHEMAS
    from crm.core.access import READ_ROLES
    from crm.core.hooks import register_dashboard_panel, register_followup_source, register_inbox_source
    from crm.core.nav import PROMISES_MENU, register_nav
    from crm.projects.sections import register_project_section
    from crm.util.money import format_wan

    register_audit_labels(app)
    app.cli.add_command(commitments_cli)
    from crm.commitments import attachments

    attachments.init_app(app)  # evidence files (crm/files)

    app.jinja_env.filters.setdefault("wan", format_wan)
    app.register_blueprint(bp)
    mount_domain(app, "commitments", api_bp, PATHS, SCHEMAS)
    register_project_section(app, views.project_section, order=30)
    register_nav(app, "承诺兑现", "commitments.index", READ_ROLES, order=40, group=PROMISES_MENU)
    register_nav(
        app, "优惠政策", "commitments.policies", (*READ_ROLES, "admin"), order=45, group=PROMISES_MENU
    )
    register_followup_source(app, alerts.followup_items)
    register_dashboard_panel(app, alerts.dashboard_panel, order=40)
    register_inbox_source(app, alerts.inbox_items, order=40)


def load_demo(ctx) -> None:
    from crm.commitments.demo import load_demo as load

    load(ctx)
