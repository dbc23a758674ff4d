"""Airflow operators for voc_nightly. Each is a thin shell: it resolves the business day and connections
from the task context, then calls a function in ``voc.pipeline`` / ``voc.quality`` that tests reach directly."""

from voc.operators.dbt import DbtBuildOperator
from voc.operators.land import LandSourceOperator
from voc.operators.quality import QualityCheckpointOperator
from voc.operators.tag import EmergingTopicsOperator, PlanTagPartitionsOperator, TagUtterancesOperator

__all__ = [
    "DbtBuildOperator",
    "EmergingTopicsOperator",
    "LandSourceOperator",
    "PlanTagPartitionsOperator",
    "QualityCheckpointOperator",
    "TagUtterancesOperator",
]
