"""CRM: call and IM conversations and RM notes, one row per turn, read from any SQL database.

A conversation belongs to the business date its ``started_at`` falls in; all its turns land with it, so a
call that runs past midnight is not split.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa

from voc.business_date import BusinessDates, business_date_of
from voc.sources.base import Batch
from voc.sources.redaction import redact_text
from voc.sources.sql import stream_query

CONVERSATIONS = """
select conversation_id, channel, customer_id, agent_id, started_at, ended_at, updated_at
from conversations
where started_at >= :start and started_at < :end
order by conversation_id
"""

TURNS = """
select c.started_at, t.conversation_id, t.turn_no, t.speaker, t.spoken_at, t.text
from turns t
join conversations c on c.conversation_id = t.conversation_id
where c.started_at >= :start and c.started_at < :end
order by t.conversation_id, t.turn_no
"""


def extract(engine: sa.Engine, dates: BusinessDates) -> list[Batch]:
    window = {"start": dates.start, "end": dates.end}
    return [
        Batch(
            "raw.crm_conversations",
            ("conversation_id", "channel", "customer_id", "agent_id", "started_at", "ended_at", "updated_at"),
            _dated(stream_query(engine, CONVERSATIONS, window)),
        ),
        Batch(
            "raw.crm_turns",
            ("conversation_id", "turn_no", "speaker", "spoken_at", "text", "pii_count"),
            _redacted_turns(stream_query(engine, TURNS, window)),
        ),
    ]


def _dated(rows: Iterator[tuple]) -> Iterator[tuple]:
    for row in rows:
        yield business_date_of(row[4]), *row


def _redacted_turns(rows: Iterator[tuple]) -> Iterator[tuple]:
    for started_at, conversation_id, turn_no, speaker, spoken_at, text in rows:
        redacted, pii_count = redact_text(text)
        yield business_date_of(started_at), conversation_id, turn_no, speaker, spoken_at, redacted, pii_count
