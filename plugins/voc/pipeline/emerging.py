"""Emerging topics: what customers complain about that no feedback tag covers yet, per business date.

Analysts read ``tags.emerging_topics`` to decide which new leaves the next taxonomy version needs.
"""

from __future__ import annotations

import re
from itertools import groupby

import psycopg

from voc.business_date import BusinessDates
from voc.warehouse.load import replace_dates

UNCOVERED_NEGATIVE_SQL = """
select u.business_date, u.utterance_id, u.redacted_text
from tags.utterances u
where u.business_date between %s and %s and u.taxonomy_version = %s
  and u.speaker = 'customer' and u.sentiment = 'negative'
  and not exists (
      select 1 from tags.utterance_tags t
      where t.business_date = u.business_date and t.taxonomy_version = u.taxonomy_version
        and t.utterance_id = u.utterance_id and t.code like 'feedback.negative.%%')
order by u.business_date, u.utterance_id
"""

PLACEHOLDER = re.compile(r"\[[^\[\]]{1,8}\]")  # [手机号] etc. are the redactor's, not the customer's words
COLUMNS = ("business_date", "rank", "keyword", "utterances", "sample_utterance_ids", "taxonomy_version")


def discover(conn: psycopg.Connection, dates: BusinessDates, taxonomy_version: int, top_n: int = 30,
             samples: int = 3, covered: frozenset[str] | None = None) -> int:
    """Replace the emerging topics of each of ``dates``; returns how many keywords were found.

    ``covered``: the rules' keywords (a tagger's ``keywords``), so a caller holding a tagger spares
    building the rules again; by default they are read from the taxonomy version."""
    from voc.tagging.emerging import emerging_keywords

    rows = conn.execute(UNCOVERED_NEGATIVE_SQL, (dates.first, dates.last, taxonomy_version)).fetchall()
    out = []
    for day, day_rows in groupby(rows, key=lambda r: r[0]):
        texts = [(uid, PLACEHOLDER.sub(" ", text)) for _, uid, text in day_rows]
        ranked = emerging_keywords((t for _, t in texts), top_n=top_n, exclude=covered,
                                   taxonomy_version=taxonomy_version)
        for rank, (keyword, n) in enumerate(ranked, start=1):
            ids = [uid for uid, text in texts if keyword in text][:samples]
            out.append((day, rank, keyword, n, ids, taxonomy_version))
    with conn.transaction():
        return replace_dates(conn, "tags.emerging_topics", dates, COLUMNS, out, {"taxonomy_version": taxonomy_version})
