from __future__ import annotations

import psycopg

from voc.operators.context import DatedOperator, warehouse
from voc.pipeline.land import land
from voc.sources import registry


class LandSourceOperator(DatedOperator):
    """Extract one source system for the run's business dates and replace their partitions in ``raw``."""

    ui_color = "#d6eaf8"

    def __init__(self, *, source: str, **kwargs):
        super().__init__(**kwargs)
        if source not in registry.SOURCES:
            raise ValueError(f"unknown source {source!r}; known sources: {', '.join(registry.SOURCES)}")
        self.source = source

    def execute(self, context):
        dates = self.run_dates(context)
        with psycopg.connect(warehouse().conninfo()) as conn:
            counts = land(conn, dates, registry.extract(self.source, dates))
        return {"business_dates": str(dates), "rows": counts}
