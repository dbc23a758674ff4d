"""End-to-end benchmark: one business date at 100k, 1M, 3M utterances through voc_nightly, via Airflow.

    .venv/bin/python bench/bench_e2e.py --scales 100000,1000000,3000000   # the issue's run
    .venv/bin/python bench/bench_e2e.py --scales 10000                    # quick check

For each scale, on the bench's own embedded Postgres (``--home``, never the demo's ``.voc``):
  1. an empty warehouse (the database is dropped and created again, so the run is that date alone);
  2. the four source systems generated for the date (bench/e2e_sources.py; reported, not part of the target);
  3. voc_nightly for the date through ``voc.airflow_runner.run_plan`` (one worker, ``DAG.test()``), while a
     thread here samples the worker's RSS every ``--sample`` seconds;
  4. from Airflow's task instances: seconds per task and stage, the DAG run (first task start to last task
     end) and the worker's wall time (Airflow start-up included);
  5. rows landed in raw for the date, landing rows/s (rows / seconds of the land_* tasks, so extraction,
     redaction, delete and COPY are all in it), and the baseline measured right after on the same server:
     psycopg ``executemany`` of a sample of the same raw rows, each table in its share, into scratch copies of
     the raw tables (keys included), in one transaction, best of two after a CHECKPOINT — inserting rows
     already in memory, so the ratio flatters the baseline, not the landing (psycopg2's executemany too, on a
     quarter of the sample, for reference);
  6. peak RSS per task: each sample goes to the task whose Airflow start..end holds its time.
A Markdown table (one row per scale), the per-task detail, and the time ratios between scales are printed;
``--json`` writes everything. The machine is shared and noisy: compare ratios measured in the same run.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # e2e_sources (it puts plugins/ on the path)
import e2e_sources  # noqa: E402

RAW_TABLES = ("crm_conversations", "crm_turns", "ticketing_tickets", "ticketing_ticket_events", "survey_responses",
              "corebank_customers", "corebank_aum_daily", "corebank_holdings", "corebank_churn_events")
STAGES = (("land", lambda t: t.startswith("land_")),
          ("tag", lambda t: t in ("plan_tag_partitions", "tag_utterances")),
          ("emerging", lambda t: t == "emerging_topics"),
          ("dbt", lambda t: t == "dbt_build"),
          ("gates", lambda t: t.startswith("dq_")))


# -- isolation ------------------------------------------------------------------------------------------------
def isolate(home: Path) -> None:
    """Point everything voc and Airflow read at the bench's own folder before anything is imported from voc.

    A caller's AIRFLOW_* or VOC_WAREHOUSE_URL would otherwise win over airflow_env()'s defaults and send the
    bench to their Airflow home or warehouse."""
    for name in [n for n in os.environ if n.startswith("AIRFLOW") or n in ("VOC_WAREHOUSE_URL", "VOC_LANDING_DIR")]:
        del os.environ[name]
    home.mkdir(parents=True, exist_ok=True)
    os.environ["VOC_HOME"] = str(home.resolve())


def fresh_warehouse(stack) -> None:
    """Drop the warehouse database and create it again with the project's raw/tags/dq schemas."""
    import psycopg
    from psycopg import sql

    from voc.warehouse import schema
    from voc.warehouse.databases import ensure_database

    admin = stack.warehouse.with_db("postgres")
    with psycopg.connect(admin.conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(stack.warehouse.dbname)))
    ensure_database(admin, stack.warehouse.dbname)
    schema.init(stack.warehouse)


# -- RSS of the worker -----------------------------------------------------------------------------------------
class RssSampler(threading.Thread):
    """Samples (unix time, RSS bytes) of a process and its children every ``interval`` seconds until stopped."""

    def __init__(self, pid: int, interval: float):
        super().__init__(daemon=True, name="rss-sampler")
        import psutil

        self.proc, self.interval = psutil.Process(pid), interval
        self.samples: list[tuple[float, int]] = []
        self._done = threading.Event()

    def run(self) -> None:
        import psutil

        while not self._done.is_set():
            try:
                rss = self.proc.memory_info().rss + sum(c.memory_info().rss for c in self.proc.children(recursive=True))
            except psutil.Error:  # the worker has exited
                return
            self.samples.append((time.time(), rss))
            self._done.wait(self.interval)

    def stop(self) -> None:
        self._done.set()
        self.join(timeout=5)


