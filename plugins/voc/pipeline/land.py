"""Land one source's batches for one business day in ``raw``, all tables in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import psycopg

from voc.business_date import BusinessDay
from voc.sources.base import Batch
from voc.warehouse.load import replace_partition

log = logging.getLogger(__name__)


def land(conn: psycopg.Connection, day: BusinessDay, batches: Sequence[Batch]) -> dict[str, int]:
    """Replace each batch's table partition for ``day``; readers see all of the source's new rows or none."""
    counts: dict[str, int] = {}
    with conn.transaction():
        for batch in batches:
            rows = ((day.day, *row) for row in batch.rows)
            counts[batch.table] = replace_partition(
                conn, batch.table, {"business_date": day.day}, ("business_date", *batch.columns), rows
            )
    for table, n in counts.items():
        log.info("landed %s rows in %s for %s", n, table, day)
    return counts
