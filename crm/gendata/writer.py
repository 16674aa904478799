"""Bulk row writer for the synthetic data: ids handed out in Python, rows inserted in batches.

Handing out ids here (from the table's current maximum) lets one county's projects,
activities and commitments reference each other without reading anything back, so the
whole province goes in as plain multi-row INSERTs. Rows are only ever inserted: existing
rows are never read for update, changed or deleted.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, Table, func, insert, select, text

BATCH_ROWS = 5_000


class BulkWriter:
    """Collects rows per table and inserts them in batches on ``connection``.

    Tables are flushed in the order they were first written to, so a parent table
    (written first) is always inserted before the rows that reference it.
    """

    def __init__(self, connection: Connection, tables: dict[str, Table]):
        self.connection = connection
        self.tables = tables
        self._next_id: dict[str, int] = {}
        self._pending: dict[str, list[dict]] = defaultdict(list)
        self._order: list[str] = []
        self.counts: dict[str, int] = defaultdict(int)

    def new_id(self, table_name: str) -> int:
        if table_name not in self._next_id:
            table = self.tables[table_name]
            current = self.connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
            self._next_id[table_name] = current + 1
        value = self._next_id[table_name]
        self._next_id[table_name] = value + 1
        return value

    def add(self, table_name: str, row: dict) -> dict:
        """Queue ``row`` (given an id if the table has one and the row has none)."""
        if "id" in self.tables[table_name].c and "id" not in row:
            row["id"] = self.new_id(table_name)
        if table_name not in self._pending and table_name not in self._order:
            self._order.append(table_name)
        pending = self._pending[table_name]
        pending.append(row)
        if len(pending) >= BATCH_ROWS:
            self.flush()
        return row

    def flush(self) -> None:
        for table_name in self._order:
            rows = self._pending.get(table_name)
            if rows:
                self.connection.execute(insert(self.tables[table_name]), rows)
                self.counts[table_name] += len(rows)
                rows.clear()

    def finish(self) -> None:
        """Insert what is left and, on PostgreSQL, move each id sequence past the ids used."""
        self.flush()
        if self.connection.dialect.name != "postgresql":
            return
        for table_name in self._next_id:
            self.connection.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                    "(SELECT coalesce(max(id), 1) FROM " + self.tables[table_name].name + "))"
                ),
                {"table": table_name},
            )
