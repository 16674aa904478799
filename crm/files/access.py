"""Who may read a record's evidence files: the one check behind the files pages, the
download, the API, and every 附件 link or files section a module's page shows (so a page
never offers a link that answers 403)."""

from __future__ import annotations

from flask_login import current_user

from crm.core.access import READ_ROLES
from crm.files.registry import OwnerKind, owner_kind

__all__ = ["may_read_files"]


def may_read_files(kind: str | OwnerKind, record, user=None) -> bool:
    """Whether ``user`` (the logged-in user by default) may list and download the files of
    ``record``, a record of ``kind`` already loaded through the tenant scope: a reading role,
    and the kind's own rule (a confidential project's files follow its real-name rule)."""
    user = current_user if user is None else user
    found = kind if isinstance(kind, OwnerKind) else owner_kind(kind)
    if found is None or record is None:
        return False
    if not getattr(user, "is_authenticated", False) or not user.has_role(*READ_ROLES):
        return False
    return bool(found.may_read(record, user))
