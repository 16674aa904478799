"""Targets from above and the quarterly review: a coordinator's annual targets for its
counties, the quarter's frozen figures with 同比/环比 and the five rates, the weighted score
and ranking, the imported core indicators and the review document (通报)."""

__all__ = ["init_app", "load_demo"]


def init_app(app) -> None:
    from crm.api import mount_domain
    from crm.core.access import READ_ROLES
    from crm.core.i18n import N_
    from crm.core.nav import register_nav
    from crm.review import api, openapi, views
    from crm.review.audit_labels import register_audit_labels
    from crm.review.cli import review_cli

    app.register_blueprint(views.bp)
    mount_domain(app, "review", api.bp, openapi.PATHS, openapi.SCHEMAS)
    register_nav(app, N_("年度目标"), "review.targets", set(READ_ROLES), order=47)
    register_nav(app, N_("季度点评"), "review.index", set(READ_ROLES), order=48)
    register_audit_labels(app)
    app.cli.add_command(review_cli)


def load_demo(ctx) -> None:
    from crm.review.demo import load_demo as load

    load(ctx)
