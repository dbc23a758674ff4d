"""Ticketing: complaint and service tickets and their status history.

A ticket lands on every business day it was created, updated or had a status event, so late updates
(resolved days after creation) are picked up and every event landed has its ticket landed with it; staging
keeps the latest version per ticket. Status events land on the day they happened.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa

from voc.business_date import BusinessDay
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


def extract(engine: sa.Engine, day: BusinessDay) -> list[Batch]:
    window = {"start": day.start, "end": day.end}
    return [
        Batch(
            "raw.ticketing_tickets",
            (
                "ticket_id", "customer_id", "channel", "category", "priority", "branch_id",
                "title", "body", "pii_count", "status", "created_at", "updated_at",
            ),
            _redacted(stream_query(engine, TICKETS, window)),
        ),
        Batch(
            "raw.ticketing_ticket_events",
            ("ticket_id", "event_seq", "status", "event_at"),
            stream_query(engine, EVENTS, window),
        ),
    ]


def _redacted(rows: Iterator[tuple]) -> Iterator[tuple]:
    for ticket_id, customer_id, channel, category, priority, branch_id, title, body, status, created, updated in rows:
        title, title_pii = redact_text(title)
        body, body_pii = redact_text(body)
        yield (
            ticket_id, customer_id, channel, category, priority, branch_id,
            title, body, title_pii + body_pii, status, created, updated,
        )
