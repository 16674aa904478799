"""Each app gets its own engine options: one app's driver settings never reach another's."""

from crm import create_app


def test_sqlite_and_postgresql_apps_do_not_share_connect_args(tmp_path):
    sqlite_app = create_app({"TESTING": True, "DATABASE_URL": "sqlite:///" + str(tmp_path / "a.sqlite")})
    with sqlite_app.app_context():
        from crm.core.db import db

        db.engine  # noqa: B018 - creating the engine adds SQLite's driver defaults
    postgres_app = create_app(
        {"TESTING": True, "DATABASE_URL": "postgresql+psycopg://user:secret@localhost/none"}
    )
    assert postgres_app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {"options": "-c jit=off"}
    assert "options" not in sqlite_app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]
