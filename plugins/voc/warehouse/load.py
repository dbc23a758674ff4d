"""Getting rows into the warehouse: partition replacement by binary COPY.

A partition is the set of rows of one table that share key values (always ``business_date``; for tags also
``taxonomy_version``). Replacing it deletes and re-copies those rows inside the caller's transaction, under
an advisory lock on (table, partition), so a rerun of the same date replaces rather than appends, two runs
of one date serialise, and readers see either the old rows or the new ones, never a mix.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
import psycopg
from psycopg import sql

log = logging.getLogger(__name__)


class LoadError(RuntimeError):
    """Rows that could not be loaded; the message names the table and the partition."""


def column_types(conn: psycopg.Connection, table: str, columns: Sequence[str]) -> list[int]:
    """Type OIDs of ``columns`` in ``schema.table``, in order, for binary COPY."""
    schema, name = table.split(".", 1)
    rows = conn.execute(
        """
        select a.attname, a.atttypid
        from pg_attribute a
        join pg_class c on c.oid = a.attrelid
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = %s and c.relname = %s and a.attnum > 0 and not a.attisdropped
        """,
        (schema, name),
    ).fetchall()
    if not rows:
        raise LoadError(f"table {table} does not exist in the warehouse; run `voc warehouse init`")
    types = dict(rows)
    missing = [c for c in columns if c not in types]
    if missing:
        raise LoadError(f"table {table} has no column(s) {', '.join(missing)}")
    return [types[c] for c in columns]


def lock_partition(conn: psycopg.Connection, table: str, partition: Mapping[str, object]) -> None:
    """Serialise writers of one partition until the transaction ends."""
    key = f"{table}|" + "|".join(f"{k}={partition[k]}" for k in sorted(partition))
    conn.execute("select pg_advisory_xact_lock(hashtextextended(%s, 0))", (key,))


def delete_partition(conn: psycopg.Connection, table: str, partition: Mapping[str, object]) -> int:
    """Lock and empty one partition inside the caller's transaction; returns the rows removed."""
    if conn.autocommit:
        raise LoadError(f"writing {table} needs a transaction; open one with conn.transaction()")
    lock_partition(conn, table, partition)
    where = sql.SQL(" and ").join(sql.SQL("{} = {}").format(sql.Identifier(k), sql.Placeholder()) for k in partition)
    stmt = sql.SQL("delete from {} where {}").format(sql.Identifier(*table.split(".", 1)), where)
    return conn.execute(stmt, list(partition.values())).rowcount


def copy_rows(
    conn: psycopg.Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> int:
    """Append ``rows`` to ``table`` with binary COPY; returns the rows written."""
    types = column_types(conn, table, columns)
    stmt = sql.SQL("copy {} ({}) from stdin (format binary)").format(
        sql.Identifier(*table.split(".", 1)), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    written = 0
    with conn.cursor() as cur:
        try:
            with cur.copy(stmt) as copy:
                copy.set_types(types)
                for row in rows:
                    copy.write_row(row)
                    written += 1
        except psycopg.Error as exc:
            raise LoadError(f"loading {table} failed ({written} rows sent; the server names the COPY line): {exc}") from exc
    return written


def replace_partition(
    conn: psycopg.Connection,
    table: str,
    partition: Mapping[str, object],
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
) -> int:
    """Replace the rows of ``table`` matching ``partition`` with ``rows``; returns the rows written.

    Runs inside a transaction the caller commits, so several tables of one source land together.
    """
    column_types(conn, table, columns)  # names a missing table or column before anything is deleted
    deleted = delete_partition(conn, table, partition)
    written = copy_rows(conn, table, columns, rows)
    log.info("%s %s: replaced %d rows with %d", table, dict(partition), deleted, written)
    return written
