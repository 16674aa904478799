"""Users, login, roles and API tokens."""


def init_app(app) -> None:
    from crm.auth.cli import users_cli
    from crm.auth.views import init_views

    init_views(app)
    app.cli.add_command(users_cli)
