"""Tag a run's utterances: read them from ``raw``, redact + tag, write ``tags``.

Utterances are call/IM turns and RM notes, ticket bodies (on the date the ticket was created) and survey
comments. The run's dates are split into partitions by a hash of the conversation (or ticket / response), so
every turn of a conversation is tagged by the same worker and conversation-level signals can be computed
there; a date's rows fall in the same partition whether it is tagged alone or in a history load. Utterances
stream through the tagger in chunks; each chunk's rows are COPYed inside one transaction that first empties
the partition on the run's dates (business_date, taxonomy_version, tag_partition), so re-tagging replaces it
and memory stays flat however many utterances there are.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import psycopg

from voc.business_date import BusinessDates
from voc.config import BUSINESS_TZ
from voc.warehouse.load import analyze_if_changed, column_types, copy_rows, delete_dates, lock_dates

log = logging.getLogger(__name__)

CHUNK = 20_000  # utterances tagged and COPYed at a time: big enough that the per-COPY round trips vanish

UTTERANCES_SQL = """
select business_date, utterance_id, source, conversation_id, customer_id, speaker, channel, occurred_at, text
from (
    select t.business_date, 'crm:' || t.conversation_id || ':' || t.turn_no as utterance_id, 'crm' as source,
           t.conversation_id, c.customer_id, t.speaker, c.channel, t.spoken_at as occurred_at, t.text,
           t.conversation_id as group_key, t.turn_no as seq
    from raw.crm_turns t
    join raw.crm_conversations c
      on c.business_date = t.business_date and c.conversation_id = t.conversation_id
    where t.business_date between %(first)s and %(last)s
    union all
    select business_date, 'ticket:' || ticket_id, 'ticketing', null, customer_id, 'customer', 'ticket', created_at,
           title || '。' || body, 'ticket:' || ticket_id, 0
    from raw.ticketing_tickets
    where business_date between %(first)s and %(last)s
      and (created_at at time zone %(tz)s)::date = business_date  -- the ticket's text once, on its creation date
    union all
    select business_date, 'survey:' || response_id, 'survey', null, customer_id, 'customer', 'survey',
           submitted_at, comment, 'survey:' || response_id, 0
    from raw.survey_responses
    where business_date between %(first)s and %(last)s and comment <> ''
) u
where mod(abs(hashtextextended(group_key, 0)), %(partitions)s) = %(partition)s
order by business_date, group_key, seq
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
    """One worker's share of a run: rows whose conversation hash mod ``of`` equals ``index``."""

    index: int = 0
    of: int = 1

    def __post_init__(self):
        if not (self.of >= 1 and 0 <= self.index < self.of):
            raise ValueError(f"tag partition {self.index} of {self.of} is out of range (need 0 <= index < count)")


TAXONOMY_COLUMNS = ("taxonomy_version", "code", "family", "dimension", "label_zh", "dimension_label_zh",
                    "family_label_zh", "speaker", "definition")


def publish_taxonomy(conn: psycopg.Connection, taxonomy) -> int:
    """Replace ``tags.taxonomy_codes`` of the taxonomy's version with its leaves, so the warehouse reads codes,
    levels, labels and speakers from the version the tags were made with. Idempotent; skips the write when
    the rows are already those."""
    rows = [(taxonomy.version, leaf.code, leaf.family, leaf.dimension, leaf.label, leaf.dimension_label,
             leaf.family_label, leaf.speaker, leaf.definition) for leaf in taxonomy.leaves.values()]
    columns = ", ".join(TAXONOMY_COLUMNS)
    with conn.transaction():
        current = conn.execute(f"select {columns} from tags.taxonomy_codes where taxonomy_version = %s",
                               (taxonomy.version,)).fetchall()
        if sorted(current) == sorted(rows):
            return 0
        conn.execute("delete from tags.taxonomy_codes where taxonomy_version = %s", (taxonomy.version,))
        copy_rows(conn, "tags.taxonomy_codes", TAXONOMY_COLUMNS, rows)
    log.info("published taxonomy v%s: %d codes", taxonomy.version, len(rows))
    return len(rows)


def plan_partitions(conn: psycopg.Connection, dates: BusinessDates, taxonomy_version: int,
                    count: int) -> list[Partition]:
    """The partitions to tag ``dates`` in.

    A different partition count than last time moves conversations between partitions, so the rows of that
    taxonomy version on each date tagged with another count are cleared first; otherwise each partition's own
    rerun replaces its rows and readers never see a date empty.
    """
    if count < 1:
        raise ValueError(f"the number of tag partitions must be at least 1, got {count}")
    key = {"first": dates.first, "last": dates.last, "version": taxonomy_version, "count": count}
    with conn.transaction():
        lock_dates(conn, "tags.tag_partitioning", dates, {"taxonomy_version": taxonomy_version})
        stale = """select d::date from generate_series(%(first)s::date, %(last)s::date, interval '1 day') d
                   where not exists (select 1 from tags.tag_partitioning p where p.business_date = d::date
                                     and p.taxonomy_version = %(version)s and p.partitions = %(count)s)"""
        for table in TABLES:
            conn.execute(f"delete from {table} where taxonomy_version = %(version)s and business_date in ({stale})", key)
        conn.execute(
            f"""insert into tags.tag_partitioning (business_date, taxonomy_version, partitions)
                select d, %(version)s, %(count)s from ({stale}) s(d)
                on conflict (business_date, taxonomy_version)
                do update set partitions = excluded.partitions, planned_at = now()""",
            key,
        )
    return [Partition(i, count) for i in range(count)]


