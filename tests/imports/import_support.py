"""For the import tests that call the services directly: write as a county user would on a
page, and run a ledger's import as the review page would."""

from __future__ import annotations

from crm.auth.models import User
from crm.core.db import db
from crm.core.session import TenantScope
from crm.core.tenancy import set_scope
from crm.imports import services
from crm.imports.headers import guess_mapping, known_headers
from crm.imports.readers import read_table

__all__ = ["EXPORTED_PROJECT_FIELDS", "import_ledger", "scope_as", "scope_of"]

#: A project's own fields that the projects export writes (in its column order): an import of
#: the export must bring each back as it was, so the round-trip tests compare them all.
EXPORTED_PROJECT_FIELDS = (
    "name",
    "code_name",
    "stage",
    "lost_reason",
    "kind",
    "source_channel",
    "responsible_unit",
    "leader_in_charge",
    "planned_investment_wan",
    "fixed_asset_investment_wan",
    "foreign_investment_wan",
    "expected_annual_output_wan",
    "expected_annual_tax_wan",
    "expected_jobs",
    "land_mu",
    "capital_origin",
    "signed_on",
    "contract_no",
    "registered_on",
    "construction_started_on",
    "production_started_on",
    "next_follow_up_on",
)


def scope_as(user: User) -> None:
    """Write as ``user`` would on a page: their county, their name in the audit."""
    set_scope(
        TenantScope(
            actor_id=user.id,
            actor_name=user.username,
            read_county_ids=frozenset({user.region_id}),
            write_county_id=user.region_id,
        )
    )


def scope_of(world, username: str) -> User:
    """Write as the ``world`` user ``username`` (see ``scope_as``); answers that user."""
    user = db.session.get(User, world.ids[username])
    scope_as(user)
    return user


def import_ledger(data: bytes, user: User, kind: str = "projects", **options):
    """The import of the ledger file ``data`` (台账.xlsx) into ``user``'s county by ``user``,
    its columns mapped as the review page guesses them; ``options`` are ``run_import``'s
    (``commit``, ``choices``, ``row_by_row``). Answers the report."""
    table = read_table(data, known_headers=known_headers(kind))
    return services.run_import(
        table,
        kind,
        guess_mapping(kind, table.headers),
        county_id=user.region_id,
        actor=user,
        file_name="台账.xlsx",
        file_sha256=services.sha256(data),
        **options,
    )
