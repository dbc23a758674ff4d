"""The `voc` command's surface: arguments, one-line errors, and the summaries it prints (no Airflow run here:
tests/integration runs the DAGs)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from voc import cli
from voc.airflow_runner import DagRunResult, PlanResult, RunSpec, TaskRecord, history_run, nightly_runs
from voc.business_date import BusinessDates
from voc.jobs.run import format_layer_totals, format_task_durations


def test_history_takes_a_range_and_refuses_a_reversed_one(capsys):
    args = cli.build_parser().parse_args(["history", "--from", "2026-05-20", "--to", "2026-11-08"])
    assert (args.first, args.last) == (date(2026, 5, 20), date(2026, 11, 8))
    assert cli.main(["history", "--from", "2026-11-08", "--to", "2026-05-20"]) == cli.EXIT_FAILED
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["voc history: BusinessDateError: the last business date 2026-05-20 is before the first 2026-11-08"]


def test_every_command_is_listed_with_a_line_of_help():
    text = cli.build_parser().format_help()
    for command in ("demo", "run", "history", "retag", "warehouse", "tag"):
        assert f"    {command}" in text, command


def test_run_specs_point_at_the_right_business_dates():
    (night,) = nightly_runs([date(2026, 11, 15)])
    assert night.dag_id == "voc_nightly" and night.logical_date.isoformat() == "2026-11-16T00:00:00+08:00"
    spec = history_run(BusinessDates(date(2026, 5, 20), date(2026, 11, 8)))
    assert spec.dag_id == "voc_history" and spec.conf == {"start": "2026-05-20", "end": "2026-11-08"}


def test_task_durations_table_reads_like_airflow_recorded_it():
    def run(label, seconds):
        tasks = [TaskRecord("land_crm", -1, "success", seconds[0]), TaskRecord("tag_utterances", 0, "success",
                                                                                 seconds[1])]
        return DagRunResult(RunSpec("voc_nightly", label), "success", sum(seconds) + 1, tasks)

    plan = PlanResult([run("voc_nightly 2026-11-14", (1.0, 2.0)), run("voc_nightly 2026-11-15", (3.0, 4.0))],
                      20.0, Path("x.log"))
    lines = format_task_durations(plan).splitlines()
    assert lines[1].split() == ["task", "11-14", "11-15", "median"]
    assert lines[2].split() == ["land_crm", "1.0", "3.0", "2.0"]
    assert lines[3].split() == ["tag_utterances[0]", "2.0", "4.0", "3.0"]
    assert lines[4].split()[-3:] == ["4.0", "8.0", "6.0"]
    assert "20.0s for 2 run(s)" in lines[5]


def test_layer_totals_count_rows_and_dates_with_rows():
    dates = BusinessDates(date(2026, 11, 14), date(2026, 11, 15))
    counts = {"raw": {"raw.crm_turns": {date(2026, 11, 14): 5, date(2026, 11, 15): 0}}}
    lines = format_layer_totals(counts, dates).splitlines()
    assert lines[0] == "rows per table, 2026-11-14..2026-11-15 (2 business dates)"
    assert lines[2].split() == ["raw.crm_turns", "5", "1"]
