from __future__ import annotations

from voc.operators.context import DatedOperator, resolve_taxonomy, warehouse
from voc.quality.checkpoint import run_checkpoint


class QualityCheckpointOperator(DatedOperator):
    """Run a Great Expectations checkpoint from ``expectations/`` on the run's business dates.

    A blocking checkpoint with failed expectations fails the task (GX itself does not raise)."""

    ui_color = "#e8daef"
    template_fields = (*DatedOperator.template_fields, "taxonomy_version")

    def __init__(self, *, checkpoint: str, taxonomy_version: int | str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.checkpoint = checkpoint
        self.taxonomy_version = taxonomy_version

    def execute(self, context):
        dates = self.run_dates(context)
        taxonomy = resolve_taxonomy(self.taxonomy_version)
        params = {"taxonomy_version": taxonomy.version, "taxonomy_codes": sorted(taxonomy.codes)}
        outcome = run_checkpoint(self.checkpoint, warehouse(), dates, params)
        return {"checkpoint": self.checkpoint, "business_dates": str(dates), "success": outcome.success,
                "evaluated": outcome.evaluated}
