"""Regions (行政区划): provinces, cities and the counties that are the tenants."""


def init_app(app) -> None:
    from crm.core.nav import SYSTEM_MENU, register_nav
    from crm.regions.audit_labels import register_audit_labels
    from crm.regions.cli import regions_cli
    from crm.regions.views import bp

    register_audit_labels(app)

    app.register_blueprint(bp)
    app.cli.add_command(regions_cli)
    register_nav(app, "行政区划", "regions.index", {"admin"}, order=910, group=SYSTEM_MENU)
