"""注册落地: what a project's registration evidence means (docs/design.md "Pipeline").

The evidence of 注册落地 is the project's local company (本地注册企业), new or existing as
the project's kind says:

* ``registered_on``: for the kinds that found a new legal entity (``NEW_ENTITY_KINDS``:
  新建, 合资) it is the new local company's registration date, which cannot precede the
  signing. An expansion (扩建/增资) or relocation (搬迁) builds on a company that exists
  already, registered perhaps years ago: there ``registered_on`` is the date the project
  was registered locally (增资、变更或迁入登记), and it is not compared with the signing.
  Like every evidence date it is never in the future (``pipeline.future_date_errors``).
"""

from __future__ import annotations

from flask_babel import gettext as _

__all__ = ["NEW_ENTITY_KINDS", "founds_new_entity", "missing_local_company"]

NEW_ENTITY_KINDS = ("new", "joint_venture")


def founds_new_entity(kind: str | None) -> bool:
    """Whether a project of this kind founds a new local company (the kind defaults to 新建).

    >>> founds_new_entity("joint_venture"), founds_new_entity("expansion"), founds_new_entity(None)
    (True, False, True)
    """
    return (kind or "new") in NEW_ENTITY_KINDS


def missing_local_company(kind: str | None) -> str:
    """The refusal when a project reaches 注册落地 without its local company, worded for
    the company its kind expects: a new one, or the existing one that expands or moves in."""
    if founds_new_entity(kind):
        return _("注册落地须选择新设立的本地注册企业")
    return _("注册落地须选择在本地登记的企业（扩建、搬迁项目为已有企业）")
