"""``voc demo``: the whole job on the embedded default, end to end through Airflow, with months of history.

Generates the deterministic demo source systems (skipped when they already hold exactly this data), loads
every business date but the last seven in one voc_history run, then runs voc_nightly for the last seven
dates — all in one Airflow worker process — and prints what landed where and how long each stage took.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from datetime import date
from importlib import resources

import psycopg

from voc import airflow_runner
from voc.business_date import BusinessDates
from voc.config import voc_home
from voc.jobs.run import format_counts, format_task_durations, run_specs
from voc.stack import Stack, resolve
from voc.warehouse import counts

NIGHTLY_DATES = 7
DEMO_END_DATE = "2026-11-15"  # fixed so the demo is byte-for-byte reproducible; VOC_DEMO_END_DATE overrides


def demo_config():
    """The generator's config: its defaults, with VOC_DEMO_END_DATE / VOC_DEMO_DAYS / VOC_DEMO_CUSTOMERS."""
    from voc.demo.generate import DemoConfig

    overrides = {"end_date": date.fromisoformat(os.environ.get("VOC_DEMO_END_DATE", DEMO_END_DATE))}
    for key, var in (("days", "VOC_DEMO_DAYS"), ("customers", "VOC_DEMO_CUSTOMERS")):
        if os.environ.get(var):
            overrides[key] = int(os.environ[var])
    return DemoConfig(**overrides)


def demo_dates(cfg) -> tuple[BusinessDates | None, list[date]]:
    """(the history to load in bulk, the last dates to run night by night)."""
    days = cfg.dates
    nightly = days[-NIGHTLY_DATES:]
    history = BusinessDates(days[0], days[-NIGHTLY_DATES - 1]) if len(days) > NIGHTLY_DATES else None
    return history, nightly


def ensure_demo_data(stack: Stack, cfg, echo=print) -> bool:
    """Generate the demo sources unless the same generator already wrote the same config there."""
    from voc.demo.generate import generate

    stamp = voc_home() / "demo-fingerprint"
    fingerprint = _fingerprint(stack, cfg)
    if stamp.exists() and stamp.read_text() == fingerprint:
        echo("demo source systems already hold this demo data; not regenerating")
        return False
    summary = generate(
        cfg,
        crm_url=stack.sources["crm"].url(),
        ticketing_url=stack.sources["ticketing"].url(),
        corebank_url=stack.sources["corebank"].url(),
        survey_dir=stack.survey_dir,
    )
    stamp.write_text(fingerprint)
    echo("generated demo source data: " + ", ".join(f"{k} {v}" for k, v in summary.items()))
    return True


def _fingerprint(stack: Stack, cfg) -> str:
    digest = hashlib.sha256(json.dumps([repr(cfg), stack.warehouse.url()]).encode())
    package = resources.files("voc.demo")
    for entry in sorted(package.iterdir(), key=lambda p: p.name):
        if entry.name.endswith((".py", ".sql", ".yaml")):
            digest.update(entry.name.encode() + entry.read_bytes())
    return digest.hexdigest()


def _history_marker():
    return voc_home() / "demo-history"


def _history_fingerprint(stack: Stack, cfg, history: BusinessDates) -> str:
    """The demo data, the history range and every file of the pipeline that shapes what it lands."""
    from voc.config import project_root

    digest = hashlib.sha256(f"{_fingerprint(stack, cfg)}|{history}".encode())
    root = project_root()
    for folder in ("plugins/voc", "dags", "dbt_project", "expectations"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".sql", ".yml", ".yaml", ".json", ".csv", ".c", ".txt"):
                digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()


def _history_loaded(stack: Stack, history: BusinessDates, fingerprint: str) -> bool:
    """A later demo skips reloading the history that the last one loaded — if it is still there, gated."""
    marker = _history_marker()
    if not marker.exists() or marker.read_text() != fingerprint:
        return False
    with psycopg.connect(stack.warehouse.conninfo()) as conn:
        gated = conn.execute(
            """select count(distinct business_date) from dq.checkpoint_results
               where suite = 'marts' and success and business_date between %s and %s""",
            (history.first, history.last)).fetchone()[0]
    return gated == len(history)


