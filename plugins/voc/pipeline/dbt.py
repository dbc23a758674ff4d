"""Run dbt for one business day against the warehouse.

dbt runs as a subprocess of the venv's own ``dbt`` so its global state and logging stay out of the Airflow
task process; the warehouse address reaches ``dbt_project/profiles.yml`` through ``VOC_DBT_*`` variables,
never a profiles file with secrets in it.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from voc.business_date import BusinessDay
from voc.config import dbt_project_dir, voc_home
from voc.warehouse.dsn import Dsn

log = logging.getLogger(__name__)


class DbtFailed(RuntimeError):
    """dbt exited non-zero: a model failed to build or a data test failed."""


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def dbt_command(command: str, dsn: Dsn, day: BusinessDay | None = None, *, taxonomy_version: int = 1,
                select: str | None = None, extra: list[str] | None = None) -> list[str]:
    """Run ``dbt <command>`` for ``day``; returns the output lines; raises DbtFailed on failure."""
    project = dbt_project_dir()
    work = voc_home() / "dbt"
    args = [
        dbt_executable(), command,
        "--project-dir", str(project),
        "--profiles-dir", str(project),
        "--target-path", str(work / "target"),
        "--log-path", str(work / "logs"),
    ]
    if day is not None:
        args += ["--vars", json.dumps({"business_date": day.day.isoformat(), "taxonomy_version": taxonomy_version})]
    if select:
        args += ["--select", select]
    args += extra or []
    env = {**os.environ, **dsn.dbt_env(), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    for line in proc.stdout:
        line = line.rstrip("\n")
        lines.append(line)
        log.info("dbt | %s", line)
    if proc.wait() != 0:
        errors = [ln for ln in lines if "ERROR" in ln or "FAIL" in ln] or lines[-15:]
        raise DbtFailed(f"dbt {command} for {day} failed:\n" + "\n".join(errors))
    return lines


def dbt_build(dsn: Dsn, day: BusinessDay, *, taxonomy_version: int = 1, select: str | None = None) -> list[str]:
    return dbt_command("build", dsn, day, taxonomy_version=taxonomy_version, select=select)
