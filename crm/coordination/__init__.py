"""Between counties and above them: project transfers with benefit sharing, 异地建设
agreements, and collision alerts (撞车) with the coordinator's ruling."""

__all__ = ["init_app", "load_demo"]


def init_app(app) -> None:
    from crm.api import mount_domain
    from crm.coordination import api, openapi, views
    from crm.coordination.audit_labels import register_audit_labels
    from crm.coordination.collisions import init_listeners
    from crm.coordination.inbox import coordinator_panel, inbox_items
    from crm.core.access import READ_ROLES
    from crm.core.hooks import register_dashboard_panel, register_inbox_source
    from crm.core.i18n import N_
    from crm.core.nav import PROJECTS_MENU, register_nav
    from crm.projects.sections import register_project_section

    app.register_blueprint(views.bp)
    mount_domain(app, "coordination", api.bp, openapi.PATHS, openapi.SCHEMAS)
    register_nav(
        app, N_("项目流转"), "coordination.transfers", set(READ_ROLES), order=45, group=PROJECTS_MENU
    )
    register_nav(
        app, N_("撞车提醒"), "coordination.collisions", set(READ_ROLES), order=46, group=PROJECTS_MENU
    )
    register_project_section(app, views.project_section, order=25)
    register_inbox_source(app, inbox_items, order=25)
    register_dashboard_panel(app, coordinator_panel, order=5)
    register_audit_labels(app)
    init_listeners()


def load_demo(ctx) -> None:
    from crm.coordination.demo import load_demo as load

    load(ctx)
