"""Shared fixtures: a throwaway embedded Postgres per test session, one Tagger, the shared gold material."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory):
    """A private PostgreSQL 16 on a unix socket, deleted at the end of the session."""
    import pgserver

    server = pgserver.get_server(tmp_path_factory.mktemp("pg") / "data", cleanup_mode="delete")
    yield server
    server.cleanup()


@pytest.fixture
def fresh_db(pg_server):
    """A new empty database on the session's server, as a Dsn."""
    from voc.warehouse.dsn import Dsn
    from voc.warehouse.databases import ensure_database

    admin = Dsn.from_url(pg_server.get_uri("postgres"))
    name = "t_" + uuid.uuid4().hex[:10]
    ensure_database(admin, name)
    return admin.with_db(name)


@pytest.fixture(scope="session")
def tagger():
    """One Tagger of the active taxonomy per session (building the automaton takes a moment)."""
    from voc.tagging import Tagger

    return Tagger.load()


@pytest.fixture
def shared_dir():
    if not SHARED.is_dir():
        pytest.skip(f"shared material not found at {SHARED} (it sits beside the checkout in CI only)")
    return SHARED


def pytest_sessionfinish(session, exitstatus):
    """pgserver logs from its atexit cleanup, after pytest has closed the streams it captured: quiet it."""
    import logging

    logging.getLogger("pgserver").setLevel(logging.WARNING)
