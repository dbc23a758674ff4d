"""Getting rows into the warehouse: partition replacement by binary COPY.

A partition is the set of rows of one table on a range of business dates that share other key values (for
tags also ``taxonomy_version`` and ``tag_partition``). Replacing it deletes and re-copies those rows inside
the caller's transaction, under advisory locks, so a rerun replaces rather than appends, two writers of one
date serialise, and readers see either the old rows or the new ones, never a mix.

Locks are two-level so a history load needs a handful of locks however long its range: a one-date writer
holds the table's key shared and its date's key exclusively; a range writer holds the table's key
exclusively. Two nights of different dates run side by side; a history load waits for them, and they for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence

import psycopg
from psycopg import sql

from voc.business_date import BusinessDates

log = logging.getLogger(__name__)


ANALYZE_SHARE = 0.1  # as autovacuum's default analyze scale factor, but at once


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


def lock_dates(conn: psycopg.Connection, table: str, dates: BusinessDates, keys: Mapping[str, object] = {}) -> None:
    """Serialise writers of ``table`` on ``dates`` (and ``keys``) until the transaction ends."""
    scope = f"{table}|" + "|".join(f"{k}={keys[k]}" for k in sorted(keys))
    lock = "select pg_advisory_xact_lock{}(hashtextextended(%s, 0))"
    if len(dates) == 1:
        conn.execute(lock.format("_shared"), (scope,))
        conn.execute(lock.format(""), (f"{scope}|business_date={dates.first}",))
    else:
        conn.execute(lock.format(""), (scope,))


def delete_dates(conn: psycopg.Connection, table: str, dates: BusinessDates, keys: Mapping[str, object] = {}) -> int:
    """Lock and empty ``table`` on ``dates`` (and ``keys``) inside the caller's transaction; returns rows removed."""
    if conn.autocommit:
        raise LoadError(f"writing {table} needs a transaction; open one with conn.transaction()")
    lock_dates(conn, table, dates, keys)
    where = [sql.SQL("business_date between {} and {}").format(sql.Placeholder(), sql.Placeholder())]
    where += [sql.SQL("{} = {}").format(sql.Identifier(k), sql.Placeholder()) for k in keys]
    stmt = sql.SQL("delete from {} where {}").format(sql.Identifier(*table.split(".", 1)), sql.SQL(" and ").join(where))
    return conn.execute(stmt, [dates.first, dates.last, *keys.values()]).rowcount


def copy_rows(
    conn: psycopg.Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]],
    types: Sequence[int] | None = None,
) -> int:
    """Append ``rows`` to ``table`` with binary COPY; returns the rows written. ``types`` (from
    ``column_types``) spares a caller that copies many batches into one table a catalog lookup per batch."""
    types = types or column_types(conn, table, columns)
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


def replace_dates(
    conn: psycopg.Connection,
    table: str,
    dates: BusinessDates,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    keys: Mapping[str, object] = {},
) -> int:
    """Replace the rows of ``table`` on ``dates`` (and ``keys``) with ``rows``; returns the rows written.

    ``columns`` starts with ``business_date``; a row dated outside ``dates`` is refused, since it would be
    appended to a partition this call does not replace. Runs inside a transaction the caller commits, so
    several tables of one source land together.
    """
    if columns[0] != "business_date":
        raise LoadError(f"rows for {table} must start with business_date, got columns {', '.join(columns)}")
    column_types(conn, table, columns)  # names a missing table or column before anything is deleted
    deleted = delete_dates(conn, table, dates, keys)
    written = copy_rows(conn, table, columns, _inside(rows, table, dates))
    analyze_if_changed(conn, table, deleted + written)
    log.info("%s %s %s: replaced %d rows with %d", table, dates, dict(keys), deleted, written)
    return written


def analyze_if_changed(conn: psycopg.Connection, table: str, changed: int) -> None:
    """Refresh the planner's statistics of ``table`` when ``changed`` rows are a large part of it.

    A history load can multiply a table in one transaction; until autovacuum catches up (a minute or more
    later) the planner would still believe the table holds yesterday's handful of rows and choose nested
    loops that run for minutes. A night's load changes a small share and leaves it to autovacuum.
    """
    estimate = conn.execute("select reltuples from pg_class where oid = %s::regclass", (table,)).fetchone()[0]
    if changed and (estimate < 0 or changed > ANALYZE_SHARE * estimate):
        conn.execute(sql.SQL("analyze {}").format(sql.Identifier(*table.split(".", 1))))


def _inside(rows: Iterable[Sequence[object]], table: str, dates: BusinessDates) -> Iterable[Sequence[object]]:
    first, last = dates.first, dates.last
    for row in rows:
        if not first <= row[0] <= last:
            raise LoadError(f"a row for {table} is dated {row[0]}, outside the business dates {dates} being replaced")
        yield row
