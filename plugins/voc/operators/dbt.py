from __future__ import annotations

from airflow.sdk import BaseOperator

from voc.operators.context import business_day, warehouse
from voc.pipeline.dbt import dbt_build


class DbtBuildOperator(BaseOperator):
    """``dbt build`` the staging models and marts for the business day (models, then their data tests)."""

    ui_color = "#d5f5e3"

    def __init__(self, *, select: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.select = select

    def execute(self, context):
        from voc.tagging.taxonomy import Taxonomy

        day = business_day(context)
        dbt_build(warehouse(), day, taxonomy_version=Taxonomy.load().version, select=self.select)
