"""Row counts per business date and layer, for the demo summary and the tests."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import psycopg
from psycopg import sql

LAYERS = (("raw", "raw"), ("tags", "tags"), ("staging", "staging"), ("marts", "marts_%"))


def tables_by_layer(conn: psycopg.Connection) -> dict[str, list[str]]:
    """Tables and views with a ``business_date`` column, per layer."""
    out: dict[str, list[str]] = {}
    for layer, pattern in LAYERS:
        rows = conn.execute(
            """select table_schema || '.' || table_name from information_schema.columns
               where table_schema like %s and column_name = 'business_date'
               order by 1""",
            (pattern,),
        ).fetchall()
        out[layer] = [r[0] for r in rows]
    return out


def counts_by_date(conn: psycopg.Connection, days: list[date]) -> dict[str, dict[str, dict[date, int]]]:
    """{layer: {table: {business_date: rows}}} for ``days``."""
    result: dict[str, dict[str, dict[date, int]]] = {}
    for layer, tables in tables_by_layer(conn).items():
        result[layer] = {}
        for table in tables:
            per_day: dict[date, int] = defaultdict(int)
            stmt = sql.SQL("select business_date, count(*) from {} where business_date = any(%s) group by 1").format(
                sql.Identifier(*table.split(".", 1))
            )
            for day, n in conn.execute(stmt, (days,)):
                per_day[day] = n
            result[layer][table] = {d: per_day.get(d, 0) for d in days}
    return result


def table_totals(conn: psycopg.Connection) -> dict[str, int]:
    """Every table in the project's schemas with its total row count (the idempotency check compares these)."""
    rows = conn.execute(
        """select table_schema, table_name from information_schema.tables
           where table_type = 'BASE TABLE'
             and (table_schema in ('raw', 'tags', 'dq', 'staging', 'intermediate') or table_schema like 'marts%')
           order by 1, 2"""
    ).fetchall()
    return {
        f"{s}.{t}": conn.execute(sql.SQL("select count(*) from {}").format(sql.Identifier(s, t))).fetchone()[0]
        for s, t in rows
    }


# The column that says which period a row belongs to, in order of preference, and how the demo names its unit.
PERIOD_COLUMNS = (("business_date", "dates"), ("as_of_month", "months"), ("iso_week_start", "weeks"))


def coverage_by_layer(conn: psycopg.Connection) -> dict[str, dict[str, tuple[int, int, str]]]:
    """{layer: {table: (rows, distinct periods, unit)}} over all history; a mart keyed by month or ISO week
    counts its months or weeks, a per-customer mart (no period) counts rows only (0, '')."""
    result: dict[str, dict[str, tuple[int, int, str]]] = {}
    for layer, pattern in LAYERS:
        rows = conn.execute(
            """select t.table_schema || '.' || t.table_name, array_agg(c.column_name::text)
               from information_schema.tables t
               join information_schema.columns c using (table_schema, table_name)
               where t.table_schema like %s
               group by 1 order by 1""",
            (pattern,),
        ).fetchall()
        result[layer] = {}
        for table, columns in rows:
            column, unit = next(((c, u) for c, u in PERIOD_COLUMNS if c in columns), (None, ""))
            if layer != "marts" and column != "business_date":
                continue
            ident = sql.Identifier(*table.split(".", 1))
            periods = sql.SQL("count(distinct {})").format(sql.Identifier(column)) if column else sql.SQL("0")
            n, k = conn.execute(sql.SQL("select count(*), {} from {}").format(periods, ident)).fetchone()
            result[layer][table] = (n, k, unit)
    return result
