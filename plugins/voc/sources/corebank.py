"""Core banking: customers, daily AUM, holdings and churn events, read from a SQL source.

Customers are a snapshot as of the end of each business date (every customer whose account was opened by
then); AUM is each date's balance per product; a holding lands on the dates it was opened and closed on, as
the source holds it then (a daily snapshot would re-land every open holding every night, by far the largest
table, to tell nothing the openings and closings do not); churn events land on the date they occurred.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa

from voc.business_date import BusinessDates, business_date_of
from voc.sources.base import Batch
from voc.sources.sql import stream_query

# A date's snapshot: customers whose account was opened by then.
CUSTOMERS = """
select customer_id, tier, segment, branch_id, rm_id, opened_on, updated_at
from customers
where opened_on <= :day
order by customer_id
"""

AUM = """
select as_of_date, customer_id, product_type, aum
from aum_daily
where as_of_date >= :first and as_of_date <= :last
order by as_of_date, customer_id, product_type
"""

HOLDINGS = """
select holding_id, customer_id, product_code, product_type, opened_at, closed_at, amount
from holdings
where (opened_at >= :start and opened_at < :end) or (closed_at >= :start and closed_at < :end)
order by holding_id
"""

CHURN = """
select event_id, customer_id, event_type, occurred_at, aum_before, aum_after
from churn_events
where occurred_at >= :start and occurred_at < :end
order by event_id
"""


def extract(engine: sa.Engine, dates: BusinessDates) -> list[Batch]:
    params = {"first": dates.first, "last": dates.last, "start": dates.start, "end": dates.end}
    return [
        Batch(
            "raw.corebank_customers",
            ("customer_id", "tier", "segment", "branch_id", "rm_id", "opened_on", "updated_at"),
            _customers_by_date(engine, dates),
        ),
        Batch("raw.corebank_aum_daily", ("customer_id", "product_type", "aum"), stream_query(engine, AUM, params)),
        Batch(
            "raw.corebank_holdings",
            ("holding_id", "customer_id", "product_code", "product_type", "opened_at", "closed_at", "amount"),
            _holding_changes(stream_query(engine, HOLDINGS, params), dates),
        ),
        Batch(
            "raw.corebank_churn_events",
            ("event_id", "customer_id", "event_type", "occurred_at", "aum_before", "aum_after"),
            ((business_date_of(row[3]), *row) for row in stream_query(engine, CHURN, params)),
        ),
    ]


def _customers_by_date(engine: sa.Engine, dates: BusinessDates) -> Iterator[tuple]:
    """The snapshot of each date, date by date: the same query a night runs, and rows arrive in the order of
    the raw table's key, which keeps its index maintenance cheap."""
    for day in dates:
        yield from ((day, *row) for row in stream_query(engine, CUSTOMERS, {"day": day}))


def _holding_changes(rows: Iterator[tuple], dates: BusinessDates) -> Iterator[tuple]:
    """Each holding on the run's dates it was opened or closed on."""
    for row in rows:
        opened_at, closed_at = row[4], row[5]
        days = {business_date_of(opened_at)} | ({business_date_of(closed_at)} if closed_at is not None else set())
        yield from ((day, *row) for day in sorted(days) if day in dates)
