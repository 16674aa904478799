"""Companies (企业库): shared master data with duplicate checks and merging, and each
county's own contacts at those companies."""


def init_app(app) -> None:
    from crm.api.openapi import register_paths
    from crm.companies import openapi
    from crm.companies.api import init_api
    from crm.companies.audit_labels import register_audit_labels
    from crm.companies.views import bp
    from crm.core.nav import PROJECTS_MENU, register_nav

    register_audit_labels(app)

    app.register_blueprint(bp)
    init_api(app)
    register_paths("companies", openapi.PATHS, openapi.SCHEMAS)
    register_nav(
        app,
        "企业库",
        "companies.index",
        {"manager", "staff", "leader", "coordinator"},
        order=15,
        group=PROJECTS_MENU,
    )


def load_demo(ctx) -> None:
    from crm.companies.demo import load_companies

    load_companies(ctx)
