"""Core banking: customers, daily AUM, holdings and churn events, read from a SQL source.

Customers and holdings are snapshots as of the end of the business day; AUM is the day's balance per
product; churn events land on the day they occurred.
"""

from __future__ import annotations

import sqlalchemy as sa

from voc.business_date import BusinessDay
from voc.sources.base import Batch
from voc.sources.sql import stream_query

CUSTOMERS = """
select customer_id, tier, segment, branch_id, rm_id, opened_on, updated_at
from customers
where opened_on <= :day
order by customer_id
"""

AUM = """
select customer_id, product_type, aum
from aum_daily
where as_of_date = :day
order by customer_id, product_type
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


def extract(engine: sa.Engine, day: BusinessDay) -> list[Batch]:
    params = {"day": day.day, "start": day.start, "end": day.end}
    return [
        Batch(
            "raw.corebank_customers",
            ("customer_id", "tier", "segment", "branch_id", "rm_id", "opened_on", "updated_at"),
            stream_query(engine, CUSTOMERS, params),
        ),
        Batch("raw.corebank_aum_daily", ("customer_id", "product_type", "aum"), stream_query(engine, AUM, params)),
        Batch(
            "raw.corebank_holdings",
            ("holding_id", "customer_id", "product_code", "product_type", "opened_at", "closed_at", "amount"),
            stream_query(engine, HOLDINGS, params),
        ),
        Batch(
            "raw.corebank_churn_events",
            ("event_id", "customer_id", "event_type", "occurred_at", "aum_before", "aum_after"),
            stream_query(engine, CHURN, params),
        ),
    ]
