"""``voc run``: voc_nightly through Airflow for a range of business dates, then a summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import psycopg

from voc import airflow_runner
from voc.business_date import date_range
from voc.stack import Stack
from voc.warehouse import counts, schema


@dataclass
class RunReport:
    stack: Stack
    runs: list[airflow_runner.DateRun]
    counts: dict


def run_range(stack: Stack, days: list[date], echo=print) -> RunReport:
    schema.init(stack.warehouse)
    env = airflow_runner.airflow_env(stack)
    if airflow_runner.ensure_metadata_db(env):
        echo("initialised Airflow metadata (SQLite) under " + env["AIRFLOW_HOME"])
    runs = airflow_runner.run_dates(days, env, on_start=lambda d: echo(f"running voc_nightly for business date {d} …"))
    for r in runs:
        echo(f"  {r.day}: ok in {r.seconds:.0f}s (log: {r.log})")
    with psycopg.connect(stack.warehouse.conninfo()) as conn:
        layer_counts = counts.counts_by_date(conn, days)
    return RunReport(stack, runs, layer_counts)


def retag_range(stack: Stack, start: date, end: date, taxonomy_version: int | None, echo=print) -> RunReport:
    """voc_retag through Airflow for start..end; returns the tags layer's rows per date afterwards."""
    from voc.tagging.taxonomy import Taxonomy

    days = date_range(start, end)  # refuses a reversed range before anything runs
    Taxonomy.load(taxonomy_version)  # names a missing version (and the ones there are) before Airflow starts
    schema.init(stack.warehouse)
    env = airflow_runner.airflow_env(stack)
    airflow_runner.ensure_metadata_db(env)
    label = f"taxonomy v{taxonomy_version}" if taxonomy_version else "the active taxonomy"
    echo(f"re-tagging {start} … {end} with {label} …")
    run = airflow_runner.run_retag(start, end, taxonomy_version, env)
    echo(f"  ok in {run.seconds:.0f}s (log: {run.log})")
    with psycopg.connect(stack.warehouse.conninfo()) as conn:
        layer_counts = {"tags": counts.counts_by_date(conn, days)["tags"]}
    echo(format_counts(layer_counts, days))
    return RunReport(stack, [run], layer_counts)


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
