"""The domain modules of the application, in the order the factory installs them.

Each is a package with ``init_app(app)``; an optional ``load_demo(ctx)`` feeds the demo
(``crm.demo``). Order matters for the demo: later modules build on earlier modules'
records. Its own module so that the factory and the demo both read it, and neither
imports the other.
"""

__all__ = ["MODULES"]

MODULES = (
    "crm.core.i18n",
    "crm.api",
    "crm.home",
    "crm.core.search",
    "crm.auth",
    "crm.regions",
    "crm.audit",
    "crm.files",
    "crm.companies",
    "crm.projects",
    "crm.activities",
    "crm.funds",
    # After the domains it writes to (companies, projects, activities, funds).
    "crm.imports",
    "crm.coordination",
    "crm.dashboard",
    "chains",
    "crm.commitments",
    "crm.land",
    # After funds, coordination (shares) and land (its counts go into the frozen quarter).
    "crm.review",
    "crm.rewards",
    "crm.gendata",
    "crm.backup",
)
