"""Run a sequence of DAG runs through Airflow in one process: ``python -m voc.dag_test_worker --plan JSON``.

Each run goes through ``DAG.test()``, the API behind ``airflow dags test``: a real DagRun and real task
instances in Airflow's metadata DB, every task executed by Airflow's task runner with its retries and
timeouts, XComs and mapped tasks included. What one process saves over one ``airflow dags test`` per date is
the start-up paid once instead of per run: importing Airflow and the libraries the tasks use (GX, dbt, the
tagger), starting the in-process execution API, parsing dbt's project.

The launching process (``voc.airflow_runner``) reads progress and results as JSON lines on ``--events-fd``;
everything Airflow logs goes to stdout/stderr (the run's log file).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from datetime import datetime, timezone


class Events:
    """JSON lines to the launching process; a no-op without a descriptor (a run by hand)."""

    def __init__(self, fd: int | None):
        self._out = os.fdopen(fd, "w", buffering=1, encoding="utf-8") if fd is not None else None
        self._lock = threading.Lock()

    def emit(self, event: str, **fields) -> None:
        if self._out is None:
            return
        with self._lock:
            self._out.write(json.dumps({"event": event, **fields}, default=str) + "\n")


def run_plan(plan: list[dict], events: Events) -> int:
    """Run each DAG run of ``plan`` in order; stops at the first that does not succeed. Returns an exit code."""
    from airflow.configuration import conf
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils.state import DagRunState

    events.emit("worker_start", pid=os.getpid())
    # Parsed here without writing to the metadata DB: DAG.test() syncs the bundle itself before each run.
    bag = DagBag(dag_folder=conf.get("core", "dags_folder"))
    _start_execution_api()
    if bag.import_errors:
        raise RuntimeError(f"DAG files failed to import: {bag.import_errors}")
    for index, spec in enumerate(plan):
        dag_id = spec["dag_id"]
        dag = bag.dags.get(dag_id)
        if dag is None:
            raise RuntimeError(f"no DAG {dag_id!r} in {conf.get('core', 'dags_folder')} (found: {sorted(bag.dags)})")
        logical_date = datetime.fromisoformat(spec["logical_date"]) if spec.get("logical_date") else None
        events.emit("run_start", run=index, dag_id=dag_id, label=spec.get("label", dag_id),
                    tasks=len(dag.task_dict))
        watcher = _Watcher(dag_id, index, events, since=datetime.now(timezone.utc))
        watcher.start()
        try:
            dag_run = dag.test(logical_date=logical_date, run_conf=spec.get("conf"))
        finally:
            watcher.stop()
        summary = _summary(dag_id, dag_run.run_id)
        events.emit("run_end", run=index, **summary)
        if dag_run.state != DagRunState.SUCCESS:
            return 1
    return 0


def _start_execution_api() -> None:
    """Start the in-process Execution API that DAG.test() gives tasks, before the first run.

    In a deployment it is the api-server, up long before any task; here it would be built on the first task's
    first call (its versioned routes are generated lazily, seconds of work), and charged to that task."""
    import httpx
    from airflow.sdk.execution_time.supervisor import in_process_api_server

    with httpx.Client(transport=in_process_api_server().transport, base_url="http://in-process.invalid./") as client:
        client.get("/health").raise_for_status()


class _Watcher(threading.Thread):
    """Reports task instances as they finish, read from the metadata DB every half second."""

    def __init__(self, dag_id: str, index: int, events: Events, since: datetime):
        super().__init__(daemon=True, name="voc-progress")
        self.dag_id, self.index, self.events, self.since = dag_id, index, events, since
        self._done = threading.Event()
        self._seen: dict[tuple, str] = {}

    def run(self) -> None:
        while not self._done.wait(0.5):
            try:
                self.poll()
            except Exception:  # noqa: BLE001 — progress is cosmetic; the run's own result is what counts
                pass

    def stop(self) -> None:
        self._done.set()
        self.join(timeout=5)

    def poll(self) -> None:
        from sqlalchemy import select

        from airflow.models import DagRun, TaskInstance
        from airflow.utils.session import create_session

        with create_session() as session:
            run_id = session.scalar(
                select(DagRun.run_id).where(DagRun.dag_id == self.dag_id, DagRun.run_after >= self.since)
                .order_by(DagRun.id.desc()).limit(1)
            )
            if run_id is None:
                return
            rows = session.execute(
                select(TaskInstance.task_id, TaskInstance.map_index, TaskInstance.state)
                .where(TaskInstance.dag_id == self.dag_id, TaskInstance.run_id == run_id)
            ).all()
        total = len(rows)
        done = sum(1 for _, _, state in rows if state in ("success", "failed", "skipped", "upstream_failed"))
        for task_id, map_index, state in rows:
            key = (task_id, map_index)
            if self._seen.get(key) != state and state in ("running", "success", "failed", "up_for_retry"):
                self._seen[key] = state
                self.events.emit("task", run=self.index, task_id=task_id, map_index=map_index, state=state,
                                 done=done, total=total)


def _summary(dag_id: str, run_id: str) -> dict:
    """The run and its task instances as Airflow recorded them."""
    from sqlalchemy import select

    from airflow.models import DagRun, TaskInstance
    from airflow.utils.session import create_session

    with create_session() as session:
        dag_run = session.scalars(select(DagRun).where(DagRun.dag_id == dag_id, DagRun.run_id == run_id)).one()
        tis = session.scalars(
            select(TaskInstance).where(TaskInstance.dag_id == dag_id, TaskInstance.run_id == run_id)
        ).all()
        tasks = [
            {"task_id": ti.task_id, "map_index": ti.map_index, "state": str(ti.state), "try_number": ti.try_number,
             "start": ti.start_date.isoformat() if ti.start_date else None,
             "end": ti.end_date.isoformat() if ti.end_date else None, "duration": ti.duration}
            for ti in sorted(tis, key=lambda t: (t.start_date or dag_run.start_date, t.task_id, t.map_index))
        ]
        # DAG.test() dates the run's start at its logical date, so the run's span is taken from its tasks
        starts = [ti.start_date for ti in tis if ti.start_date]
        ends = [ti.end_date for ti in tis if ti.end_date]
        seconds = (max(ends) - min(starts)).total_seconds() if starts and ends else None
        return {"dag_id": dag_id, "run_id": run_id, "state": str(dag_run.state), "seconds": seconds,
                "tasks": tasks}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", required=True, help="JSON list of {dag_id, logical_date?, conf?, label?}")
    parser.add_argument("--events-fd", type=int, help="file descriptor for JSON-lines progress events")
    args = parser.parse_args(argv)
    return run_plan(json.loads(args.plan), Events(args.events_fd))


if __name__ == "__main__":
    sys.exit(main())
