"""The county dashboard (首页看板): stage figures, funds against target, funnel, follow-ups."""


def init_app(app) -> None:
    from crm.api import mount_domain
    from crm.core.access import READ_ROLES
    from crm.core.nav import register_nav
    from crm.core.warmup import register_warmer
    from crm.dashboard import api, openapi, views
    from crm.dashboard.services import warm_county_parts, warm_dashboard_page

    app.register_blueprint(views.bp)
    mount_domain(app, "dashboard", api.bp, openapi.PATHS, openapi.SCHEMAS)
    register_nav(app, "首页看板", "dashboard.index", READ_ROLES, order=10)
    register_warmer(app, "dashboard", warm_county_parts)
    register_warmer(app, "dashboard page", warm_dashboard_page)
