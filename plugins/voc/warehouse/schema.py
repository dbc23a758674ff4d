"""The warehouse schemas this package writes (raw, tags, dq), created idempotently from ``sql/*.sql``.

dbt owns staging and the marts; this module never touches them.
"""

from __future__ import annotations

from importlib import resources

import psycopg

from voc.warehouse.dsn import Dsn


def apply_ddl(conn: psycopg.Connection) -> None:
    ddl_dir = resources.files("voc.warehouse") / "sql"
    for script in sorted((p for p in ddl_dir.iterdir() if p.name.endswith(".sql")), key=lambda p: p.name):
        conn.execute(script.read_text(encoding="utf-8"))


def init(dsn: Dsn) -> None:
    with psycopg.connect(dsn.conninfo()) as conn:
        # Concurrent first runs would race on CREATE SCHEMA; one lock makes them take turns.
        conn.execute("select pg_advisory_xact_lock(hashtext('voc.warehouse.schema'))")
        apply_ddl(conn)
