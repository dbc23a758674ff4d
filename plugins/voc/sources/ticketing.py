"""Ticketing: complaint and service tickets and their status history.

A ticket lands on every business date it was created, updated or had a status event, so late updates
(resolved days after creation) are picked up and every event landed has its ticket landed with it; staging
keeps the latest version per ticket. Status events land on the date they happened.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import sqlalchemy as sa

from voc.business_date import BusinessDates, business_date_of
from voc.sources.base import Batch
from voc.sources.redaction import redact_text
from voc.sources.sql import stream_query

TICKETS = """
select ticket_id, customer_id, channel, category, priority, branch_id, title, body, status, created_at, updated_at
from tickets t
where (updated_at >= :start and updated_at < :end)
   or (created_at >= :start and created_at < :end)
   or exists (select 1 from ticket_events e
              where e.ticket_id = t.ticket_id and e.event_at >= :start and e.event_at < :end)
order by ticket_id
"""

EVENTS = """
select ticket_id, event_seq, status, event_at
from ticket_events
where event_at >= :start and event_at < :end
order by ticket_id, event_seq
"""


def extract(engine: sa.Engine, dates: BusinessDates) -> list[Batch]:
    window = {"start": dates.start, "end": dates.end}
    return [
        Batch(
            "raw.ticketing_tickets",
            (
                "ticket_id", "customer_id", "channel", "category", "priority", "branch_id",
                "title", "body", "pii_count", "status", "created_at", "updated_at",
            ),
            _tickets_by_date(engine, window, dates),
        ),
        Batch(
            "raw.ticketing_ticket_events",
            ("ticket_id", "event_seq", "status", "event_at"),
            ((business_date_of(row[3]), *row) for row in stream_query(engine, EVENTS, window)),
        ),
    ]


def _tickets_by_date(engine: sa.Engine, window: dict, dates: BusinessDates) -> Iterator[tuple]:
    """One row per ticket and business date it was touched on; the text is redacted once per ticket."""
    event_dates: dict[str, set] = defaultdict(set)
    for ticket_id, _, _, event_at in stream_query(engine, EVENTS, window):
        event_dates[ticket_id].add(business_date_of(event_at))
    for ticket_id, customer_id, channel, category, priority, branch_id, title, body, status, created, updated in (
        stream_query(engine, TICKETS, window)
    ):
        touched = event_dates.pop(ticket_id, set())
        touched.update(d for d in (business_date_of(created), business_date_of(updated)) if d in dates)
        title, title_pii = redact_text(title)
        body, body_pii = redact_text(body)
        for day in sorted(touched):
            yield (
                day, ticket_id, customer_id, channel, category, priority, branch_id,
                title, body, title_pii + body_pii, status, created, updated,
            )
