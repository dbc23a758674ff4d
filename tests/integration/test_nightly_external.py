"""The production path: VOC_WAREHOUSE_URL names a Postgres the project did not start (here the machine's own
on 127.0.0.1:5432); nothing embedded is started and voc_nightly lands every layer there."""

from __future__ import annotations

import os
import uuid

import psycopg
import pytest

from demo_stack import DEMO_END, make_stack

pytestmark = [pytest.mark.integration, pytest.mark.external]

EXTERNAL = os.environ.get("VOC_TEST_EXTERNAL_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="module")
def external_url(voc_env):
    try:
        psycopg.connect(EXTERNAL, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        pytest.skip(f"no Postgres answers at {EXTERNAL} ({exc.__class__.__name__}); the production-path test needs one")
    name = "voc_it_" + uuid.uuid4().hex[:8]
    os.environ["VOC_WAREHOUSE_URL"] = EXTERNAL.rsplit("/", 1)[0] + "/" + name
    yield os.environ["VOC_WAREHOUSE_URL"]
    os.environ.pop("VOC_WAREHOUSE_URL", None)
    with psycopg.connect(EXTERNAL, autocommit=True) as conn:
        for db in (name, f"{name}_crm", f"{name}_ticketing", f"{name}_corebank"):
            conn.execute(f'drop database if exists "{db}" with (force)')


def test_nightly_on_an_external_warehouse(external_url, voc_env):
    from voc.jobs.run import run_range
    from voc.warehouse.embedded import pgdata_dir

    stack = make_stack(customers=200, days=3)
    assert not stack.embedded and stack.warehouse.host == "127.0.0.1"
    report = run_range(stack, [DEMO_END], echo=lambda *_: None)
    assert not pgdata_dir().exists(), "an embedded Postgres was started although VOC_WAREHOUSE_URL was set"
    for layer in ("raw", "tags", "staging", "marts"):
        assert sum(d[DEMO_END] for d in report.counts[layer].values()) > 0, layer
