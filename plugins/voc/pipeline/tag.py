"""Tag one business day's utterances: read them from ``raw``, redact + tag, write ``tags``.

Utterances are call/IM turns and RM notes, ticket bodies (on the day the ticket was created) and survey
comments. A day is split into partitions by a hash of the conversation (or ticket / response), so every turn
of a conversation is tagged by the same worker and conversation-level signals can be computed there.
Utterances stream through the tagger in chunks; each chunk's rows are COPYed inside one transaction that
first empties the (business_date, tag_partition, taxonomy_version) partition, so re-tagging replaces it and
memory stays flat however large the day is.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import psycopg

from voc.business_date import BusinessDay
from voc.warehouse.load import copy_rows, delete_partition, lock_partition

log = logging.getLogger(__name__)

CHUNK = 5_000

UTTERANCES_SQL = """
select utterance_id, source, conversation_id, customer_id, speaker, channel, occurred_at, text
from (
    select 'crm:' || t.conversation_id || ':' || t.turn_no as utterance_id, 'crm' as source,
           t.conversation_id, c.customer_id, t.speaker, c.channel, t.spoken_at as occurred_at, t.text,
           t.conversation_id as group_key, t.turn_no as seq
    from raw.crm_turns t
    join raw.crm_conversations c
      on c.business_date = t.business_date and c.conversation_id = t.conversation_id
    where t.business_date = %(day)s
    union all
    select 'ticket:' || ticket_id, 'ticketing', null, customer_id, 'customer', 'ticket', created_at,
           title || '。' || body, 'ticket:' || ticket_id, 0
    from raw.ticketing_tickets
    where business_date = %(day)s and created_at >= %(start)s and created_at < %(end)s
    union all
    select 'survey:' || response_id, 'survey', null, customer_id, 'customer', 'survey', submitted_at, comment,
           'survey:' || response_id, 0
    from raw.survey_responses
    where business_date = %(day)s and comment <> ''
) u
where mod(abs(hashtextextended(group_key, 0)), %(partitions)s) = %(partition)s
order by group_key, seq
"""

UTTERANCE_COLUMNS = (
    "business_date", "taxonomy_version", "tag_partition", "utterance_id", "source", "conversation_id",
    "customer_id", "speaker", "channel", "occurred_at", "redacted_text", "sentiment", "sentiment_score",
    "emotion_intensity", "tag_count",
)
TAG_COLUMNS = ("business_date", "taxonomy_version", "tag_partition", "utterance_id", "code", "family")
EVIDENCE_COLUMNS = (
    "business_date", "taxonomy_version", "tag_partition", "utterance_id", "code", "start_pos", "end_pos", "rule",
)
SIGNAL_FIELDS = (
    "agent_turns", "customer_turns", "agent_caution_density", "compliance_flags", "redemption_questions",
    "liquidity_anxiety", "anxiety_phrases", "health_gap", "jargon_mismatch", "opportunity", "escalation_risk",
    "negative_share",
)
SIGNAL_COLUMNS = (
    "business_date", "taxonomy_version", "tag_partition", "conversation_id", "customer_id", "channel",
    *SIGNAL_FIELDS,
)
TABLES = ("tags.utterances", "tags.utterance_tags", "tags.evidence", "tags.conversation_signals")


@dataclass
class TagCounts:
    utterances: int = 0
    tags: int = 0
    evidence: int = 0
    conversations: int = 0


@dataclass(frozen=True)
class Partition:
    """One worker's share of a day: rows whose conversation hash mod ``of`` equals ``index``."""

    index: int = 0
    of: int = 1

    def __post_init__(self):
        if not (self.of >= 1 and 0 <= self.index < self.of):
            raise ValueError(f"tag partition {self.index} of {self.of} is out of range (need 0 <= index < count)")


def plan_partitions(conn: psycopg.Connection, day: BusinessDay, taxonomy_version: int, count: int) -> list[Partition]:
    """The partitions to tag for ``day``.

    A different partition count than last time moves conversations between partitions, so the day's rows of
    that taxonomy version are cleared first; otherwise each partition's own rerun replaces its rows and
    readers never see the day empty.
    """
    if count < 1:
        raise ValueError(f"the number of tag partitions must be at least 1, got {count}")
    key = (day.day, taxonomy_version)
    with conn.transaction():
        lock_partition(conn, "tags.tag_partitioning", {"business_date": day.day, "taxonomy_version": taxonomy_version})
        row = conn.execute(
            "select partitions from tags.tag_partitioning where business_date = %s and taxonomy_version = %s", key
        ).fetchone()
        if row is None or row[0] != count:
            for table in TABLES:
                conn.execute(f"delete from {table} where business_date = %s and taxonomy_version = %s", key)
            conn.execute(
                """insert into tags.tag_partitioning (business_date, taxonomy_version, partitions) values (%s, %s, %s)
                   on conflict (business_date, taxonomy_version)
                   do update set partitions = excluded.partitions, planned_at = now()""",
                (*key, count),
            )
    return [Partition(i, count) for i in range(count)]


