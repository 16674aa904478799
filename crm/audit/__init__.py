"""The append-only audit log and the page where managers read it."""


def init_app(app) -> None:
    from crm.audit.versions import county_versions
    from crm.audit.views import bp
    from crm.core import county_cache
    from crm.core.nav import SYSTEM_MENU, register_nav

    county_cache.set_version_source(app, county_versions)
    app.register_blueprint(bp)
    register_nav(app, "审计日志", "audit.index", {"manager", "admin"}, order=950, group=SYSTEM_MENU)
