from __future__ import annotations

import psycopg
from airflow.sdk import Variable

from voc.operators.context import DatedOperator, resolve_taxonomy, tagger_for, warehouse
from voc.pipeline import emerging
from voc.pipeline.tag import Partition, plan_partitions, publish_taxonomy, tag_dates

PARTITIONS_VARIABLE = "voc_tag_partitions"


class PlanTagPartitionsOperator(DatedOperator):
    """Publish the taxonomy's codes to ``tags.taxonomy_codes``, decide how many workers share the run's tagging (Airflow variable ``voc_tag_partitions``, default 2)
    and return one set of arguments per partition for the mapped TagUtterancesOperator. A history load is
    split the same way as a night, so a date's rows land in the same partitions either way."""

    template_fields = (*DatedOperator.template_fields, "taxonomy_version")

    def __init__(self, *, taxonomy_version=None, **kwargs):
        super().__init__(**kwargs)
        self.taxonomy_version = taxonomy_version

    def execute(self, context):
        raw_count = Variable.get(PARTITIONS_VARIABLE, default="2")
        try:
            count = int(raw_count)
        except ValueError:
            raise ValueError(f"Airflow variable {PARTITIONS_VARIABLE} must be a whole number, got {raw_count!r}") from None
        dates = self.run_dates(context)
        taxonomy = resolve_taxonomy(self.taxonomy_version)
        version = taxonomy.version
        with psycopg.connect(warehouse().conninfo()) as conn:
            publish_taxonomy(conn, taxonomy)
            partitions = plan_partitions(conn, dates, version, count)
        return [{**self.dates_kwargs(dates), "partition": p.index, "partitions": p.of, "taxonomy_version": version}
                for p in partitions]


class TagUtterancesOperator(DatedOperator):
    """Redact and tag one partition of the run's utterances (the versioned taxonomy's rules) into ``tags``, with
    conversation-level signals. Mapped over the partitions PlanTagPartitionsOperator returns."""

    ui_color = "#fdebd0"
    template_fields = (*DatedOperator.template_fields, "taxonomy_version")

    def __init__(self, *, partition: int = 0, partitions: int = 1, taxonomy_version: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.partition, self.partitions = partition, partitions
        self.taxonomy_version = taxonomy_version

    def execute(self, context):
        dates = self.run_dates(context)
        tagger = tagger_for(self.taxonomy_version)
        dsn = warehouse()
        with psycopg.connect(dsn.conninfo(), autocommit=True) as read, psycopg.connect(dsn.conninfo()) as write:
            counts = tag_dates(read, write, dates, tagger, Partition(self.partition, self.partitions))
        return {"business_dates": str(dates), "partition": self.partition, "utterances": counts.utterances,
                "tags": counts.tags, "conversations": counts.conversations}


class EmergingTopicsOperator(DatedOperator):
    """Rank the words of negative customer feedback that no feedback tag covers (``tags.emerging_topics``)."""

    template_fields = (*DatedOperator.template_fields, "taxonomy_version")

    def __init__(self, *, taxonomy_version: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.taxonomy_version = taxonomy_version

    def execute(self, context):
        dates = self.run_dates(context)
        tagger = tagger_for(self.taxonomy_version)
        with psycopg.connect(warehouse().conninfo()) as conn:
            found = emerging.discover(conn, dates, tagger.version, covered=tagger.keywords)
        return {"business_dates": str(dates), "keywords": found}
