"""Creating databases on a server we may not own (the embedded one, or the user's via VOC_WAREHOUSE_URL)."""

from __future__ import annotations

import logging

from voc.warehouse.dsn import Dsn

log = logging.getLogger(__name__)


class DatabaseError(RuntimeError):
    """A database that does not exist and cannot be created."""


def ensure_database(admin: Dsn, name: str) -> None:
    """Create database ``name`` if it does not exist (CREATE DATABASE cannot run in a transaction)."""
    import psycopg
    from psycopg import sql

    try:
        with psycopg.connect(admin.conninfo(), autocommit=True) as conn:
            exists = conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone()
            if not exists:
                conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
                log.info("created database %s", name)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise DatabaseError(
            f"database {name!r} does not exist on {admin.host}:{admin.port} and user {admin.user!r} may not create it; "
            "create it (or grant CREATEDB) and retry"
        ) from exc
    except psycopg.OperationalError as exc:
        raise DatabaseError(f"cannot reach Postgres at {admin.host}:{admin.port} as {admin.user!r}: {exc}") from exc
