"""Links to a project that work whether or not the projects pages are installed yet."""

from __future__ import annotations

from flask import url_for
from werkzeug.routing import BuildError

from crm.core import clock


def project_url(project_id: int) -> str:
    """The project's detail page, or its activity list while no detail page exists."""
    try:
        return url_for("projects.detail", project_id=project_id)
    except BuildError:
        return url_for("activities.index", project_id=project_id)


def local_today():
    """Today in the bureau's time zone (see ``crm.core.clock``)."""
    return clock.today()
