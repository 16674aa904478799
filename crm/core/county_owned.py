"""The mark of a record that belongs to one county (the tenant).

Its own module because both the session (``crm.core.session``: ``get`` never hands out
another county's record) and the models (``crm.core.db``) need it, and neither may
import the other.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

__all__ = ["CountyOwned"]


class CountyOwned:
    """A record that belongs to one county (the tenant).

    Every query on a subclass is filtered to the counties the session may read, and
    every write is checked against the county it may write (see ``crm.core.tenancy``).
    """

    @declared_attr
    def county_id(cls) -> Mapped[int]:
        return mapped_column(
            Integer, ForeignKey("regions.id", ondelete="RESTRICT"), index=True, nullable=False
        )