class Watch:
    """``on_event`` for run_plan: starts the sampler on the worker's pid and prints each finished task."""

    def __init__(self, interval: float):
        self.interval, self.sampler, self.run_end = interval, None, None

    def on_event(self, event: dict) -> None:
        kind = event["event"]
        if kind == "worker_start":
            self.sampler = RssSampler(event["pid"], self.interval)
            self.sampler.start()
        elif kind == "task" and event["state"] != "running":
            name = event["task_id"] + (f"[{event['map_index']}]" if event["map_index"] >= 0 else "")
            print(f"    [{event['done']:>2}/{event['total']}] {name} {event['state']}", flush=True)
        elif kind == "run_end":
            self.run_end = event

    def stop(self) -> list[tuple[float, int]]:
        if self.sampler is None:
            return []
        self.sampler.stop()
        return self.sampler.samples


# -- results ---------------------------------------------------------------------------------------------------
@dataclass
class TaskResult:
    name: str
    seconds: float
    rss_start_mb: float | None
    rss_peak_mb: float | None


@dataclass
class ScaleResult:
    scale: int
    utterances_generated: int
    utterances_tagged: int
    generated_rows: dict[str, int]
    generation_seconds: float
    raw_rows: dict[str, int]
    tasks: list[TaskResult]
    stages: dict[str, float]
    other_seconds: float
    dag_run_seconds: float
    worker_seconds: float
    landing_rows_per_s: float
    code: dict = field(default_factory=dict)
    executemany: dict = field(default_factory=dict)

    @property
    def raw_total(self) -> int:
        return sum(self.raw_rows.values())

    def ratio(self, driver: str = "psycopg") -> float:
        """Landing rows/s over the driver's executemany rows/s."""
        base = self.executemany.get(driver)
        return self.landing_rows_per_s / base["rows_per_s"] if base else math.nan

    def peak(self, prefix: str) -> float:
        return max((t.rss_peak_mb or 0 for t in self.tasks if t.name.startswith(prefix)), default=math.nan)


def _epoch(iso: str | None) -> float | None:
    return datetime.fromisoformat(iso).timestamp() if iso else None


def task_results(run_end: dict, samples: list[tuple[float, int]]) -> list[TaskResult]:
    """Seconds per task from Airflow, and the RSS samples taken between its recorded start and end."""
    out = []
    for t in run_end["tasks"]:
        name = t["task_id"] + (f"[{t['map_index']}]" if t["map_index"] >= 0 else "")
        start, end = _epoch(t["start"]), _epoch(t["end"])
        inside = [rss for at, rss in samples if start is not None and end is not None and start <= at <= end]
        before = [rss for at, rss in samples if start is not None and at <= start]
        first = before[-1] if before else (inside[0] if inside else None)  # the last sample before it started
        peak = max(inside + ([first] if first else []), default=None)
        out.append(TaskResult(name, t["duration"] or 0.0, _mb(first), _mb(peak)))
    return out


def _mb(value: int | None) -> float | None:
    return None if value is None else value / 2**20


def stage_seconds(tasks: list[TaskResult]) -> dict[str, float]:
    stages = {}
    for stage, belongs in STAGES:
        stages[stage] = sum(t.seconds for t in tasks if belongs(t.name.split("[")[0]))
    return stages


def count_raw(stack, day: date) -> tuple[dict[str, int], int]:
    """Rows in each raw table for ``day``, and the utterances tagged for it."""
    import psycopg

    with psycopg.connect(stack.warehouse.conninfo()) as conn:
        raw = {t: conn.execute(f"select count(*) from raw.{t} where business_date = %s", (day,)).fetchone()[0]
               for t in RAW_TABLES}
        tagged = conn.execute("select count(*) from tags.utterances where business_date = %s", (day,)).fetchone()[0]
    return raw, tagged


