"""industrial-chain maps: chains, segments, supply links, chain firms, project aims (issue 4)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chains",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("leader_official", sa.String(length=100), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("template_key", sa.String(length=50), nullable=True),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["county_id"], ["regions.id"], name=op.f("fk_chains_county_id_regions"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chains")),
        sa.UniqueConstraint("county_id", "name", name=op.f("uq_chains_county_id_name")),
    )
    with op.batch_alter_table("chains", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chains_county_id"), ["county_id"], unique=False)

    op.create_table(
        "chain_segments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("importance", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chain_id"], ["chains.id"], name=op.f("fk_chain_segments_chain_id_chains"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["county_id"],
            ["regions.id"],
            name=op.f("fk_chain_segments_county_id_regions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["chain_segments.id"],
            name=op.f("fk_chain_segments_parent_id_chain_segments"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_segments")),
        sa.UniqueConstraint("chain_id", "name", name=op.f("uq_chain_segments_chain_id_name")),
    )
    with op.batch_alter_table("chain_segments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chain_segments_chain_id"), ["chain_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_chain_segments_county_id"), ["county_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_chain_segments_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "chain_firms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("segment_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("presence", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chain_id"], ["chains.id"], name=op.f("fk_chain_firms_chain_id_chains"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_chain_firms_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["county_id"], ["regions.id"], name=op.f("fk_chain_firms_county_id_regions"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["segment_id"],
            ["chain_segments.id"],
            name=op.f("fk_chain_firms_segment_id_chain_segments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_firms")),
        sa.UniqueConstraint("segment_id", "company_id", name=op.f("uq_chain_firms_segment_id_company_id")),
    )
    with op.batch_alter_table("chain_firms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chain_firms_chain_id"), ["chain_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_chain_firms_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_chain_firms_county_id"), ["county_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_chain_firms_segment_id"), ["segment_id"], unique=False)

    op.create_table(
        "chain_segment_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("consumer_id", sa.Integer(), nullable=False),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chain_id"],
            ["chains.id"],
            name=op.f("fk_chain_segment_links_chain_id_chains"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["consumer_id"],
            ["chain_segments.id"],
            name=op.f("fk_chain_segment_links_consumer_id_chain_segments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["county_id"],
            ["regions.id"],
            name=op.f("fk_chain_segment_links_county_id_regions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["chain_segments.id"],
            name=op.f("fk_chain_segment_links_supplier_id_chain_segments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_segment_links")),
        sa.UniqueConstraint(
            "supplier_id", "consumer_id", name=op.f("uq_chain_segment_links_supplier_id_consumer_id")
        ),
    )
    with op.batch_alter_table("chain_segment_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chain_segment_links_chain_id"), ["chain_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_chain_segment_links_consumer_id"), ["consumer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_chain_segment_links_county_id"), ["county_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_chain_segment_links_supplier_id"), ["supplier_id"], unique=False)

    op.create_table(
        "project_segments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("segment_id", sa.Integer(), nullable=False),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["county_id"],
            ["regions.id"],
            name=op.f("fk_project_segments_county_id_regions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_segments_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["segment_id"],
            ["chain_segments.id"],
            name=op.f("fk_project_segments_segment_id_chain_segments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_segments")),
        sa.UniqueConstraint(
            "project_id", "segment_id", name=op.f("uq_project_segments_project_id_segment_id")
        ),
    )
    with op.batch_alter_table("project_segments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_segments_county_id"), ["county_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_segments_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_segments_segment_id"), ["segment_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("project_segments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_segments_segment_id"))
        batch_op.drop_index(batch_op.f("ix_project_segments_project_id"))
        batch_op.drop_index(batch_op.f("ix_project_segments_county_id"))

    op.drop_table("project_segments")
    with op.batch_alter_table("chain_segment_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chain_segment_links_supplier_id"))
        batch_op.drop_index(batch_op.f("ix_chain_segment_links_county_id"))
        batch_op.drop_index(batch_op.f("ix_chain_segment_links_consumer_id"))
        batch_op.drop_index(batch_op.f("ix_chain_segment_links_chain_id"))

    op.drop_table("chain_segment_links")
    with op.batch_alter_table("chain_firms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chain_firms_segment_id"))
        batch_op.drop_index(batch_op.f("ix_chain_firms_county_id"))
        batch_op.drop_index(batch_op.f("ix_chain_firms_company_id"))
        batch_op.drop_index(batch_op.f("ix_chain_firms_chain_id"))

    op.drop_table("chain_firms")
    with op.batch_alter_table("chain_segments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chain_segments_parent_id"))
        batch_op.drop_index(batch_op.f("ix_chain_segments_county_id"))
        batch_op.drop_index(batch_op.f("ix_chain_segments_chain_id"))

    op.drop_table("chain_segments")
    with op.batch_alter_table("chains", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chains_county_id"))

    op.drop_table("chains")
