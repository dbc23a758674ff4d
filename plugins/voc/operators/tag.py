from __future__ import annotations

import psycopg
from airflow.sdk import BaseOperator, Variable

from voc.operators.context import business_day, resolve_taxonomy, warehouse
from voc.pipeline import emerging
from voc.pipeline.tag import Partition, plan_partitions, tag_day

PARTITIONS_VARIABLE = "voc_tag_partitions"


class PlanTagPartitionsOperator(BaseOperator):
    """Decide how many workers share the day's tagging (Airflow variable ``voc_tag_partitions``, default 2)
    and return one set of arguments per partition for the mapped TagUtterancesOperator."""

    template_fields = ("business_dates", "taxonomy_version")

    def __init__(self, *, business_dates=None, taxonomy_version=None, **kwargs):
        super().__init__(**kwargs)
        self.business_dates = business_dates
        self.taxonomy_version = taxonomy_version

    def execute(self, context):
        raw_count = Variable.get(PARTITIONS_VARIABLE, default="2")
        try:
            count = int(raw_count)
        except ValueError:
            raise ValueError(f"Airflow variable {PARTITIONS_VARIABLE} must be a whole number, got {raw_count!r}") from None
        version = resolve_taxonomy(self.taxonomy_version).version
        plan = []
        with psycopg.connect(warehouse().conninfo()) as conn:
            for day in (business_day(context, d) for d in self.business_dates or [None]):
                for p in plan_partitions(conn, day, version, count):
                    plan.append({"business_date": str(day), "partition": p.index, "partitions": p.of,
                                 "taxonomy_version": version})
        return plan


class TagUtterancesOperator(BaseOperator):
    """Redact and tag one partition of a business day's utterances (jieba + the versioned taxonomy) into
    ``tags``, with conversation-level signals. Mapped over the partitions PlanTagPartitionsOperator returns."""

    ui_color = "#fdebd0"
    template_fields = ("business_date", "taxonomy_version")

    def __init__(self, *, partition: int = 0, partitions: int = 1, business_date: str | None = None,
                 taxonomy_version: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.partition, self.partitions = partition, partitions
        self.business_date, self.taxonomy_version = business_date, taxonomy_version

    def execute(self, context):
        from voc.tagging import Tagger

        day = business_day(context, self.business_date)
        tagger = Tagger(resolve_taxonomy(self.taxonomy_version))
        dsn = warehouse()
        with psycopg.connect(dsn.conninfo(), autocommit=True) as read, psycopg.connect(dsn.conninfo()) as write:
            counts = tag_day(read, write, day, tagger, Partition(self.partition, self.partitions))
        return {"business_date": str(day), "partition": self.partition, "utterances": counts.utterances,
                "tags": counts.tags, "conversations": counts.conversations}


class EmergingTopicsOperator(BaseOperator):
    """Rank the words of negative customer feedback that no feedback tag covers (``tags.emerging_topics``)."""

    template_fields = ("business_date", "taxonomy_version")

    def __init__(self, *, business_date: str | None = None, taxonomy_version: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.business_date, self.taxonomy_version = business_date, taxonomy_version

    def execute(self, context):
        day = business_day(context, self.business_date)
        with psycopg.connect(warehouse().conninfo()) as conn:
            found = emerging.discover(conn, day, resolve_taxonomy(self.taxonomy_version).version)
        return {"business_date": str(day), "keywords": found}
