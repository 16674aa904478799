"""招商引资奖励: referral registry, reward rules, eligibility, finalized lists, exports."""


def init_app(app) -> None:
    from crm.api.openapi import register_paths
    from crm.core.access import READ_ROLES
    from crm.core.hooks import register_dashboard_panel, register_inbox_source
    from crm.core.nav import PROMISES_MENU, register_nav
    from crm.core.warmup import register_warmer
    from crm.projects.sections import register_project_section
    from crm.rewards.api import init_api
    from crm.rewards.audit_labels import register_audit_labels
    from crm.rewards.cli import rewards_cli
    from crm.rewards.openapi import PATHS, SCHEMAS
    from crm.rewards.panel import dashboard_panel, inbox_items
    from crm.rewards.queries import warm_referral_order
    from crm.rewards.views import bp
    from crm.rewards.views.referrals import project_section

    register_audit_labels(app)
    from crm.rewards import attachments

    attachments.init_app(app)  # evidence files (crm/files)

    app.register_blueprint(bp)
    init_api(app)
    register_paths("rewards", PATHS, SCHEMAS)
    app.cli.add_command(rewards_cli)
    register_nav(app, "引荐奖励", "rewards.index", READ_ROLES, order=70, group=PROMISES_MENU)
    register_dashboard_panel(app, dashboard_panel, order=60)
    register_project_section(app, project_section, order=40)
    register_inbox_source(app, inbox_items, order=60)
    register_warmer(app, "referrals order", warm_referral_order)


def load_demo(ctx) -> None:
    from crm.rewards.demo import load_demo as load

    load(ctx)
