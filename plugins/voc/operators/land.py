from __future__ import annotations

import psycopg
from airflow.sdk import BaseOperator

from voc.operators.context import business_day, warehouse
from voc.pipeline.land import land
from voc.sources import registry


class LandSourceOperator(BaseOperator):
    """Extract one source system for the run's business day and replace its partitions in ``raw``."""

    ui_color = "#d6eaf8"

    def __init__(self, *, source: str, **kwargs):
        super().__init__(**kwargs)
        if source not in registry.SOURCES:
            raise ValueError(f"unknown source {source!r}; known sources: {', '.join(registry.SOURCES)}")
        self.source = source

    def execute(self, context):
        day = business_day(context)
        with psycopg.connect(warehouse().conninfo()) as conn:
            counts = land(conn, day, registry.extract(self.source, day))
        return {"business_date": str(day), "rows": counts}
