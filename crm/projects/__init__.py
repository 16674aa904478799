"""招商项目: projects, the pipeline (stages and their evidence), board, exports and API."""


def init_app(app) -> None:
    from crm.api.openapi import register_paths
    from crm.core.nav import PROJECTS_MENU, register_nav
    from crm.projects import confidential, openapi
    from crm.projects.api import init_api
    from crm.projects.audit_labels import register_audit_labels
    from crm.projects.views import bp

    register_audit_labels(app)

    confidential.init_app(app)
    app.register_blueprint(bp)
    init_api(app)
    register_paths("projects", openapi.PATHS, openapi.SCHEMAS)
    register_nav(
        app,
        "项目",
        "projects.index",
        {"manager", "staff", "leader", "coordinator"},
        order=20,
        group=PROJECTS_MENU,
    )
    register_nav(
        app,
        "项目看板",
        "projects.board",
        {"manager", "staff", "leader", "coordinator"},
        order=21,
        group=PROJECTS_MENU,
    )


def load_demo(ctx) -> None:
    from crm.projects.demo import load_demo as load

    load(ctx)
