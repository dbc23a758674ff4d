"""The embedded default: a private PostgreSQL 16 (pgserver) under ``$VOC_HOME/pgdata``.

It listens on a unix socket inside its data directory only, so it never collides with a Postgres already
on port 5432. It keeps running after the command that started it (analysts can query it; the next command
reuses it); ``voc warehouse stop`` stops it.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

from voc.config import voc_home
from voc.warehouse.databases import ensure_database
from voc.warehouse.dsn import Dsn

log = logging.getLogger(__name__)

WAREHOUSE_DB = "voc"


def pgdata_dir() -> Path:
    return voc_home() / "pgdata"


def start() -> Dsn:
    """Start (or attach to) the embedded server and return the warehouse database's address."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, CI); pgserver copes, the user need not care.
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
        import pgserver

    pgdata = pgdata_dir()
    pgdata.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    dsn = Dsn.from_url(server.get_uri(WAREHOUSE_DB))
    ensure_database(dsn.with_db("postgres"), WAREHOUSE_DB)
    return dsn


def stop() -> bool:
    """Stop the embedded server if it runs; True when one was stopped."""
    import subprocess

    pgdata = pgdata_dir()
    if not (pgdata / "postmaster.pid").exists():
        return False
    from pgserver._commands import pg_ctl

    user = "pgserver" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata, user=user)
    except subprocess.CalledProcessError:
        return False
    return True
