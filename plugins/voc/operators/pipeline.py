"""The task graphs the DAG files compose, so the nightly run and a history load run the same tasks.

Called inside a DAG context. Without dates the tasks work on the run's data interval (voc_nightly); with
templated dates (``{{ params.start }}``) on that range (voc_history, voc_retag).
"""

from __future__ import annotations

from voc.operators.dbt import DbtBuildOperator
from voc.operators.land import LandSourceOperator
from voc.operators.quality import QualityCheckpointOperator
from voc.operators.tag import EmergingTopicsOperator, PlanTagPartitionsOperator, TagUtterancesOperator
from voc.sources.registry import SOURCES


def load_and_build(first_date: str | None = None, last_date: str | None = None) -> None:
    """extract + land each source in raw -> GX raw gate -> redact + tag (mapped over partitions) -> emerging
    topics -> GX tags gate -> dbt build -> GX mart gate."""
    dates = {"first_date": first_date, "last_date": last_date}
    landed = [LandSourceOperator(task_id=f"land_{source}", source=source, **dates) for source in SOURCES]
    raw_gate = QualityCheckpointOperator(task_id="dq_raw", checkpoint="raw", **dates)
    plan, tags_gate = tag_and_gate(first_date, last_date)
    built = DbtBuildOperator(task_id="dbt_build", **dates)
    marts_gate = QualityCheckpointOperator(task_id="dq_marts", checkpoint="marts", **dates)
    landed >> raw_gate >> plan
    tags_gate >> built >> marts_gate


def tag_and_gate(first_date: str | None = None, last_date: str | None = None, taxonomy_version: str | None = None):
    """plan partitions -> tag each (mapped) -> emerging topics -> GX tags gate; returns (plan, gate)."""
    dates = {"first_date": first_date, "last_date": last_date}
    version = {"taxonomy_version": taxonomy_version}
    plan = PlanTagPartitionsOperator(task_id="plan_tag_partitions", **dates, **version)
    tagged = TagUtterancesOperator.partial(task_id="tag_utterances").expand_kwargs(plan.output)
    topics = EmergingTopicsOperator(task_id="emerging_topics", **dates, **version)
    gate = QualityCheckpointOperator(task_id="dq_tags", checkpoint="tags", **dates, **version)
    tagged >> topics >> gate
    return plan, gate
