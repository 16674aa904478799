"""Ledger import (数据导入): a bureau's Excel/WPS/CSV ledgers of projects, companies, contacts,
funds in place and follow-ups, checked row by row, committed all-or-nothing as one batch."""

from crm.imports.readers import DEFAULT_MAX_BYTES, DEFAULT_MAX_UNCOMPRESSED

__all__ = ["init_app"]


def init_app(app) -> None:
    from crm.core.access import WRITE_ROLES
    from crm.core.nav import register_nav
    from crm.imports import views
    from crm.imports.audit_labels import register_audit_labels
    from crm.imports.cli import import_cli

    # The import's own limit; a web upload is also bounded by MAX_CONTENT_LENGTH (16 MB),
    # which Flask enforces before the view runs (see crm/imports/views.py, upload_limit).
    app.config.setdefault("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    app.config.setdefault("IMPORT_MAX_UNCOMPRESSED", DEFAULT_MAX_UNCOMPRESSED)
    app.cli.add_command(import_cli)
    app.register_blueprint(views.bp)
    register_audit_labels(app)
    register_nav(app, "数据导入", "imports.upload", set(WRITE_ROLES), order=90)
