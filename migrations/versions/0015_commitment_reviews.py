"""commitments: reviews as records (公平竞争审查, 合法性审核（司法局）), collective-decision
records, the stated legal basis of a risky clause, the obligations and conditions a
payment depends on, and policy withdrawal with the 存量清理 list (issue 14 items 9-13)

Until now a commitment carried two drop-downs the drafter set (``fair_review``,
``legal_review``). They become rows of ``commitment_reviews``, one per review, with the
reviewer, date, document number, conclusion and attachment reference.

What happens to existing rows (decided here, explained for the auditor):

* A drop-down left at 待审查 (``pending``) becomes nothing: no record is a pending review.
* 审查通过 / 审查未通过 / 无需审查 become one record each, marked ``migrated``: reviewer and
  document number empty (the drop-down never had them), the review date is the
  commitment's 承诺日期 (the only date on record), recorded by the drafter at the
  commitment's last change. The page shows them as "升级前的下拉选项" so nobody mistakes
  them for a justice-bureau opinion.
* A migrated record keeps the state readable (an approved commitment still shows
  审查通过) but does not count towards approving a draft: a draft still waiting for
  approval needs real records of both reviews, as every new draft does. Approvals
  already given stay as they were (they are history, not re-decided by an upgrade).

``override_reason`` stays as it was on approvals above the cap made before the upgrade;
new ones rest on a ``collective_decisions`` row (meeting, date, minute number), referred
to from the commitment (``cap_decision_id``) and from the approval decision.

``commitment_obligations`` links a commitment to the investor obligations its payment
depends on; none exist before (no payment is blocked by the upgrade). A fulfilment gains
how the clause's conditions were verified (``conditions_evidence``) and the collective
decision that allowed paying with something unmet (``override_decision_id``); fulfilments
already recorded keep both empty: they are history, not re-judged.

A policy can be withdrawn (废止: day, document, reason, when recorded), and remembers when
its 公平竞争审查 was last set to failed (``review_failed_at``). Existing policies whose
review already stands failed get their last change as that moment, so the live
commitments under them appear on the 存量清理 list after the upgrade: that is the review
the regulation asks for, and nobody decided it yet. ``cleanup_resolutions`` keeps each
manager's decision on that list (continue on a collective decision, or revoke).

Downgrade folds the current records back into the two drop-downs (the latest record of
each kind not superseded; none is 待审查) and drops the new tables and columns.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# The old drop-down columns and the review kind each becomes.
OLD_COLUMNS = {"fair_review": "fair_competition", "legal_review": "legality"}


def upgrade() -> None:
    op.create_table(
        "collective_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("minute_no", sa.String(length=100), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["county_id"],
            ["regions.id"],
            name=op.f("fk_collective_decisions_county_id_regions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_collective_decisions_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective_decisions")),
        sa.UniqueConstraint(
            "county_id", "minute_no", name=op.f("uq_collective_decisions_county_id_minute_no")
        ),
    )
    with op.batch_alter_table("collective_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_collective_decisions_county_id"), ["county_id"], unique=False)

    op.create_table(
        "commitment_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("reviewer", sa.String(length=100), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("document_no", sa.String(length=100), nullable=False),
        sa.Column("conclusion", sa.String(length=16), nullable=False),
        sa.Column("attachment_ref", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("migrated", sa.Boolean(), nullable=False),
        sa.Column("superseded_at", sa.DateTime(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_commitment_reviews_commitment_id_commitments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["county_id"],
            ["regions.id"],
            name=op.f("fk_commitment_reviews_county_id_regions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_commitment_reviews_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_reviews")),
    )
    with op.batch_alter_table("commitment_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_reviews_commitment_id"), ["commitment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_commitment_reviews_county_id"), ["county_id"], unique=False)

    for column, kind in OLD_COLUMNS.items():
        op.execute(
            sa.text(
                "INSERT INTO commitment_reviews (commitment_id, kind, reviewer, reviewed_on, document_no, "
                "conclusion, migrated, recorded_by_id, recorded_at, county_id) "
                f"SELECT id, :kind, '', committed_on, '', {column}, :yes, created_by_id, updated_at, county_id "
                f"FROM commitments WHERE {column} <> 'pending' ORDER BY id"
            ).bindparams(kind=kind, yes=True)
        )

    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("risk_legal_basis", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("cap_decision_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_commitments_cap_decision_id_collective_decisions"),
            "collective_decisions",
            ["cap_decision_id"],
            ["id"],
        )
        batch_op.drop_column("fair_review")
        batch_op.drop_column("legal_review")

    with op.batch_alter_table("commitment_decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("collective_decision_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_commitment_decisions_collective_decision_id_collective_decisions"),
            "collective_decisions",
            ["collective_decision_id"],
            ["id"],
        )

    with op.batch_alter_table("fulfillments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("conditions_evidence", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("override_decision_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_fulfillments_override_decision_id_collective_decisions"),
            "collective_decisions",
            ["override_decision_id"],
            ["id"],
        )

    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_failed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("withdrawal_document", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("withdrawal_reason", sa.Text(), nullable=True))
    op.execute("UPDATE policies SET review_failed_at = updated_at WHERE fair_review = 'failed'")

    op.create_table(
        "cleanup_resolutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("cause", sa.String(length=20), nullable=False),
        sa.Column("resolution", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=False),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_cleanup_resolutions_commitment_id_commitments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["county_id"],
            ["regions.id"],
            name=op.f("fk_cleanup_resolutions_county_id_regions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["collective_decisions.id"],
            name=op.f("fk_cleanup_resolutions_decision_id_collective_decisions"),
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"], ["users.id"], name=op.f("fk_cleanup_resolutions_resolved_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cleanup_resolutions")),
    )
    with op.batch_alter_table("cleanup_resolutions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cleanup_resolutions_commitment_id"), ["commitment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cleanup_resolutions_county_id"), ["county_id"], unique=False)

    op.create_table(
        "commitment_obligations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_commitment_obligations_commitment_id_commitments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["county_id"],
            ["regions.id"],
            name=op.f("fk_commitment_obligations_county_id_regions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["obligation_id"],
            ["obligations.id"],
            name=op.f("fk_commitment_obligations_obligation_id_obligations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_obligations")),
        sa.UniqueConstraint(
            "commitment_id",
            "obligation_id",
            name=op.f("uq_commitment_obligations_commitment_id_obligation_id"),
        ),
    )
    with op.batch_alter_table("commitment_obligations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_obligations_commitment_id"), ["commitment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_commitment_obligations_county_id"), ["county_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_commitment_obligations_obligation_id"), ["obligation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("cleanup_resolutions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cleanup_resolutions_county_id"))
        batch_op.drop_index(batch_op.f("ix_cleanup_resolutions_commitment_id"))
    op.drop_table("cleanup_resolutions")
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.drop_column("withdrawal_reason")
        batch_op.drop_column("withdrawal_document")
        batch_op.drop_column("withdrawn_at")
        batch_op.drop_column("withdrawn_on")
        batch_op.drop_column("review_failed_at")
    with op.batch_alter_table("commitment_obligations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_obligations_obligation_id"))
        batch_op.drop_index(batch_op.f("ix_commitment_obligations_county_id"))
        batch_op.drop_index(batch_op.f("ix_commitment_obligations_commitment_id"))
    op.drop_table("commitment_obligations")
    with op.batch_alter_table("fulfillments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_fulfillments_override_decision_id_collective_decisions"), type_="foreignkey"
        )
        batch_op.drop_column("override_decision_id")
        batch_op.drop_column("conditions_evidence")

    with op.batch_alter_table("commitment_decisions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_commitment_decisions_collective_decision_id_collective_decisions"),
            type_="foreignkey",
        )
        batch_op.drop_column("collective_decision_id")

    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("fair_review", sa.String(length=16), nullable=False, server_default="pending")
        )
        batch_op.add_column(
            sa.Column("legal_review", sa.String(length=16), nullable=False, server_default="pending")
        )
    for column, kind in OLD_COLUMNS.items():
        op.execute(
            sa.text(
                f"UPDATE commitments SET {column} = (SELECT r.conclusion FROM commitment_reviews r "
                "WHERE r.commitment_id = commitments.id AND r.kind = :kind AND r.superseded_at IS NULL "
                "ORDER BY r.reviewed_on DESC, r.id DESC LIMIT 1) "
                "WHERE EXISTS (SELECT 1 FROM commitment_reviews r WHERE r.commitment_id = commitments.id "
                "AND r.kind = :kind AND r.superseded_at IS NULL)"
            ).bindparams(kind=kind)
        )
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.alter_column("fair_review", server_default=None)
        batch_op.alter_column("legal_review", server_default=None)
        batch_op.drop_constraint(
            batch_op.f("fk_commitments_cap_decision_id_collective_decisions"), type_="foreignkey"
        )
        batch_op.drop_column("cap_decision_id")
        batch_op.drop_column("risk_legal_basis")

    with op.batch_alter_table("commitment_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_reviews_county_id"))
        batch_op.drop_index(batch_op.f("ix_commitment_reviews_commitment_id"))
    op.drop_table("commitment_reviews")
    with op.batch_alter_table("collective_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collective_decisions_county_id"))
    op.drop_table("collective_decisions")
