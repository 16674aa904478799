"""Funds in place (到位资金) per project, month and origin; county annual targets."""


def init_app(app) -> None:
    from crm.api.openapi import register_paths
    from crm.core.access import READ_ROLES
    from crm.core.nav import PROJECTS_MENU, register_nav
    from crm.funds import api, views
    from crm.util.money import format_wan

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.extensions["csrf"].exempt(api.bp)
    register_paths("funds", *api.openapi_paths())
    register_nav(app, "到位资金", "funds.index", set(READ_ROLES), order=40, group=PROJECTS_MENU)
    app.jinja_env.filters.setdefault("wan", format_wan)
    try:
        from crm.projects.timeline import register_timeline_source
    except ImportError:  # the project detail page is not installed yet
        pass
    else:
        from crm.funds.timeline import funds_timeline

        register_timeline_source(app, funds_timeline)


def load_demo(ctx) -> None:
    from crm.funds.demo import load_demo as load

    load(ctx)
