"""The append-only audit log and the page where managers read it."""


def init_app(app) -> None:
    from crm.audit.views import bp
    from crm.core.nav import SYSTEM_MENU, register_nav

    app.register_blueprint(bp)
    register_nav(app, "审计日志", "audit.index", {"manager", "admin"}, order=950, group=SYSTEM_MENU)
