"""Evidence files (附件) attached to the records auditors ask about: projects' contracts,
stage moves' evidence, funds vouchers, commitment reviews and fulfilments, referrals'
confirmation letters. Stored by content (crm/files/storage.py), typed by content
(crm/files/sniff.py), in the record's county and under its confidentiality.

The records that take files are registered by their own modules (crm/files/registry.py);
this package imports no domain.
"""

from __future__ import annotations

__all__ = ["init_app"]


def init_app(app) -> None:
    from crm.api import mount_domain
    from crm.core.nav import SYSTEM_MENU, register_nav
    from crm.files import api, errors, openapi, views
    from crm.files.access import may_read_files
    from crm.files.audit_labels import register_audit_labels
    from crm.files.cli import files_cli
    from crm.files.services import DEFAULT_MAX_BYTES

    app.config.setdefault("FILES_DIR", None)  # None: <instance folder>/files
    app.config.setdefault("FILE_MAX_BYTES", DEFAULT_MAX_BYTES)
    app.config["FILE_MAX_BYTES"] = int(app.config["FILE_MAX_BYTES"] or DEFAULT_MAX_BYTES)
    register_audit_labels(app)
    app.register_blueprint(views.bp)
    mount_domain(app, "files", api.bp, openapi.PATHS, openapi.SCHEMAS)
    errors.init_app(app)
    app.cli.add_command(files_cli)
    register_nav(app, "清除附件", "files.purge", {"manager"}, order=960, group=SYSTEM_MENU)
    app.add_template_global(views.render_panel, "attachments_panel")
    # {% if may_read_files('funds', record) %}: a page links to a record's files only for who
    # may read them.
    app.add_template_global(may_read_files, "may_read_files")
