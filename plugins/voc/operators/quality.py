from __future__ import annotations

from airflow.sdk import BaseOperator

from voc.operators.context import business_day, warehouse
from voc.quality.checkpoint import run_checkpoint


class QualityCheckpointOperator(BaseOperator):
    """Run a Great Expectations checkpoint from ``expectations/`` on the business day's partition.

    A blocking checkpoint with failed expectations fails the task (GX itself does not raise)."""

    ui_color = "#e8daef"

    def __init__(self, *, checkpoint: str, **kwargs):
        super().__init__(**kwargs)
        self.checkpoint = checkpoint

    def execute(self, context):
        from voc.tagging.taxonomy import Taxonomy

        day = business_day(context)
        params = {"taxonomy_codes": sorted(Taxonomy.load().codes)}
        outcome = run_checkpoint(self.checkpoint, warehouse(), day, params)
        return {"checkpoint": self.checkpoint, "success": outcome.success, "evaluated": outcome.evaluated}