@dataclass
class Stages:
    """Wall time of each stage of the demo, in order."""

    seconds: dict[str, float] = field(default_factory=dict)
    _last: float = field(default_factory=time.monotonic)

    def done(self, name: str) -> None:
        now = time.monotonic()
        self.seconds[name] = now - self._last
        self._last = now

    def format(self) -> str:
        width = max(map(len, self.seconds)) + 2
        lines = ["seconds per stage"] + [f"  {name.ljust(width)}{s:7.1f}" for name, s in self.seconds.items()]
        lines.append(f"  {'total'.ljust(width)}{sum(self.seconds.values()):7.1f}")
        return "\n".join(lines)


def run_demo(echo=print) -> None:
    stages = Stages()
    stack = resolve()
    where = "embedded Postgres (" + stack.warehouse.host + ")" if stack.embedded else "VOC_WAREHOUSE_URL"
    echo(f"warehouse: {stack.warehouse.url()} [{where}]")
    stages.done("start the warehouse")
    cfg = demo_config()
    ensure_demo_data(stack, cfg, echo)
    stages.done("generate the demo source systems")
    history, nightly = demo_dates(cfg)
    loaded = _history_fingerprint(stack, cfg, history) if history else None
    if history and _history_loaded(stack, history, loaded):
        echo(f"history {history} already loaded from these sources by this code; not reloading it "
             f"(delete {_history_marker()} to force)")
        history = None
    specs = ([airflow_runner.history_run(history)] if history else []) + airflow_runner.nightly_runs(nightly)
    echo(f"loading {history} in one voc_history run, then voc_nightly for {nightly[0]} … {nightly[-1]}"
         if history else f"running voc_nightly for {nightly[0]} … {nightly[-1]}")
    _history_marker().unlink(missing_ok=True)
    plan = run_specs(stack, specs, "demo", echo)
    if loaded:
        _history_marker().write_text(loaded)
    runs = {r.spec.dag_id: [] for r in plan.runs}
    for r in plan.runs:
        runs[r.spec.dag_id].append(r.seconds or 0.0)
    elapsed = time.monotonic() - stages._last
    stages.seconds["warehouse schemas, Airflow metadata DB"] = elapsed - plan.seconds
    stages.seconds["Airflow worker start-up, between runs"] = plan.seconds - sum(map(sum, runs.values()))
    if history:
        stages.seconds[f"voc_history, {len(history)} dates in one run"] = sum(runs[airflow_runner.HISTORY_DAG_ID])
    stages.seconds[f"voc_nightly, {len(nightly)} runs"] = sum(runs[airflow_runner.NIGHTLY_DAG_ID])
    stages._last = time.monotonic()
    with psycopg.connect(stack.warehouse.conninfo()) as conn:
        coverage = counts.coverage_by_layer(conn)
        recent = counts.counts_by_date(conn, nightly)
    stages.done("count rows")
    echo("")
    echo(format_coverage(coverage))
    echo("")
    echo(format_counts(recent, nightly))
    echo("")
    echo(format_task_durations(plan))
    echo("")
    echo(stages.format())
    echo("")
    echo("Where to look next:")
    echo(f"  warehouse   psql \"{stack.warehouse.url()}\"   (or: voc warehouse-url)")
    echo("  ROI         select signal, metric, estimate, ci_low, ci_high, n_treated from marts_roi.signal_effects")
    echo("              where as_of_month = (select max(as_of_month) from marts_roi.signal_effects) and segment = 'all'")
    echo("              order by metric, estimate desc;")
    echo("  hot spots   select * from marts_voc.hot_spot_alerts where is_alert order by iso_week_start desc, alert_rank;")
    echo("  quality     select * from dq.checkpoint_results order by business_date desc;")
    echo(f"  logs        {plan.log}  and  {voc_home() / 'airflow' / 'logs'}")
    echo("  one date    voc run --date " + nightly[-1].isoformat())


def format_coverage(coverage: dict) -> str:
    """Rows and periods (business dates; months or ISO weeks for periodic marts) per layer and table."""
    width = max(len(t) for tables in coverage.values() for t in tables)
    lines = ["rows per layer and table, all history",
             "  " + "table".ljust(width) + "rows".rjust(12) + "periods".rjust(14)]
    for layer, tables in coverage.items():
        lines.append(f"  {layer}: {sum(rows for rows, *_ in tables.values())} rows")
        for table, (rows, periods, unit) in tables.items():
            span = f"{periods} {unit}" if unit else "-"
            lines.append("    " + table.ljust(width - 2) + str(rows).rjust(12) + span.rjust(14))
    return "\n".join(lines)
