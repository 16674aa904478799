"""Users, login, roles and API tokens."""


def init_app(app) -> None:
    from crm.auth.audit_labels import register_audit_labels
    from crm.auth.cli import users_cli
    from crm.auth.views import init_views

    register_audit_labels(app)

    init_views(app)
    app.cli.add_command(users_cli)
