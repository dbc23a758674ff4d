"""voc_retag — re-tag a range of business dates with a taxonomy version (e.g. after a new version ships).

Trigger with params {"start": "2026-11-01", "end": "2026-11-15", "taxonomy_version": 2}. Tags carry their
version, so history tagged with the old version stays queryable beside the new one; dbt reads the version
chosen by its `taxonomy_version` var (the active taxonomy version, unless VOC_TAXONOMY_VERSION pins one).
The range is checked by the tags quality gate afterwards. `voc retag --date D [--to D] [--taxonomy-version N]`
runs it from the shell.
"""

import pendulum
from airflow.sdk import Param, dag

from voc.dag_defaults import DEFAULT_ARGS, date_range_params
from voc.operators.pipeline import tag_and_gate


@dag(
    dag_id="voc_retag",
    description="Re-tag a date range of raw utterances with a taxonomy version",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Shanghai"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["voc", "maintenance"],
    doc_md=__doc__,
    params=date_range_params(
        taxonomy_version=Param(None, type=["null", "integer"], minimum=1,
                               description="taxonomy version; empty = the newest shipped"),
    ),
)
def voc_retag():
    tag_and_gate("{{ params.start }}", "{{ params.end }}", "{{ params.taxonomy_version or '' }}")


voc_retag()
