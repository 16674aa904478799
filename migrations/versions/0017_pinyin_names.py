"""companies and projects: pinyin of names, for pinyin order and type-ahead search (issue 15
item 3)

Company lists and pickers are read in 拼音 order and the pickers search by pinyin initials
("bjty" finds 宝鸡钛业), which SQL cannot compute: the columns keep them from the name
(crm/util/pinyin.py). `companies.name_pinyin` is the sort key, `companies.name_initials`,
`projects.name_initials` and `projects.code_name_initials` the initials. The upgrade fills
them for every existing row.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def _fill(table: str, columns: dict[str, tuple[str, object]]) -> None:
    """Compute ``column = convert(source)`` for every row of ``table``."""
    connection = op.get_bind()
    sources = sorted({source for source, _convert in columns.values()})
    rows = connection.execute(sa.text(f"SELECT id, {', '.join(sources)} FROM {table}")).mappings().all()
    if not rows:
        return
    assignments = ", ".join(f"{column} = :{column}" for column in columns)
    update = sa.text(f"UPDATE {table} SET {assignments} WHERE id = :id")
    values = [
        {"id": row["id"], **{column: convert(row[source]) for column, (source, convert) in columns.items()}}
        for row in rows
    ]
    for start in range(0, len(values), 5000):
        connection.execute(update, values[start : start + 5000])


def upgrade() -> None:
    from crm.util.pinyin import initials, pinyin_key

    with op.batch_alter_table("companies") as batch_op:
        batch_op.add_column(
            sa.Column("name_pinyin", sa.String(length=1200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("name_initials", sa.String(length=200), nullable=False, server_default="")
        )
    with op.batch_alter_table("projects") as batch_op:
        batch_op.add_column(
            sa.Column("name_initials", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("code_name_initials", sa.String(length=100), nullable=False, server_default="")
        )
    _fill("companies", {"name_pinyin": ("name", pinyin_key), "name_initials": ("name", initials)})
    _fill("projects", {"name_initials": ("name", initials), "code_name_initials": ("code_name", initials)})
    # The application keeps them from the name: no default in the database.
    with op.batch_alter_table("companies") as batch_op:
        batch_op.alter_column("name_pinyin", server_default=None)
        batch_op.alter_column("name_initials", server_default=None)
        batch_op.create_index(batch_op.f("ix_companies_name_pinyin"), ["name_pinyin"], unique=False)
        batch_op.create_index(batch_op.f("ix_companies_name_initials"), ["name_initials"], unique=False)
    with op.batch_alter_table("projects") as batch_op:
        batch_op.alter_column("name_initials", server_default=None)
        batch_op.alter_column("code_name_initials", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("projects") as batch_op:
        batch_op.drop_column("code_name_initials")
        batch_op.drop_column("name_initials")
    with op.batch_alter_table("companies") as batch_op:
        batch_op.drop_index(batch_op.f("ix_companies_name_initials"))
        batch_op.drop_index(batch_op.f("ix_companies_name_pinyin"))
        batch_op.drop_column("name_initials")
        batch_op.drop_column("name_pinyin")
