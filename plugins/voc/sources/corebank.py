"""Core banking: customers, daily AUM, holdings and churn events, read from a SQL source.

Customers and holdings are snapshots as of the end of each business date (a customer from the day the
account was opened; a holding on every date it was open); AUM is each date's balance per product; churn
events land on the date they occurred.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa

from voc.business_date import BusinessDates, business_date_of
from voc.sources.base import Batch
from voc.sources.sql import stream_query

# A date's snapshot: customers whose account was opened by then; holdings open at some point of that day.
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
where opened_at < :end and (closed_at is null or closed_at >= :start)
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
            _snapshots(engine, CUSTOMERS, dates),
        ),
        Batch("raw.corebank_aum_daily", ("customer_id", "product_type", "aum"), stream_query(engine, AUM, params)),
        Batch(
            "raw.corebank_holdings",
            ("holding_id", "customer_id", "product_code", "product_type", "opened_at", "closed_at", "amount"),
            _snapshots(engine, HOLDINGS, dates),
        ),
        Batch(
            "raw.corebank_churn_events",
            ("event_id", "customer_id", "event_type", "occurred_at", "aum_before", "aum_after"),
            ((business_date_of(row[3]), *row) for row in stream_query(engine, CHURN, params)),
        ),
    ]


def _snapshots(engine: sa.Engine, query: str, dates: BusinessDates) -> Iterator[tuple]:
    """The snapshot of each date, date by date: the same query a night runs, and rows arrive in the order of
    the raw table's key, which keeps its index maintenance cheap."""
    for day in dates:
        one = BusinessDates.of(day)
        params = {"day": day, "start": one.start, "end": one.end}
        yield from ((day, *row) for row in stream_query(engine, query, params))
