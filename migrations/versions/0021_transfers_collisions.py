"""transfers, benefit-sharing agreements and collision alerts (issue 17)

`transfers`: a county's offer of a project to another county and its answer; `benefit_agreements`
with `benefit_shares`: each county's percent of a project's funds in place, output and tax for
N years (a transfer, or 异地建设); `collision_alerts`: two counties pursuing the same investor
(撞车) and the coordinator's ruling. None is county-owned: each names two counties.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "collision_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_a_id", sa.Integer(), nullable=False),
        sa.Column("project_b_id", sa.Integer(), nullable=False),
        sa.Column("county_a_id", sa.Integer(), nullable=False),
        sa.Column("county_b_id", sa.Integer(), nullable=False),
        sa.Column("match", sa.String(length=20), nullable=False),
        sa.Column("company_label", sa.String(length=200), nullable=False),
        sa.Column("company_key", sa.String(length=200), nullable=False),
        sa.Column("first_county_id", sa.Integer(), nullable=False),
        sa.Column("first_contact_a", sa.Date(), nullable=False),
        sa.Column("first_contact_b", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("ruling", sa.String(length=20), nullable=True),
        sa.Column("lead_county_id", sa.Integer(), nullable=True),
        sa.Column("ruling_note", sa.Text(), nullable=True),
        sa.Column("ruled_by_id", sa.Integer(), nullable=True),
        sa.Column("ruled_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["county_a_id"], ["regions.id"], name=op.f("fk_collision_alerts_county_a_id_regions")
        ),
        sa.ForeignKeyConstraint(
            ["county_b_id"], ["regions.id"], name=op.f("fk_collision_alerts_county_b_id_regions")
        ),
        sa.ForeignKeyConstraint(
            ["first_county_id"], ["regions.id"], name=op.f("fk_collision_alerts_first_county_id_regions")
        ),
        sa.ForeignKeyConstraint(
            ["lead_county_id"], ["regions.id"], name=op.f("fk_collision_alerts_lead_county_id_regions")
        ),
        sa.ForeignKeyConstraint(
            ["project_a_id"], ["projects.id"], name=op.f("fk_collision_alerts_project_a_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["project_b_id"], ["projects.id"], name=op.f("fk_collision_alerts_project_b_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["ruled_by_id"], ["users.id"], name=op.f("fk_collision_alerts_ruled_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collision_alerts")),
        sa.UniqueConstraint(
            "project_a_id", "project_b_id", name=op.f("uq_collision_alerts_project_a_id_project_b_id")
        ),
    )
    with op.batch_alter_table("collision_alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_collision_alerts_company_key"), ["company_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_collision_alerts_county_a_id"), ["county_a_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_collision_alerts_county_b_id"), ["county_b_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_collision_alerts_project_a_id"), ["project_a_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_collision_alerts_project_b_id"), ["project_b_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_collision_alerts_status"), ["status"], unique=False)

    op.create_table(
        "transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("from_county_id", sa.Integer(), nullable=False),
        sa.Column("to_county_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("from_share_percent", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("years", sa.Integer(), nullable=False),
        sa.Column("offered_by_id", sa.Integer(), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("answer_note", sa.Text(), nullable=True),
        sa.Column("collision_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by_id"], ["users.id"], name=op.f("fk_transfers_answered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["collision_id"], ["collision_alerts.id"], name=op.f("fk_transfers_collision_id_collision_alerts")
        ),
        sa.ForeignKeyConstraint(
            ["from_county_id"], ["regions.id"], name=op.f("fk_transfers_from_county_id_regions")
        ),
        sa.ForeignKeyConstraint(
            ["offered_by_id"], ["users.id"], name=op.f("fk_transfers_offered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_transfers_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["to_county_id"], ["regions.id"], name=op.f("fk_transfers_to_county_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfers")),
    )
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transfers_from_county_id"), ["from_county_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_transfers_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_transfers_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_transfers_to_county_id"), ["to_county_id"], unique=False)

    op.create_table(
        "benefit_agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("origin_county_id", sa.Integer(), nullable=False),
        sa.Column("host_county_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("years", sa.Integer(), nullable=False),
        sa.Column("park", sa.String(length=200), nullable=True),
        sa.Column("transfer_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_benefit_agreements_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["host_county_id"], ["regions.id"], name=op.f("fk_benefit_agreements_host_county_id_regions")
        ),
        sa.ForeignKeyConstraint(
            ["origin_county_id"], ["regions.id"], name=op.f("fk_benefit_agreements_origin_county_id_regions")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_benefit_agreements_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["transfer_id"], ["transfers.id"], name=op.f("fk_benefit_agreements_transfer_id_transfers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benefit_agreements")),
    )
    with op.batch_alter_table("benefit_agreements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_benefit_agreements_host_county_id"), ["host_county_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_benefit_agreements_origin_county_id"), ["origin_county_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_benefit_agreements_project_id"), ["project_id"], unique=False)

    op.create_table(
        "benefit_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.Column("funds_percent", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("output_percent", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("tax_percent", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["benefit_agreements.id"],
            name=op.f("fk_benefit_shares_agreement_id_benefit_agreements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["county_id"], ["regions.id"], name=op.f("fk_benefit_shares_county_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benefit_shares")),
        sa.UniqueConstraint(
            "agreement_id", "county_id", name=op.f("uq_benefit_shares_agreement_id_county_id")
        ),
    )
    with op.batch_alter_table("benefit_shares", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_benefit_shares_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_benefit_shares_county_id"), ["county_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("benefit_shares", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_benefit_shares_county_id"))
        batch_op.drop_index(batch_op.f("ix_benefit_shares_agreement_id"))

    op.drop_table("benefit_shares")
    with op.batch_alter_table("benefit_agreements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_benefit_agreements_project_id"))
        batch_op.drop_index(batch_op.f("ix_benefit_agreements_origin_county_id"))
        batch_op.drop_index(batch_op.f("ix_benefit_agreements_host_county_id"))

    op.drop_table("benefit_agreements")
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transfers_to_county_id"))
        batch_op.drop_index(batch_op.f("ix_transfers_status"))
        batch_op.drop_index(batch_op.f("ix_transfers_project_id"))
        batch_op.drop_index(batch_op.f("ix_transfers_from_county_id"))

    op.drop_table("transfers")
    with op.batch_alter_table("collision_alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collision_alerts_status"))
        batch_op.drop_index(batch_op.f("ix_collision_alerts_project_b_id"))
        batch_op.drop_index(batch_op.f("ix_collision_alerts_project_a_id"))
        batch_op.drop_index(batch_op.f("ix_collision_alerts_county_b_id"))
        batch_op.drop_index(batch_op.f("ix_collision_alerts_county_a_id"))
        batch_op.drop_index(batch_op.f("ix_collision_alerts_company_key"))

    op.drop_table("collision_alerts")
