"""``voc run``, ``voc history``, ``voc retag``: the DAGs through Airflow for business dates, then a summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import median

import psycopg

from voc import airflow_runner
from voc.airflow_runner import PlanResult, RunSpec
from voc.business_date import BusinessDates
from voc.jobs.progress import RunProgress
from voc.stack import Stack
from voc.warehouse import counts, schema


@dataclass
class RunReport:
    stack: Stack
    plan: PlanResult
    counts: dict


def run_specs(stack: Stack, specs: list[RunSpec], log_name: str, echo=print) -> PlanResult:
    """Make sure the warehouse schemas and Airflow's metadata exist, then run ``specs`` with progress."""
    schema.init(stack.warehouse)
    env = airflow_runner.airflow_env(stack)
    if airflow_runner.ensure_metadata_db(env):
        echo("initialised Airflow metadata (SQLite) under " + env["AIRFLOW_HOME"])
    with RunProgress(echo) as progress:
        return airflow_runner.run_plan(specs, env, log_name, on_event=progress.on_event)


def run_range(stack: Stack, days: list[date], echo=print) -> RunReport:
    """voc_nightly for each of ``days``, in order."""
    label = f"{days[0]}_{days[-1]}" if len(days) > 1 else f"{days[0]}"
    plan = run_specs(stack, airflow_runner.nightly_runs(days), f"voc_nightly_{label}", echo)
    echo(f"log: {plan.log}")
    return RunReport(stack, plan, _counts(stack, days))


def load_history(stack: Stack, dates: BusinessDates, echo=print) -> RunReport:
    """voc_history for ``dates``: one DAG run for the whole range."""
    plan = run_specs(stack, [airflow_runner.history_run(dates)], f"voc_history_{dates.first}_{dates.last}", echo)
    echo(f"log: {plan.log}")
    return RunReport(stack, plan, _counts(stack, dates.days))


def retag_range(stack: Stack, dates: BusinessDates, taxonomy_version: int | None, echo=print) -> RunReport:
    """voc_retag through Airflow for ``dates``; the tags layer's rows per date afterwards."""
    from voc.tagging.taxonomy import Taxonomy

    Taxonomy.load(taxonomy_version)  # names a missing version (and the ones there are) before Airflow starts
    label = f"taxonomy v{taxonomy_version}" if taxonomy_version else "the active taxonomy"
    echo(f"re-tagging {dates} with {label} …")
    plan = run_specs(stack, [airflow_runner.retag_run(dates, taxonomy_version)],
                     f"voc_retag_{dates.first}_{dates.last}", echo)
    echo(f"log: {plan.log}")
    return RunReport(stack, plan, {"tags": _counts(stack, dates.days)["tags"]})


def _counts(stack: Stack, days: list[date]) -> dict:
    with psycopg.connect(stack.warehouse.conninfo()) as conn:
        return counts.counts_by_date(conn, days)


def format_counts(layer_counts: dict, days: list[date]) -> str:
    """A table of rows per business date and layer, then per table."""
    layers = list(layer_counts)
    width = max(len(t) for tables in layer_counts.values() for t in tables) if layer_counts else 10
    lines = ["rows per business date and layer", "  " + "date".ljust(12) + "".join(l.rjust(10) for l in layers)]
    for d in days:
        cells = [sum(per_day[d] for per_day in layer_counts[layer].values()) for layer in layers]
        lines.append("  " + d.isoformat().ljust(12) + "".join(str(c).rjust(10) for c in cells))
    lines.append("")
    lines.append("rows per table (" + ", ".join(d.strftime("%m-%d") for d in days) + ")")
    for layer in layers:
        for table, per_day in layer_counts[layer].items():
            lines.append("  " + table.ljust(width) + " " + " ".join(str(per_day[d]).rjust(6) for d in days))
    return "\n".join(lines)


def format_task_durations(plan: PlanResult) -> str:
    """Seconds per task of each DAG run, as Airflow recorded them (task instance start to end)."""
    runs = [r for r in plan.runs if r.tasks]
    if not runs:
        return "no task instances recorded"
    names: list[str] = []
    for r in runs:
        names += [t.name for t in r.tasks if t.name not in names]
    heads = [_short(r.spec.label) for r in runs]
    width = max(len(n) for n in [*names, "DAG run (first start to last end)"]) + 2
    lines = ["seconds per task, from Airflow's task instances",
             "  " + "task".ljust(width) + "".join(h.rjust(11) for h in heads) + ("     median" if len(runs) > 1 else "")]
    for name in names:
        cells = [next((t.seconds for t in r.tasks if t.name == name), None) for r in runs]
        lines.append("  " + name.ljust(width) + "".join(_secs(c).rjust(11) for c in cells) + _median(cells, runs))
    totals = [r.seconds for r in runs]
    lines.append("  " + "DAG run (first start to last end)".ljust(width) + "".join(_secs(c).rjust(11) for c in totals)
                 + _median(totals, runs))
    lines.append(f"  worker process, start-up included: {plan.seconds:.1f}s for {len(runs)} run(s)")
    return "\n".join(lines)


def _short(label: str) -> str:
    """'voc_nightly 2026-11-15' -> '11-15'; 'voc_history 2026-05-20..2026-11-08' -> 'history'."""
    dag, _, dates = label.partition(" ")
    return dates[5:] if dag == "voc_nightly" and len(dates) == 10 else dag.removeprefix("voc_")


def _secs(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _median(cells: list, runs: list) -> str:
    values = [c for c in cells if c is not None]
    return (_secs(median(values)) if values else "-").rjust(11) if len(runs) > 1 else ""


def format_layer_totals(layer_counts: dict, dates: BusinessDates) -> str:
    """Rows per table over ``dates`` and on how many of them the table has rows."""
    width = max(len(t) for tables in layer_counts.values() for t in tables)
    lines = [f"rows per table, {dates} ({len(dates)} business dates)",
             "  " + "table".ljust(width) + "rows".rjust(12) + "dates".rjust(8)]
    for tables in layer_counts.values():
        for table, per_day in tables.items():
            filled = sum(1 for n in per_day.values() if n)
            lines.append("  " + table.ljust(width) + str(sum(per_day.values())).rjust(12) + str(filled).rjust(8))
    return "\n".join(lines)