def tag_day(read_conn: psycopg.Connection, write_conn: psycopg.Connection, day: BusinessDay, tagger=None,
            partition: Partition = Partition()) -> TagCounts:
    """Tag ``partition`` of ``day``; ``read_conn`` streams raw rows while ``write_conn`` holds the transaction."""
    from voc.tagging import Tagger

    tagger = tagger or Tagger.load()
    key = {"business_date": day.day, "taxonomy_version": tagger.version, "tag_partition": partition.index}
    writer = _Writer(write_conn, tagger, day, partition.index)
    with write_conn.transaction():
        for table in TABLES:
            delete_partition(write_conn, table, key)
        source = _utterances(read_conn, day, partition)
        while chunk := list(islice(source, CHUNK)):
            writer.write_chunk(chunk)
        writer.flush_conversation()
        writer.write_signals()
    log.info("tagged %s partition %d/%d: %s (taxonomy v%s)", day, partition.index, partition.of, writer.counts,
             tagger.version)
    return writer.counts


def _utterances(conn: psycopg.Connection, day: BusinessDay, partition: Partition) -> Iterator[tuple]:
    params = {"day": day.day, "start": day.start, "end": day.end, "partitions": partition.of,
              "partition": partition.index}
    with conn.transaction(), conn.cursor(name="voc_utterances") as cur:
        cur.itersize = CHUNK
        cur.execute(UTTERANCES_SQL, params)
        yield from cur


class _Writer:
    """COPYs each chunk's utterances, tags and evidence, and gathers conversations' turns for their signals."""

    def __init__(self, conn: psycopg.Connection, tagger, day: BusinessDay, partition: int):
        self.conn, self.tagger, self.day, self.partition = conn, tagger, day, partition
        self.counts = TagCounts()
        self.signal_rows: list[tuple] = []
        self._conversation: tuple | None = None  # (conversation_id, customer_id, channel)
        self._turns: list[tuple] = []

    def write_chunk(self, chunk: list[tuple]) -> None:
        prefix = (self.day.day, self.tagger.version, self.partition)
        family = self.tagger.taxonomy.family
        results = self.tagger.tag_many((text, speaker, channel) for (_, _, _, _, speaker, channel, _, text) in chunk)
        utt_rows, tag_rows, ev_rows = [], [], []
        for row, r in zip(chunk, results, strict=True):
            utterance_id, source, conversation_id, customer_id, speaker, channel, occurred_at, text = row
            utt_rows.append((
                *prefix, utterance_id, source, conversation_id, customer_id, speaker, channel, occurred_at,
                r.redacted_text, r.sentiment, float(r.sentiment_score), float(r.emotion_intensity), len(r.tags),
            ))
            tag_rows.extend((*prefix, utterance_id, code, family(code)) for code in r.tags)
            ev_rows.extend((*prefix, utterance_id, e.code, e.start, e.end, e.rule) for e in r.evidence)
            if conversation_id is not None:
                self._add_turn((conversation_id, customer_id, channel), speaker, text, r)
        self.counts.utterances += copy_rows(self.conn, "tags.utterances", UTTERANCE_COLUMNS, utt_rows)
        self.counts.tags += copy_rows(self.conn, "tags.utterance_tags", TAG_COLUMNS, tag_rows)
        self.counts.evidence += copy_rows(self.conn, "tags.evidence", EVIDENCE_COLUMNS, ev_rows)
        self.write_signals()

    def _add_turn(self, conversation: tuple, speaker: str, text: str, result) -> None:
        # Rows arrive ordered by conversation and turn, so a new id means the previous conversation is complete
        # (even when it straddled two chunks).
        if conversation != self._conversation:
            self.flush_conversation()
            self._conversation = conversation
        self._turns.append((speaker, text, result))

    def flush_conversation(self) -> None:
        from voc.tagging.signals import conversation_signals

        if self._conversation is None:
            return
        signals = conversation_signals(self._turns)
        self.signal_rows.append((
            self.day.day, self.tagger.version, self.partition, *self._conversation,
            *(signals[f] for f in SIGNAL_FIELDS),
        ))
        self._conversation, self._turns = None, []

    def write_signals(self) -> None:
        """COPY the signals of the conversations completed so far."""
        if not self.signal_rows:
            return
        self.counts.conversations += copy_rows(self.conn, "tags.conversation_signals", SIGNAL_COLUMNS,
                                               self.signal_rows)
        self.signal_rows = []
