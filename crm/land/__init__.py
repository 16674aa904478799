"""Parks, parcels and carriers; where projects land; 标准地 conditions as obligations;
亩均效益 evaluation; land-and-projects lists (docs/design.md, "Land and 亩均效益")."""

__all__ = ["init_app", "load_demo"]

LAND_MENU = "园区与用地"  # a msgid, marked in crm.land.models.NAV_LABELS


def init_app(app) -> None:
    from crm.api import mount_domain
    from crm.core.access import READ_ROLES
    from crm.core.hooks import register_dashboard_panel
    from crm.core.nav import register_nav
    from crm.land import api, efficiency_views, openapi, views  # noqa: F401 - routes on views.bp
    from crm.land.audit_labels import register_audit_labels
    from crm.projects.sections import register_project_section

    register_audit_labels(app)
    app.register_blueprint(views.bp)
    mount_domain(app, "land", api.bp, openapi.PATHS, openapi.SCHEMAS)
    register_nav(app, "园区与载体", "land.index", set(READ_ROLES), order=10, group=LAND_MENU)
    register_nav(app, "用地与项目", "land.status", set(READ_ROLES), order=20, group=LAND_MENU)
    register_nav(app, "亩均效益评价", "land.efficiency", set(READ_ROLES), order=30, group=LAND_MENU)
    register_project_section(app, views.project_section, order=35)
    register_dashboard_panel(app, views.dashboard_panel, order=70)
    # The chain gap page asks for carriers suited to a gap's industry (chains never imports us).
    app.extensions["chaincrm_gap_carriers"] = views.gap_carriers


def load_demo(ctx) -> None:
    from crm.land.demo import load_demo as load

    load(ctx)
