"""Run dbt for a run's business dates against the warehouse.

dbt runs in-process through its Python API (``dbtRunner``, as astronomer-cosmos does in its local mode): no
interpreter start-up and no second import of dbt per task, and its events go to this process's logging
instead of a pipe. The warehouse address reaches ``dbt_project/profiles.yml`` and the business dates reach
the models through ``VOC_DBT_*`` environment variables, set for the invocation only — never a profiles file
with secrets, and never ``--vars``, whose every new value makes dbt re-parse the whole project. The parsed
project persists in ``$VOC_HOME/dbt/target`` (partial parsing) and, within one process, in memory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from voc.business_date import BusinessDates
from voc.config import dbt_project_dir, voc_home
from voc.warehouse.dsn import Dsn

log = logging.getLogger(__name__)

# Unit tests check the SQL, not the data: `make test` runs them (tests/dbt); production builds leave them out.
PRODUCTION_EXCLUDES = ("--exclude-resource-type", "unit_test")
_LOCK = threading.Lock()  # dbtRunner keeps process-global state: one invocation at a time
_manifests: dict[str, object] = {}


class DbtFailed(RuntimeError):
    """dbt could not run, a model failed to build or a data test failed; the message names the nodes."""


@dataclass
class DbtOutcome:
    nodes: int
    seconds: float
    statuses: dict[str, int]


def dbt_build(dsn: Dsn, dates: BusinessDates, *, taxonomy_version: int, select: str | None = None) -> DbtOutcome:
    """``dbt build`` of the models and data tests for ``dates``: the marts' rows of those dates are replaced."""
    # manifest.json and run_results.json are not rewritten every night (a second each): the outcome is returned
    args = ["build", "--no-write-json", *PRODUCTION_EXCLUDES]
    if select:
        args += ["--select", select]
    return run_dbt(args, dsn, dates, taxonomy_version=taxonomy_version)


def run_dbt(args: list[str], dsn: Dsn, dates: BusinessDates | None = None, *, taxonomy_version: int) -> DbtOutcome:
    """Invoke ``dbt <args>`` on the project; raises DbtFailed naming what failed."""
    from dbt.cli.main import dbtRunner

    work = voc_home() / "dbt"
    common = [
        "--project-dir", str(dbt_project_dir()),
        "--profiles-dir", str(dbt_project_dir()),
        "--target-path", str(work / "target"),
        "--log-path", str(work / "logs"),
        "--vars", json.dumps({"taxonomy_version": taxonomy_version}),
    ]
    flags = ["--log-level", "none", "--no-use-colors", "--no-send-anonymous-usage-stats"]
    env = {**dsn.dbt_env(), "VOC_DBT_DATE_FROM": "", "VOC_DBT_DATE_TO": ""}
    if dates is not None:
        env |= {"VOC_DBT_DATE_FROM": dates.first.isoformat(), "VOC_DBT_DATE_TO": dates.last.isoformat()}
    what = f"dbt {args[0]}" + (f" for {dates}" if dates else "")
    with _LOCK, _environment(env):
        manifest = _parsed(dbtRunner, flags, common, env)
        result = dbtRunner(manifest=manifest, callbacks=[_log_event]).invoke([*flags, *args, *common])
    if result.exception is not None:
        raise DbtFailed(f"{what} could not run: {result.exception}") from result.exception
    results = list(getattr(result.result, "results", None) or [])
    statuses: dict[str, int] = {}
    for r in results:
        statuses[str(r.status)] = statuses.get(str(r.status), 0) + 1
    bad = [r for r in results if str(r.status) not in ("success", "pass", "skipped")]
    if not result.success or bad:
        lines = [f"  {r.node.unique_id}: {r.status} {(r.message or '').strip()}" for r in bad]
        raise DbtFailed(f"{what} failed ({len(bad)} of {len(results)} nodes):\n" + "\n".join(lines))
    seconds = getattr(result.result, "elapsed_time", 0.0)
    log.info("%s: %d nodes in %.1fs %s", what, len(results), seconds, statuses)
    return DbtOutcome(len(results), seconds, statuses)


def _parsed(runner, flags: list[str], common: list[str], env: Mapping[str, str]):
    """The parsed project, parsed at most once per process for the same project files, vars and profile.

    The dates are left out of the key on purpose: the models read them only while executing."""
    key = hashlib.sha256(json.dumps([common, _profile_env(env), _project_fingerprint()]).encode()).hexdigest()
    if key not in _manifests:
        result = runner(callbacks=[_log_event]).invoke([*flags, "parse", "--no-write-json", *common])
        if result.exception is not None or not result.success:
            raise DbtFailed(f"dbt could not parse {dbt_project_dir()}: {result.exception}")
        _manifests.clear()
        _manifests[key] = result.result
    return _manifests[key]


def _profile_env(env: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if not k.startswith("VOC_DBT_DATE_")}


def _project_fingerprint() -> list:
    """Every project file's name, size and mtime: an edited model makes the process parse again."""
    root = dbt_project_dir()
    out = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".sql", ".yml", ".yaml", ".csv", ".md"):
            stat = path.stat()
            out.append((str(path.relative_to(root)), stat.st_size, stat.st_mtime_ns))
    return out


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _log_event(event) -> None:
    """dbt's events at info level and above, through this process's logging (the Airflow task log)."""
    info = event.info
    if info.level in ("info", "warn", "error") and info.msg:
        log.log(logging.getLevelName(info.level.upper().replace("WARN", "WARNING")), "dbt | %s", info.msg)
