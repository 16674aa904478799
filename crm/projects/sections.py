"""The project page as the hub: each module lists its records of the project there and
offers its create pages, without the projects module importing it.

A module registers a provider in its ``init_app``::

    from crm.projects.sections import ProjectSection, register_project_section
    register_project_section(app, provider, order=20)

``provider(project, can_write: bool, back: str) -> ProjectSection | None`` renders its part of
the page (its own template, its own ``queries``) and names its create actions; ``can_write``
says whether the viewer may write this project's records (a write role in its county), and
``back`` is the project page's path, for create pages that return there (``next=``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, url_for
from markupsafe import Markup

from crm.core.tenancy import current_scope

__all__ = [
    "ProjectAction",
    "ProjectSection",
    "county_industries",
    "project_sections",
    "register_industry_source",
    "register_project_section",
]

EXTENSION_KEY = "chaincrm_project_sections"
INDUSTRIES_KEY = "chaincrm_industry_sources"


@dataclass(frozen=True)
class ProjectAction:
    label: str  # already translated
    url: str


@dataclass(frozen=True)
class ProjectSection:
    html: Markup
    actions: tuple[ProjectAction, ...] = field(default_factory=tuple)


def register_project_section(app, provider, order: int = 100) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).append((order, provider))


def register_industry_source(app, source) -> None:
    """``source(county_id) -> list[str]``: industries a county works on (its chains), offered
    first for a project's 所属产业."""
    app.extensions.setdefault(INDUSTRIES_KEY, []).append(source)


def county_industries(county_id: int) -> list[str]:
    names: list[str] = []
    for source in current_app.extensions.get(INDUSTRIES_KEY, []):
        names.extend(name for name in source(county_id) if name not in names)
    return names


def may_write(project) -> bool:
    """The check each create page makes (``require_write(project)``), as a yes or no."""
    scope = current_scope()
    return scope is not None and scope.can_write(project.county_id)


def project_sections(project) -> list[ProjectSection]:
    """Every registered module's section of ``project``'s page, in their order."""
    can_write = may_write(project)
    back = url_for("projects.detail", project_id=project.id)
    providers = sorted(current_app.extensions.get(EXTENSION_KEY, []), key=lambda p: p[0])
    return [
        section
        for _order, provider in providers
        if (section := provider(project, can_write, back)) is not None
    ]
