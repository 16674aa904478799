"""招商项目: projects, the pipeline (stages and their evidence), board, exports and API."""


def init_app(app) -> None:
    from crm.api import mount_domain
    from crm.core.access import READ_ROLES
    from crm.core.i18n import N_
    from crm.core.nav import PROJECTS_MENU, register_nav
    from crm.core.search import register_searcher
    from crm.projects import api, attachments, confidential, openapi
    from crm.projects.audit_labels import register_audit_labels
    from crm.projects.cli import projects_cli
    from crm.projects.queries import search_hits
    from crm.projects.views import bp

    register_audit_labels(app)
    attachments.init_app(app)  # evidence files of projects and stage moves (crm/files)
    app.cli.add_command(projects_cli)

    confidential.init_app(app)
    app.register_blueprint(bp)
    mount_domain(app, "projects", api.bp, openapi.PATHS, openapi.SCHEMAS)
    register_nav(app, "项目", "projects.index", READ_ROLES, order=20, group=PROJECTS_MENU)
    register_nav(app, "项目看板", "projects.board", READ_ROLES, order=21, group=PROJECTS_MENU)
    register_searcher(
        app, "projects", N_("招商项目"), search_hits, READ_ROLES, more="projects.index", order=20
    )


def load_demo(ctx) -> None:
    from crm.projects.demo import load_demo as load

    load(ctx)
