from __future__ import annotations

from voc.operators.context import DatedOperator, resolve_taxonomy, warehouse
from voc.pipeline.dbt import dbt_build


class DbtBuildOperator(DatedOperator):
    """``dbt build`` the models and data tests for the run's business dates (the marts' rows of those dates are
    replaced; unit tests are left to the test suite)."""

    ui_color = "#d5f5e3"

    def __init__(self, *, select: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.select = select

    def execute(self, context):
        dates = self.run_dates(context)
        outcome = dbt_build(warehouse(), dates, taxonomy_version=resolve_taxonomy().version, select=self.select)
        return {"business_dates": str(dates), "nodes": outcome.nodes, "statuses": outcome.statuses}
