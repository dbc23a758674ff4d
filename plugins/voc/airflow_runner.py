"""Running the voc DAGs through Airflow itself: environment, metadata DB, and DAG runs in a worker process.

The environment points Airflow at this checkout's dags/ and plugins/, keeps its home under ``$VOC_HOME``
(SQLite metadata, LocalExecutor) and hands it the warehouse and sources as ``AIRFLOW_CONN_*`` connections.
Settings already present in the caller's environment win, so a deployment can override any of them.

A plan of DAG runs (the nightly dates, a history load, a re-tag) runs in one ``voc.dag_test_worker`` process,
each run through ``DAG.test()`` — what ``airflow dags test`` does — so Airflow records every run and task
instance; the worker reports progress and the recorded durations back as JSON lines.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from voc.business_date import BusinessDates
from voc.config import airflow_home, project_root, voc_home
from voc.stack import Stack

NIGHTLY_DAG_ID = "voc_nightly"
HISTORY_DAG_ID = "voc_history"
RETAG_DAG_ID = "voc_retag"


class AirflowRunFailed(RuntimeError):
    """A DAG run did not succeed; the message names the failed tasks and the log."""


def airflow_bin() -> str:
    candidate = Path(sys.executable).with_name("airflow")
    return str(candidate) if candidate.exists() else "airflow"


def airflow_env(stack: Stack) -> dict[str, str]:
    home = airflow_home()
    root = project_root()
    defaults = {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(root / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(root / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT": "120",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        "VOC_HOME": str(voc_home()),
        "AIRFLOW_VAR_VOC_SURVEY_LANDING_DIR": str(stack.survey_dir),
        # One quick retry: a run in the foreground waits out retry delays.
        "VOC_TASK_RETRIES": "1",
        "VOC_RETRY_DELAY_SECONDS": "5",
    }
    env = {**defaults, **os.environ}
    env["AIRFLOW_CONN_VOC_WAREHOUSE"] = stack.warehouse.airflow_conn_json()
    for name, dsn in stack.sources.items():
        env.setdefault(f"AIRFLOW_CONN_VOC_{name.upper()}", dsn.airflow_conn_json())
    env.pop("VOC_WAREHOUSE_URL", None)  # tasks read the connection, never the CLI's variable
    return env


def ensure_metadata_db(env: dict[str, str]) -> bool:
    """Create or upgrade Airflow's metadata DB; skipped when this Airflow version already migrated it."""
    home = Path(env["AIRFLOW_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    stamp = home / ".voc-migrated"
    version = _airflow_version()
    if stamp.exists() and stamp.read_text() == version and env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith(
        "sqlite:///"
    ) and Path(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"][len("sqlite:///"):]).exists():
        return False
    log = voc_home() / "logs" / "airflow-db-migrate.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as fh:
        code = subprocess.run([airflow_bin(), "db", "migrate"], env=env, stdout=fh, stderr=subprocess.STDOUT,
                              cwd=project_root()).returncode
    if code != 0:
        raise AirflowRunFailed(f"airflow db migrate failed (exit {code}); log: {log}\n{_tail(log)}")
    stamp.write_text(version)
    return True


@dataclass(frozen=True)
class RunSpec:
    """One DAG run to make: which DAG, its logical date (None: now, for manually triggered DAGs), its conf."""

    dag_id: str
    label: str
    logical_date: datetime | None = None
    conf: dict | None = None

    def as_json(self) -> dict:
        logical = self.logical_date or datetime.now(timezone.utc)
        return {"dag_id": self.dag_id, "label": self.label, "logical_date": logical.isoformat(), "conf": self.conf}


def nightly_runs(days: list[date]) -> list[RunSpec]:
    """voc_nightly for each business date: the run whose data interval is that Asia/Shanghai day."""
    return [RunSpec(NIGHTLY_DAG_ID, f"voc_nightly {d}", BusinessDates.of(d).run_after()) for d in days]


def history_run(dates: BusinessDates) -> RunSpec:
    conf = {"start": dates.first.isoformat(), "end": dates.last.isoformat()}
    return RunSpec(HISTORY_DAG_ID, f"voc_history {dates}", conf=conf)


def retag_run(dates: BusinessDates, taxonomy_version: int | None) -> RunSpec:
    conf = {"start": dates.first.isoformat(), "end": dates.last.isoformat(), "taxonomy_version": taxonomy_version}
    return RunSpec(RETAG_DAG_ID, f"voc_retag {dates}", conf=conf)


@dataclass
class TaskRecord:
    task_id: str
    map_index: int
    state: str
    seconds: float | None

    @property
    def name(self) -> str:
        return self.task_id if self.map_index < 0 else f"{self.task_id}[{self.map_index}]"


@dataclass
class DagRunResult:
    spec: RunSpec
    state: str = "not run"
    seconds: float | None = None  # first task start to last task end, as Airflow recorded them
    tasks: list[TaskRecord] = field(default_factory=list)


@dataclass
class PlanResult:
    runs: list[DagRunResult]
    seconds: float  # wall time of the worker process, start-up included
    log: Path


def run_plan(specs: list[RunSpec], env: dict[str, str], log_name: str,
             on_event: Callable[[dict], None] | None = None) -> PlanResult:
    """Run ``specs`` in order in one worker process; raises AirflowRunFailed at the first run that fails."""
    log = voc_home() / "logs" / f"{log_name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    results = [DagRunResult(spec) for spec in specs]
    plan = json.dumps([s.as_json() for s in specs])
    started = time.monotonic()
    read_fd, write_fd = os.pipe()
    with log.open("w", encoding="utf-8") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "voc.dag_test_worker", "--plan", plan, "--events-fd", str(write_fd)],
            env=env, stdout=fh, stderr=subprocess.STDOUT, cwd=project_root(), pass_fds=(write_fd,),
        )
        os.close(write_fd)
        with os.fdopen(read_fd, encoding="utf-8") as events:
            for line in events:
                event = json.loads(line)
                if event["event"] == "run_end":
                    _record(results[event["run"]], event)
                if on_event:
                    on_event(event)
        code = proc.wait()
    seconds = time.monotonic() - started
    failed = [r for r in results if r.state not in ("success", "not run")]
    if code != 0 or failed:
        what = failed[0].spec.label if failed else "the Airflow worker"
        bad = [t.name for r in failed for t in r.tasks if t.state not in ("success", "skipped")]
        detail = f"; failed tasks: {', '.join(bad)}" if bad else ""
        raise AirflowRunFailed(f"{what} failed (exit {code}){detail}; full log: {log}\n--- last lines ---\n"
                               + _tail(log))
    return PlanResult(results, seconds, log)


def _record(result: DagRunResult, event: dict) -> None:
    result.state, result.seconds = event["state"], event["seconds"]
    result.tasks = [TaskRecord(t["task_id"], t["map_index"], t["state"], t["duration"]) for t in event["tasks"]]


def _airflow_version() -> str:
    from importlib.metadata import version

    return version("apache-airflow")


def _tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
