"""Activities (跟进记录), "my follow-ups" and the per-user iCalendar feed."""


def init_app(app) -> None:
    from crm.activities import api, exports, openapi, services, views  # noqa: F401 - exports on views.bp
    from crm.activities.audit_labels import register_audit_labels
    from crm.activities.cli import activities_cli
    from crm.activities.timeline import activity_timeline
    from crm.api import mount_domain
    from crm.core.access import READ_ROLES
    from crm.core.hooks import register_followup_source
    from crm.core.nav import PROJECTS_MENU, register_nav
    from crm.projects.sections import register_project_section
    from crm.projects.timeline import register_timeline_source

    register_audit_labels(app)
    app.cli.add_command(activities_cli)
    app.register_blueprint(views.bp)
    mount_domain(app, "activities", api.bp, openapi.PATHS, openapi.SCHEMAS)
    register_nav(app, "我的跟进", "activities.followups", {"manager", "staff", "leader"}, order=15)
    register_nav(app, "跟进记录", "activities.index", READ_ROLES, order=30, group=PROJECTS_MENU)
    register_followup_source(app, services.project_followups)
    register_timeline_source(app, activity_timeline)
    register_project_section(app, views.project_section, order=10)


def load_demo(ctx) -> None:
    from crm.activities.demo import load_demo as load

    load(ctx)
