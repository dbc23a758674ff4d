"""Land one source's batches for a run's business dates in ``raw``, all tables in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import psycopg

from voc.business_date import BusinessDates
from voc.sources.base import Batch
from voc.warehouse.load import replace_dates

log = logging.getLogger(__name__)


def land(conn: psycopg.Connection, dates: BusinessDates, batches: Sequence[Batch]) -> dict[str, int]:
    """Replace each batch's table on ``dates``; readers see all of the source's new rows or none."""
    counts: dict[str, int] = {}
    with conn.transaction():
        for batch in batches:
            counts[batch.table] = replace_dates(conn, batch.table, dates, ("business_date", *batch.columns), batch.rows)
    for table, n in counts.items():
        log.info("landed %s rows in %s for %s", n, table, dates)
    return counts
