"""Running voc_nightly through Airflow itself: environment, metadata DB, one ``airflow dags test`` per date.

The environment points Airflow at this checkout's dags/ and plugins/, keeps its home under ``$VOC_HOME``
(SQLite metadata, LocalExecutor) and hands it the warehouse and sources as ``AIRFLOW_CONN_*`` connections.
Settings already present in the caller's environment win, so a deployment can override any of them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from voc.business_date import BusinessDay
from voc.config import airflow_home, project_root, voc_home
from voc.stack import Stack

DAG_ID = "voc_nightly"
RETAG_DAG_ID = "voc_retag"


class AirflowRunFailed(RuntimeError):
    """``airflow dags test`` exited non-zero for a business date."""


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
        # One quick retry: `airflow dags test` waits out retry delays in the foreground.
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
    _run([airflow_bin(), "db", "migrate"], env, home / "db-migrate.log", "airflow db migrate")
    stamp.write_text(version)
    return True


@dataclass
class DateRun:
    day: date
    seconds: float
    log: Path


def run_dates(days: list[date], env: dict[str, str], on_start: Callable[[date], None] | None = None) -> list[DateRun]:
    """Run voc_nightly once per business date, in order; stops at the first failed date."""
    log_dir = voc_home() / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    runs = []
    for day in days:
        if on_start:
            on_start(day)
        log = log_dir / f"{DAG_ID}_{day.isoformat()}.log"
        run_after = BusinessDay.of(day).run_after().isoformat()
        started = time.monotonic()
        _run([airflow_bin(), "dags", "test", DAG_ID, run_after], env, log, f"voc_nightly for business date {day}")
        runs.append(DateRun(day, time.monotonic() - started, log))
    return runs


def run_retag(start: date, end: date, taxonomy_version: int | None, env: dict[str, str]) -> DateRun:
    """Run voc_retag once for ``start``..``end`` (inclusive) with ``taxonomy_version`` (None: the active one)."""
    log_dir = voc_home() / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{RETAG_DAG_ID}_{start.isoformat()}_{end.isoformat()}.log"
    conf = json.dumps({"start": start.isoformat(), "end": end.isoformat(), "taxonomy_version": taxonomy_version})
    started = time.monotonic()
    _run([airflow_bin(), "dags", "test", RETAG_DAG_ID, "--conf", conf], env, log,
         f"voc_retag for {start}..{end}")
    return DateRun(start, time.monotonic() - started, log)


def _airflow_version() -> str:
    from importlib.metadata import version

    return version("apache-airflow")


def _run(args: list[str], env: dict[str, str], log: Path, what: str) -> None:
    with log.open("w", encoding="utf-8") as fh:
        code = subprocess.run(args, env=env, stdout=fh, stderr=subprocess.STDOUT, cwd=project_root()).returncode
    if code != 0:
        tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:])
        raise AirflowRunFailed(f"{what} failed (exit {code}); full log: {log}\n--- last lines ---\n{tail}")