# -- the executemany baseline ----------------------------------------------------------------------------------
def executemany_baselines(stack, day: date, raw_rows: dict[str, int], sample: int) -> dict[str, dict]:
    """Rows/s of ``executemany`` inserting a sample of the day's raw rows, each table in its share of the
    landing, into scratch copies of the raw tables (keys and defaults included), in one transaction.

    psycopg (3) is the baseline the targets name; it pipelines the statements, so it is a strong one.
    psycopg2's executemany (a round trip per row, what most Python ETL code still does) is measured on a
    quarter of the sample for reference, when the driver is installed."""
    import psycopg

    conninfo = stack.warehouse.conninfo()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        batches = _sample_rows(conn, day, raw_rows, sample)
        # the DAG run leaves dirty pages behind; flushing them now keeps that I/O out of the baseline's time
        conn.execute("checkpoint")
    # best of two: this machine is shared, and a slow baseline would flatter the ratio
    runs = [_timed_executemany(psycopg.connect(conninfo), batches) for _ in range(2)]
    out = {"psycopg": max(runs, key=lambda r: r["rows_per_s"])}
    try:
        import psycopg2
    except ImportError:
        return out
    quarter = {t: (columns, rows[: max(1, len(rows) // 4)]) for t, (columns, rows) in batches.items()}
    out["psycopg2"] = _timed_executemany(psycopg2.connect(conninfo), quarter)
    return out


def _sample_rows(conn, day: date, raw_rows: dict[str, int], sample: int) -> dict[str, tuple[list[str], list]]:
    """{table: (columns, rows)}: ``sample`` rows of the day in all, each raw table in its share."""
    total = sum(raw_rows.values())
    batches = {}
    for table, n in raw_rows.items():
        take = min(n, math.ceil(sample * n / total)) if total else 0
        if take:
            columns = _columns(conn, table)
            rows = conn.execute(f"select {', '.join(columns)} from raw.{table} where business_date = %s limit %s",
                                (day, take)).fetchall()
            batches[table] = (columns, rows)
    return batches


def _timed_executemany(conn, batches: dict[str, tuple[list[str], list]]) -> dict:
    """Time ``executemany`` of each batch into a scratch copy of its raw table, commit included (DB-API only,
    so it runs on psycopg and psycopg2 alike); the scratch tables are dropped afterwards."""
    with conn:
        cur = conn.cursor()
        cur.execute("drop schema if exists bench_scratch cascade")
        cur.execute("create schema bench_scratch")
        for table in batches:
            cur.execute(f"create table bench_scratch.{table} (like raw.{table} including all)")
        conn.commit()
        started = time.perf_counter()
        for table, (columns, rows) in batches.items():
            marks = ", ".join(["%s"] * len(columns))
            cur.executemany(f"insert into bench_scratch.{table} ({', '.join(columns)}) values ({marks})", rows)
        conn.commit()
        seconds = time.perf_counter() - started
        cur.execute("drop schema bench_scratch cascade")
        conn.commit()
    conn.close()
    rows = sum(len(r) for _, r in batches.values())
    return {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds if seconds else math.nan}


def _columns(conn, table: str) -> list[str]:
    """The raw table's columns as the landing writes them (all but _loaded_at, which defaults to now())."""
    return [r[0] for r in conn.execute(
        "select column_name from information_schema.columns where table_schema = 'raw' and table_name = %s "
        "and column_name <> '_loaded_at' order by ordinal_position", (table,)).fetchall()]


# -- one scale -------------------------------------------------------------------------------------------------
def run_scale(stack, env: dict, pool, day: date, scale: int, args) -> ScaleResult:
    from voc import airflow_runner

    print(f"\n== {scale:,} utterances for {day} ==", flush=True)
    fresh_warehouse(stack)
    gen = e2e_sources.generate(stack, day, scale, pool)
    print(f"  sources: {gen.utterances:,} utterances, {sum(gen.rows.values()):,} rows in {gen.seconds:.0f}s "
          f"({gen.plan.customers:,} customers)", flush=True)
    code = code_state()
    watch = Watch(args.sample)
    try:
        plan = airflow_runner.run_plan(airflow_runner.nightly_runs([day]), env, f"bench_e2e_{scale}", watch.on_event)
    finally:
        samples = watch.stop()
    run = plan.runs[0]
    tasks = task_results(watch.run_end, samples)
    stages = stage_seconds(tasks)
    raw, tagged = count_raw(stack, day)
    land_seconds = stages["land"]
    result = ScaleResult(
        scale=scale, utterances_generated=gen.utterances, utterances_tagged=tagged, generated_rows=gen.rows,
        generation_seconds=gen.seconds, raw_rows=raw, tasks=tasks, stages=stages,
        other_seconds=run.seconds - sum(t.seconds for t in tasks), dag_run_seconds=run.seconds,
        worker_seconds=plan.seconds, landing_rows_per_s=sum(raw.values()) / land_seconds if land_seconds else math.nan,
        code=code,
    )
    after = code_state()
    if after != code:
        result.code["after"] = after
        changed = sorted(set(after["uncommitted"]) ^ set(code["uncommitted"])) or ["(a commit)"]
        print(f"  WARNING: the pipeline code changed while this scale ran ({', '.join(changed)}); unless the DAG "
              "never imports it, rerun this scale", flush=True)
    print(f"  DAG run {run.seconds:.0f}s, worker {plan.seconds:.0f}s, log {plan.log}", flush=True)
    result.executemany = executemany_baselines(stack, day, raw, args.baseline_rows)
    print(f"  landing {result.landing_rows_per_s:,.0f} rows/s", flush=True)
    for driver, base in result.executemany.items():
        print(f"  {driver} executemany {base['rows_per_s']:,.0f} rows/s ({base['rows']:,} rows) -> landing "
              f"{result.ratio(driver):.1f}x", flush=True)
    return result


# -- what was measured ----------------------------------------------------------------------------------------
def code_state() -> dict:
    """The pipeline code a run measures: the commit and a digest of uncommitted changes to it. Others edit
    this repository while a long run goes on; scales measured on different code must not be compared."""
    import hashlib
    import subprocess

    root = Path(__file__).resolve().parents[1]
    paths = ("plugins", "dags", "dbt_project", "expectations")

    def git(*cmd: str) -> str:
        done = subprocess.run(["git", *cmd], cwd=root, capture_output=True, text=True)
        return done.stdout.rstrip() if done.returncode == 0 else ""

    diff = git("diff", "HEAD", "--", *paths)
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "uncommitted": git("status", "--short", "--", *paths).splitlines(),
            "diff_sha1": hashlib.sha1(diff.encode()).hexdigest()[:12] if diff else None}


def run_meta(args, settings: dict[str, str]) -> dict:
    """What was measured: the date, the machine, the server's settings."""
    return {"date": args.date.isoformat(), "cpus": os.cpu_count(), "postgres": settings,
            "partitions": args.partitions or 2, "measured_at": datetime.now().isoformat(timespec="seconds")}


def server_settings(stack) -> dict[str, str]:
    """The embedded server's settings that bear on these timings (it runs with Postgres' defaults)."""
    import psycopg

    names = ("server_version", "shared_buffers", "work_mem", "maintenance_work_mem", "max_wal_size",
             "max_parallel_workers_per_gather", "synchronous_commit")
    with psycopg.connect(stack.warehouse.conninfo()) as conn:
        return {n: conn.execute(f"show {n}").fetchone()[0] for n in names}


# -- reporting -------------------------------------------------------------------------------------------------
def _n(value: float | None, digits: int = 0) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:,.{digits}f}"


def summary_table(results: list[ScaleResult]) -> str:
    head = ("| utterances | raw rows | land s | tag s | emerging s | dbt s | gates s | other s | DAG run s "
            "| worker wall s | landing rows/s | × executemany | × psycopg2 executemany | peak RSS land / tag MB |")
    lines = [head, "|" + "---:|" * 14]
    for r in results:
        s = r.stages
        lines.append(
            f"| {r.utterances_tagged:,} | {r.raw_total:,} | {_n(s['land'], 1)} | {_n(s['tag'], 1)} "
            f"| {_n(s['emerging'], 1)} | {_n(s['dbt'], 1)} | {_n(s['gates'], 1)} | {_n(r.other_seconds, 1)} "
            f"| {_n(r.dag_run_seconds, 1)} | {_n(r.worker_seconds, 1)} | {_n(r.landing_rows_per_s)} "
            f"| {_n(r.ratio(), 1)}× | {_n(r.ratio('psycopg2'), 1)}× "
            f"| {_n(r.peak('land_'))} / {_n(r.peak('tag_utterances'))} |")
    return "\n".join(lines)


def task_table(results: list[ScaleResult]) -> str:
    """Seconds, RSS at start and peak RSS of every task, one column group per scale."""
    names: list[str] = []
    for r in results:
        names += [t.name for t in r.tasks if t.name not in names]
    heads = " | ".join(f"{r.scale // 1000:,}k s | RSS start→peak MB" for r in results)
    lines = [f"| task | {heads} |", "|---|" + "---:|---:|" * len(results)]
    for name in names:
        cells = []
        for r in results:
            t = next((t for t in r.tasks if t.name == name), None)
            cells += ["-", "-"] if t is None else [_n(t.seconds, 1), f"{_n(t.rss_start_mb)}→{_n(t.rss_peak_mb)}"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def ratios(results: list[ScaleResult]) -> list[str]:
    """How time grows from one scale to the next, in total and per stage (linear = the volume ratio)."""
    out = []
    for a, b in zip(results, results[1:]):
        volume = b.utterances_tagged / a.utterances_tagged
        stages = ", ".join(f"{k} {b.stages[k] / a.stages[k]:.2f}×" for k in b.stages if a.stages.get(k))
        out.append(f"{b.scale // 1000:,}k / {a.scale // 1000:,}k: DAG run {b.dag_run_seconds / a.dag_run_seconds:.2f}× "
                   f"for {volume:.2f}× the utterances (worker wall {b.worker_seconds / a.worker_seconds:.2f}×; "
                   f"{stages})")
    return out


def sources_table(results: list[ScaleResult]) -> str:
    tables = list(results[0].generated_rows)
    lines = ["| source rows | " + " | ".join(f"{r.scale // 1000:,}k" for r in results) + " |",
             "|---|" + "---:|" * len(results)]
    for table in tables:
        lines.append(f"| {table} | " + " | ".join(f"{r.generated_rows.get(table, 0):,}" for r in results) + " |")
    lines.append("| generation s | " + " | ".join(f"{r.generation_seconds:.0f}" for r in results) + " |")
    for driver in ("psycopg", "psycopg2"):
        cells = [_n(r.executemany[driver]["rows_per_s"]) if driver in r.executemany else "-" for r in results]
        lines.append(f"| {driver} executemany rows/s | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report(results: list[ScaleResult]) -> None:
    codes = {json.dumps({k: v for k, v in r.code.items() if k != "after"}, sort_keys=True) for r in results}
    if len(codes) > 1:
        print("\nWARNING: the scales ran on different code (commit or uncommitted changes); ratios between them "
              "compare different pipelines:")
        for r in results:
            print(f"  {r.scale:,}: {r.code}")
    print("\n" + summary_table(results))
    print("\nper task (seconds from Airflow's task instances; worker RSS at the task's start and its peak)\n")
    print(task_table(results))
    print("\n" + sources_table(results))
    for line in ratios(results):
        print(line)


# -- main ------------------------------------------------------------------------------------------------------
def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", default="100000,1000000", help="utterances per run, comma-separated")
    ap.add_argument("--date", type=date.fromisoformat, default=date(2026, 11, 15), help="the business date")
    ap.add_argument("--home", type=Path, default=Path(tempfile.gettempdir()) / "voc-bench-e2e",
                    help="the bench's VOC_HOME: its embedded Postgres, Airflow home and landing folder")
    ap.add_argument("--baseline-rows", type=int, default=200_000, help="rows for the executemany baseline")
    ap.add_argument("--sample", type=float, default=0.1, help="seconds between RSS samples of the worker")
    ap.add_argument("--partitions", type=int, help="Airflow variable voc_tag_partitions (default: the DAG's, 2)")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--keep", action="store_true", help="leave the server running with the last scale's data")
    args = ap.parse_args(argv)
    scales = [int(s.replace("_", "")) for s in args.scales.split(",") if s]

    isolate(args.home)
    from voc import airflow_runner
    from voc.stack import resolve
    from voc.warehouse import embedded

    results: list[ScaleResult] = []
    stack = resolve()
    try:
        env = airflow_runner.airflow_env(stack)
        if args.partitions:
            env["AIRFLOW_VAR_VOC_TAG_PARTITIONS"] = str(args.partitions)
        airflow_runner.ensure_metadata_db(env)
        settings = server_settings(stack)
        started = time.perf_counter()
        pool = e2e_sources.build_pool(args.date)
        print(f"text pool: {pool.utterances:,} utterances over {e2e_sources.POOL_DAYS} demo days "
              f"({time.perf_counter() - started:.0f}s); bench home {args.home}")
        for scale in scales:
            try:
                results.append(run_scale(stack, env, pool, args.date, scale, args))
            except airflow_runner.AirflowRunFailed as exc:  # report what was measured before it
                print(f"\nvoc_nightly failed at {scale:,} utterances: {exc}", file=sys.stderr)
                break
            if args.json:  # after every scale, so a long run that is stopped keeps what it measured
                payload = {"meta": run_meta(args, settings), "results": [asdict(r) for r in results]}
                args.json.write_text(json.dumps(payload, indent=1, default=str))
        if results:
            report(results)
    finally:
        if not args.keep:
            _drop_databases(stack)
            embedded.stop()
    return 0 if len(results) == len(scales) else 1


def _drop_databases(stack) -> None:
    """Free the disk the bench used (about 15 GB at 3M); the Airflow home stays for the next run."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(stack.warehouse.with_db("postgres").conninfo(), autocommit=True) as conn:
        for dsn in (stack.warehouse, *stack.sources.values()):
            conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(dsn.dbname)))


if __name__ == "__main__":
    sys.exit(main())
