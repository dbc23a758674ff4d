"""voc_nightly — one business date (an Asia/Shanghai calendar day) of Voice-of-the-Customer data.

extract + land each source in raw -> GX raw gate -> redact + tag (mapped over partitions, so workers share the
day) -> emerging topics -> GX tags gate -> dbt build -> GX mart gate.
The data interval is exactly that CST day, so every task derives its dates from data_interval_start.
Logic lives in the ``voc`` package (plugins/voc); this file only composes it.
"""

import pendulum
from airflow.sdk import dag
from airflow.timetables.interval import CronDataIntervalTimetable

from voc.dag_defaults import DEFAULT_ARGS
from voc.operators.pipeline import load_and_build


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
    load_and_build()


voc_nightly()
