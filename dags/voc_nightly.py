"""voc_nightly — one business date (an Asia/Shanghai calendar day) of Voice-of-the-Customer data.

extract + land each source in raw -> GX raw gate -> redact + tag (mapped over partitions, so workers share the
day) -> emerging topics -> GX tags gate -> dbt build -> GX mart gate.
The data interval is exactly that CST day, so every task derives its partition from data_interval_start.
Logic lives in the ``voc`` package (plugins/voc); this file only composes it.
"""

import pendulum
from airflow.sdk import dag
from airflow.timetables.interval import CronDataIntervalTimetable

from voc.dag_defaults import DEFAULT_ARGS
from voc.operators import (
    DbtBuildOperator,
    EmergingTopicsOperator,
    LandSourceOperator,
    PlanTagPartitionsOperator,
    QualityCheckpointOperator,
    TagUtterancesOperator,
)
from voc.sources.registry import SOURCES


@dag(
    dag_id="voc_nightly",
    description="Nightly VoC ETL: sources -> raw -> tags -> dbt staging/marts, gated by Great Expectations",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="Asia/Shanghai"),
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Shanghai"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["voc", "nightly"],
    doc_md=__doc__,
)
def voc_nightly():
    landed = [LandSourceOperator(task_id=f"land_{source}", source=source) for source in SOURCES]
    raw_gate = QualityCheckpointOperator(task_id="dq_raw", checkpoint="raw")
    plan = PlanTagPartitionsOperator(task_id="plan_tag_partitions")
    tagged = TagUtterancesOperator.partial(task_id="tag_utterances").expand_kwargs(plan.output)
    topics = EmergingTopicsOperator(task_id="emerging_topics")
    tags_gate = QualityCheckpointOperator(task_id="dq_tags", checkpoint="tags")
    built = DbtBuildOperator(task_id="dbt_build")
    marts_gate = QualityCheckpointOperator(task_id="dq_marts", checkpoint="marts")

    landed >> raw_gate >> plan
    tagged >> topics >> tags_gate >> built >> marts_gate


voc_nightly()
