from __future__ import annotations

from airflow.sdk import BaseOperator

from voc.operators.context import business_day, resolve_taxonomy, warehouse
from voc.quality.checkpoint import run_checkpoint


class QualityCheckpointOperator(BaseOperator):
    """Run a Great Expectations checkpoint from ``expectations/`` on the business day's partition.

    A blocking checkpoint with failed expectations fails the task (GX itself does not raise)."""

    ui_color = "#e8daef"
    template_fields = ("business_date", "taxonomy_version")

    def __init__(self, *, checkpoint: str, business_date: str | None = None, taxonomy_version: int | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        self.checkpoint = checkpoint
        self.business_date, self.taxonomy_version = business_date, taxonomy_version

    def execute(self, context):
        day = business_day(context, self.business_date)
        taxonomy = resolve_taxonomy(self.taxonomy_version)
        params = {"taxonomy_version": taxonomy.version, "taxonomy_codes": sorted(taxonomy.codes)}
        outcome = run_checkpoint(self.checkpoint, warehouse(), day, params)
        return {"checkpoint": self.checkpoint, "success": outcome.success, "evaluated": outcome.evaluated}
