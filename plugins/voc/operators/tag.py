from __future__ import annotations

import psycopg
from airflow.sdk import BaseOperator

from voc.operators.context import business_day, warehouse
from voc.pipeline.tag import tag_day


class TagUtterancesOperator(BaseOperator):
    """Redact and tag the business day's utterances (jieba + the versioned taxonomy) into ``tags``."""

    ui_color = "#fdebd0"

    def execute(self, context):
        day = business_day(context)
        dsn = warehouse()
        with psycopg.connect(dsn.conninfo(), autocommit=True) as read, psycopg.connect(dsn.conninfo()) as write:
            counts = tag_day(read, write, day)
        return {"business_date": str(day), "utterances": counts.utterances, "tags": counts.tags}
