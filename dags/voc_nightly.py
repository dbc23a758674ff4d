"""voc_nightly — one business date (an Asia/Shanghai calendar day) of Voice-of-the-Customer data.

extract + land each source in raw -> GX raw gate -> redact + tag -> GX tags gate -> dbt build -> GX mart gate.
The data interval is exactly that CST day, so every task derives its partition from data_interval_start.
Logic lives in the ``voc`` package (plugins/voc); this file only composes it.
"""

import os
from datetime import timedelta

import pendulum
from airflow.sdk import dag
from airflow.timetables.interval import CronDataIntervalTimetable

from voc.operators import DbtBuildOperator, LandSourceOperator, QualityCheckpointOperator, TagUtterancesOperator
from voc.sources.registry import SOURCES

# Retry policy from the environment: production keeps the defaults; `voc run` shortens them so a broken
# date fails in seconds instead of waiting out the backoff in the foreground.
DEFAULT_ARGS = {
    "owner": "voc-data",
    "retries": int(os.environ.get("VOC_TASK_RETRIES", "2")),
    "retry_delay": timedelta(seconds=int(os.environ.get("VOC_RETRY_DELAY_SECONDS", "300"))),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=2),
}


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
    tagged = TagUtterancesOperator(task_id="tag_utterances")
    tags_gate = QualityCheckpointOperator(task_id="dq_tags", checkpoint="tags")
    built = DbtBuildOperator(task_id="dbt_build")
    marts_gate = QualityCheckpointOperator(task_id="dq_marts", checkpoint="marts")

    landed >> raw_gate >> tagged >> tags_gate >> built >> marts_gate


voc_nightly()
