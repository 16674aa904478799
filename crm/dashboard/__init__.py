"""The county dashboard (首页看板): stage figures, funds against target, funnel, follow-ups."""


def init_app(app) -> None:
    from crm.api.openapi import register_paths
    from crm.core.access import READ_ROLES
    from crm.core.nav import register_nav
    from crm.dashboard import api, views
    from crm.dashboard.cache import FiguresCache

    entries = int(app.config.get("DASHBOARD_CACHE_ENTRIES", 2048))
    if entries > 0:  # each county's figures between requests; see crm/dashboard/cache.py
        app.extensions["dashboard_cache"] = FiguresCache(
            max_entries=entries, max_age=float(app.config.get("DASHBOARD_CACHE_SECONDS", 600)))
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.extensions["csrf"].exempt(api.bp)
    register_paths("dashboard", *api.openapi_paths())
    register_nav(app, "首页看板", "dashboard.index", set(READ_ROLES), order=10)