def tag_dates(read_conn: psycopg.Connection, write_conn: psycopg.Connection, dates: BusinessDates, tagger=None,
              partition: Partition = Partition()) -> TagCounts:
    """Tag ``partition`` of ``dates``; ``read_conn`` streams raw rows while ``write_conn`` holds the transaction."""
    from voc.tagging import Tagger

    tagger = tagger or Tagger.load()
    key = {"taxonomy_version": tagger.version, "tag_partition": partition.index}
    writer = _Writer(write_conn, tagger, partition.index)
    with write_conn.transaction():
        deleted = {table: delete_dates(write_conn, table, dates, key) for table in TABLES}
        source = _utterances(read_conn, dates, partition)
        while chunk := list(islice(source, CHUNK)):
            writer.write_chunk(chunk)
        writer.flush_conversation()
        writer.write_signals()
        written = dict(zip(TABLES, (writer.counts.utterances, writer.counts.tags, writer.counts.evidence,
                                    writer.counts.conversations)))
        for table in TABLES:
            analyze_if_changed(write_conn, table, deleted[table] + written[table])
    log.info("tagged %s partition %d/%d: %s (taxonomy v%s)", dates, partition.index, partition.of, writer.counts,
             tagger.version)
    return writer.counts


def _utterances(conn: psycopg.Connection, dates: BusinessDates, partition: Partition) -> Iterator[tuple]:
    params = {"first": dates.first, "last": dates.last, "tz": BUSINESS_TZ, "partitions": partition.of,
              "partition": partition.index}
    with conn.transaction(), conn.cursor(name="voc_utterances") as cur:
        cur.itersize = CHUNK
        cur.execute(UTTERANCES_SQL, params)
        yield from cur


class _Writer:
    """COPYs each chunk's utterances, tags and evidence, and gathers conversations' turns for their signals."""

    def __init__(self, conn: psycopg.Connection, tagger, partition: int):
        self.conn, self.tagger, self.partition = conn, tagger, partition
        self.counts = TagCounts()
        self.signal_rows: list[tuple] = []
        self._conversation: tuple | None = None  # (business_date, conversation_id, customer_id, channel)
        self._turns: list[tuple] = []
        self._types: dict[str, list[int]] = {}

    def write_chunk(self, chunk: list[tuple]) -> None:
        version, partition = self.tagger.version, self.partition
        family = self.tagger.taxonomy.family
        results = self.tagger.tag_many((text, speaker, channel) for (*_, speaker, channel, _, text) in chunk)
        utt_rows, tag_rows, ev_rows = [], [], []
        for row, r in zip(chunk, results, strict=True):
            day, utterance_id, source, conversation_id, customer_id, speaker, channel, occurred_at, text = row
            prefix = (day, version, partition)
            utt_rows.append((
                *prefix, utterance_id, source, conversation_id, customer_id, speaker, channel, occurred_at,
                r.redacted_text, r.sentiment, float(r.sentiment_score), float(r.emotion_intensity), len(r.tags),
            ))
            tag_rows.extend((*prefix, utterance_id, code, family(code)) for code in r.tags)
            ev_rows.extend((*prefix, utterance_id, e.code, e.start, e.end, e.rule) for e in r.evidence)
            if conversation_id is not None:
                self._add_turn((day, conversation_id, customer_id, channel), speaker, text, r)
        self.counts.utterances += self._copy("tags.utterances", UTTERANCE_COLUMNS, utt_rows)
        self.counts.tags += self._copy("tags.utterance_tags", TAG_COLUMNS, tag_rows)
        self.counts.evidence += self._copy("tags.evidence", EVIDENCE_COLUMNS, ev_rows)
        self.write_signals()

    def _copy(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> int:
        if table not in self._types:
            self._types[table] = column_types(self.conn, table, columns)
        return copy_rows(self.conn, table, columns, rows, self._types[table])

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
        day, *conversation = self._conversation
        self.signal_rows.append((
            day, self.tagger.version, self.partition, *conversation, *(signals[f] for f in SIGNAL_FIELDS),
        ))
        self._conversation, self._turns = None, []

    def write_signals(self) -> None:
        """COPY the signals of the conversations completed so far."""
        if not self.signal_rows:
            return
        self.counts.conversations += self._copy("tags.conversation_signals", SIGNAL_COLUMNS, self.signal_rows)
        self.signal_rows = []
