"""voc_history — load a range of business dates in bulk, in one run: history before the first night.

The same tasks as voc_nightly, each over the whole range at once: every source landed for every date of
the range, the range tagged in mapped partitions, one dbt build over the range, the quality gates over the
range. The warehouse ends up as if voc_nightly had run date by date; a rerun replaces the same partitions.
Trigger with params {"start": "2026-05-20", "end": "2026-11-08"}; `voc history --from D1 --to D2` runs it
from the shell.
"""

import pendulum
from airflow.sdk import dag

from voc.dag_defaults import DEFAULT_ARGS, date_range_params
from voc.operators.pipeline import load_and_build


@dag(
    dag_id="voc_history",
    description="Bulk load of a range of business dates: sources -> raw -> tags -> dbt marts, gated",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Shanghai"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["voc", "history"],
    doc_md=__doc__,
    params=date_range_params(),
)
def voc_history():
    load_and_build(first_date="{{ params.start }}", last_date="{{ params.end }}")


voc_history()
