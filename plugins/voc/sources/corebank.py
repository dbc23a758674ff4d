"""Core banking: customers, daily AUM, holdings and churn events, read from a SQL source.

Customers and holdings are snapshots as of the end of each business date (a customer from the day the
account was opened; a holding on every date it was open); AUM is each date's balance per product; churn
events land on the date they occurred.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import sqlalchemy as sa

from voc.business_date import BusinessDates, business_date_of
from voc.sources.base import Batch
from voc.sources.sql import stream_query

CUSTOMERS = """
select customer_id, tier, segment, branch_id, rm_id, opened_on, updated_at
from customers
where opened_on <= :last
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
            _customers(stream_query(engine, CUSTOMERS, params), dates),
        ),
        Batch("raw.corebank_aum_daily", ("customer_id", "product_type", "aum"), stream_query(engine, AUM, params)),
        Batch(
            "raw.corebank_holdings",
            ("holding_id", "customer_id", "product_code", "product_type", "opened_at", "closed_at", "amount"),
            _holdings(stream_query(engine, HOLDINGS, params), dates),
        ),
        Batch(
            "raw.corebank_churn_events",
            ("event_id", "customer_id", "event_type", "occurred_at", "aum_before", "aum_after"),
            ((business_date_of(row[3]), *row) for row in stream_query(engine, CHURN, params)),
        ),
    ]


def _customers(rows: Iterator[tuple], dates: BusinessDates) -> Iterator[tuple]:
    """Each customer in the snapshot of every date from the day the account was opened."""
    for row in rows:
        yield from ((day, *row) for day in _span(dates, row[5], dates.last))


def _holdings(rows: Iterator[tuple], dates: BusinessDates) -> Iterator[tuple]:
    """Each holding in the snapshot of every date it was open on (opened before its end, not closed before its start)."""
    for row in rows:
        opened_at, closed_at = row[4], row[5]
        last = business_date_of(closed_at) if closed_at is not None else dates.last
        yield from ((day, *row) for day in _span(dates, business_date_of(opened_at), last))


def _span(dates: BusinessDates, first, last):
    day, last = max(first, dates.first), min(last, dates.last)
    while day <= last:
        yield day
        day += timedelta(days=1)
