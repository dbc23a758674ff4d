"""Airflow operators for the voc DAGs. Each is a thin shell: it resolves the run's business dates and
connections from the task context, then calls a function in ``voc.pipeline`` / ``voc.quality`` that tests
reach directly. ``voc.operators.pipeline`` composes them into the task graphs the DAG files use."""

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
