"""Companies (企业库): shared master data with duplicate checks and merging, and each
county's own contacts at those companies."""


def init_app(app) -> None:
    from crm.api import mount_domain
    from crm.companies import api, exports, openapi  # noqa: F401 - exports' routes are on views.bp
    from crm.companies.audit_labels import register_audit_labels
    from crm.companies.queries import company_hits, contact_hits
    from crm.companies.views import bp
    from crm.core.access import READ_ROLES
    from crm.core.i18n import N_
    from crm.core.nav import PROJECTS_MENU, register_nav
    from crm.core.search import register_searcher

    register_audit_labels(app)

    app.register_blueprint(bp)
    mount_domain(app, "companies", api.bp, openapi.PATHS, openapi.SCHEMAS)
    register_nav(app, "企业库", "companies.index", READ_ROLES, order=15, group=PROJECTS_MENU)
    register_searcher(
        app, "companies", N_("企业"), company_hits, READ_ROLES, more="companies.index", order=10
    )
    register_searcher(app, "contacts", N_("联系人"), contact_hits, READ_ROLES, order=30)


def load_demo(ctx) -> None:
    from crm.companies.demo import load_companies

    load_companies(ctx)
