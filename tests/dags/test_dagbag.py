"""The DAG files import cleanly, fast, and every task is production-shaped (owner, retries)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timezone

import pytest

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

DAGS = REPO / "dags"


@pytest.fixture(scope="module")
def dagbag(tmp_path_factory):
    home = tmp_path_factory.mktemp("airflow")
    os.environ.setdefault("AIRFLOW_HOME", str(home))
    os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}, dagbag.import_errors
    assert {"voc_nightly", "voc_history", "voc_retag"} <= set(dagbag.dags)


def test_every_task_has_owner_and_retries(dagbag):
    for dag in dagbag.dags.values():
        for t in dag.tasks:
            assert t.owner and t.owner != "airflow", f"{dag.dag_id}.{t.task_id} has no owner"
            assert t.retries >= 1, f"{dag.dag_id}.{t.task_id} has no retries"
            assert t.execution_timeout is not None, f"{dag.dag_id}.{t.task_id} has no execution_timeout"


@pytest.mark.parametrize("dag_id", ["voc_nightly", "voc_history"])
def test_no_cycles_and_expected_shape(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    order = [t.task_id for t in dag.topological_sort()]  # raises on a cycle
    assert order.index("dq_raw") < order.index("plan_tag_partitions") < order.index("tag_utterances")
    assert order.index("tag_utterances") < order.index("emerging_topics") < order.index("dq_tags")
    assert order.index("dq_tags") < order.index("dbt_build") < order.index("dq_marts")
    assert {f"land_{s}" for s in ("crm", "ticketing", "survey", "corebank")} <= set(order)


def test_history_runs_the_nightly_tasks_over_its_params(dagbag):
    """voc_history is voc_nightly's task graph with the dates taken from its params."""
    nightly, history = dagbag.dags["voc_nightly"], dagbag.dags["voc_history"]
    assert set(nightly.task_dict) == set(history.task_dict)
    for task_id, task in history.task_dict.items():
        assert type(task) is type(nightly.task_dict[task_id])
        if hasattr(task, "first_date"):
            assert (task.first_date, task.last_date) == ("{{ params.start }}", "{{ params.end }}"), task_id


def test_data_interval_is_one_cst_business_day(dagbag):
    from voc.business_date import BusinessDates

    dag = dagbag.dags["voc_nightly"]
    run_after = datetime(2026, 11, 15, 16, 0, tzinfo=timezone.utc)  # 00:00 CST on the 16th
    interval = dag.timetable.infer_manual_data_interval(run_after=run_after)
    dates = BusinessDates.from_interval(interval.start, interval.end)
    assert str(dates) == "2026-11-15"


def test_dag_files_parse_fast():
    # A fresh interpreter with Airflow already imported, like the DAG processor: what the DAG files add on top
    # (the voc package's imports and the DAG definition) must stay light — no DB calls, no tagger or GX load.
    code = (
        "import time, runpy, airflow.sdk, airflow.timetables.interval; t = time.perf_counter(); "
        f"[runpy.run_path(str(p)) for p in __import__('pathlib').Path({str(DAGS)!r}).glob('*.py')]; "
        "print(time.perf_counter() - t)"
    )
    env = {**os.environ, "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    parse_seconds = float(out.stdout.strip().splitlines()[-1])
    # Generous bound: the point is to catch a DB call or a model load at import, not to time the machine.
    assert parse_seconds < 2, f"the DAG files took {parse_seconds:.1f}s to import on top of Airflow"
    assert time.perf_counter() - started < 60
