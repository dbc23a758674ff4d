"""Emerging topics: what customers complain about that no feedback tag covers yet, per business day.

Analysts read ``tags.emerging_topics`` to decide which new leaves the next taxonomy version needs.
"""

from __future__ import annotations

import re

import psycopg

from voc.business_date import BusinessDay
from voc.warehouse.load import replace_partition

UNCOVERED_NEGATIVE_SQL = """
select u.utterance_id, u.redacted_text
from tags.utterances u
where u.business_date = %s and u.taxonomy_version = %s and u.speaker = 'customer' and u.sentiment = 'negative'
  and not exists (
      select 1 from tags.utterance_tags t
      where t.business_date = u.business_date and t.taxonomy_version = u.taxonomy_version
        and t.utterance_id = u.utterance_id and t.code like 'feedback.negative.%%')
order by u.utterance_id
"""

PLACEHOLDER = re.compile(r"\[[^\[\]]{1,8}\]")  # [手机号] etc. are the redactor's, not the customer's words
COLUMNS = ("business_date", "taxonomy_version", "rank", "keyword", "utterances", "sample_utterance_ids")


def discover(conn: psycopg.Connection, day: BusinessDay, taxonomy_version: int, top_n: int = 30,
             samples: int = 3) -> int:
    """Replace the day's emerging topics; returns how many keywords were found."""
    from voc.tagging.emerging import emerging_keywords

    rows = conn.execute(UNCOVERED_NEGATIVE_SQL, (day.day, taxonomy_version)).fetchall()
    texts = [(uid, PLACEHOLDER.sub(" ", text)) for uid, text in rows]
    ranked = emerging_keywords((t for _, t in texts), top_n=top_n, taxonomy_version=taxonomy_version)
    out = []
    for rank, (keyword, n) in enumerate(ranked, start=1):
        ids = [uid for uid, text in texts if keyword in text][:samples]
        out.append((day.day, taxonomy_version, rank, keyword, n, ids))
    with conn.transaction():
        return replace_partition(conn, "tags.emerging_topics",
                                 {"business_date": day.day, "taxonomy_version": taxonomy_version}, COLUMNS, out)
