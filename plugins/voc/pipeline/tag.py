"""Tag one business day's utterances: read them from ``raw``, redact + tag, write ``tags``.

Utterances are call/IM turns and RM notes, ticket bodies (on the day the ticket was created) and survey
comments. They stream through the tagger in chunks; each chunk's rows are COPYed into the three tags tables
inside one transaction that first empties the (business_date, taxonomy_version) partition, so re-tagging a
day replaces it and memory stays flat however large the day is.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import psycopg

from voc.business_date import BusinessDay
from voc.warehouse.load import copy_rows, delete_partition

log = logging.getLogger(__name__)

CHUNK = 5_000

UTTERANCES_SQL = """
select 'crm:' || t.conversation_id || ':' || t.turn_no, 'crm', t.conversation_id, c.customer_id,
       t.speaker, c.channel, t.spoken_at, t.text
from raw.crm_turns t
join raw.crm_conversations c
  on c.business_date = t.business_date and c.conversation_id = t.conversation_id
where t.business_date = %(day)s
union all
select 'ticket:' || ticket_id, 'ticketing', ticket_id, customer_id, 'customer', 'ticket', created_at,
       title || '。' || body
from raw.ticketing_tickets
where business_date = %(day)s and created_at >= %(start)s and created_at < %(end)s
union all
select 'survey:' || response_id, 'survey', null, customer_id, 'customer', 'survey', submitted_at, comment
from raw.survey_responses
where business_date = %(day)s and comment <> ''
order by 1
"""

UTTERANCE_COLUMNS = (
    "business_date", "taxonomy_version", "utterance_id", "source", "conversation_id", "customer_id", "speaker",
    "channel", "occurred_at", "redacted_text", "sentiment", "sentiment_score", "emotion_intensity", "tag_count",
)
TAG_COLUMNS = ("business_date", "taxonomy_version", "utterance_id", "code", "family")
EVIDENCE_COLUMNS = ("business_date", "taxonomy_version", "utterance_id", "code", "start_pos", "end_pos", "rule")
TABLES = ("tags.utterances", "tags.utterance_tags", "tags.evidence")


@dataclass
class TagCounts:
    utterances: int = 0
    tags: int = 0
    evidence: int = 0


def tag_day(read_conn: psycopg.Connection, write_conn: psycopg.Connection, day: BusinessDay, tagger=None) -> TagCounts:
    """Tag every utterance of ``day``; ``read_conn`` streams raw rows while ``write_conn`` holds the transaction."""
    from voc.tagging import Tagger

    tagger = tagger or Tagger.load()
    partition = {"business_date": day.day, "taxonomy_version": tagger.version}
    counts = TagCounts()
    with write_conn.transaction():
        for table in TABLES:
            delete_partition(write_conn, table, partition)
        source = _utterances(read_conn, day)
        while chunk := list(islice(source, CHUNK)):
            utt_rows, tag_rows, ev_rows = _tag_chunk(tagger, day, chunk)
            counts.utterances += copy_rows(write_conn, "tags.utterances", UTTERANCE_COLUMNS, utt_rows)
            counts.tags += copy_rows(write_conn, "tags.utterance_tags", TAG_COLUMNS, tag_rows)
            counts.evidence += copy_rows(write_conn, "tags.evidence", EVIDENCE_COLUMNS, ev_rows)
    log.info("tagged %s: %s (taxonomy v%s)", day, counts, tagger.version)
    return counts


def _utterances(conn: psycopg.Connection, day: BusinessDay) -> Iterator[tuple]:
    with conn.transaction(), conn.cursor(name="voc_utterances") as cur:
        cur.itersize = CHUNK
        cur.execute(UTTERANCES_SQL, {"day": day.day, "start": day.start, "end": day.end})
        yield from cur


def _tag_chunk(tagger, day: BusinessDay, chunk: list[tuple]):
    version = tagger.version
    results = tagger.tag_many((text, speaker, channel) for (_, _, _, _, speaker, channel, _, text) in chunk)
    utt_rows, tag_rows, ev_rows = [], [], []
    for (utterance_id, source, conversation_id, customer_id, speaker, channel, occurred_at, _), r in zip(
        chunk, results, strict=True
    ):
        utt_rows.append((
            day.day, version, utterance_id, source, conversation_id, customer_id, speaker, channel, occurred_at,
            r.redacted_text, r.sentiment, float(r.sentiment_score), float(r.emotion_intensity), len(r.tags),
        ))
        tag_rows.extend((day.day, version, utterance_id, code, tagger.taxonomy.family(code)) for code in r.tags)
        ev_rows.extend((day.day, version, utterance_id, e.code, e.start, e.end, e.rule) for e in r.evidence)
    return utt_rows, tag_rows, ev_rows
