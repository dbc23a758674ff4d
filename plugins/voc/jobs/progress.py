"""Showing DAG runs as they go: one progress bar per DAG run on a terminal, one line per run elsewhere.

Fed by the worker's events (``voc.airflow_runner.run_plan``'s ``on_event``); tables at the end are built by
the jobs from what Airflow recorded.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class RunProgress:
    """Context manager; pass ``self.on_event`` to ``run_plan``."""

    def __init__(self, echo: Callable[[str], None] = print, console: Console | None = None):
        self.echo = echo
        self.console = console or Console(file=sys.stderr)
        self.live = self.console.is_terminal
        self._progress = Progress(
            TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.fields[current]}"), console=self.console, transient=False,
        ) if self.live else None
        self._bars: dict[int, int] = {}
        self._started: dict[int, float] = {}

    def __enter__(self) -> "RunProgress":
        if self._progress:
            self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._progress:
            self._progress.stop()

    def on_event(self, event: dict) -> None:
        run = event.get("run")
        kind = event["event"]
        if kind == "run_start":
            self._started[run] = time.monotonic()
            if self._progress:
                self._bars[run] = self._progress.add_task(event["label"], total=event["tasks"], current="starting")
        elif kind == "task" and self._progress and run in self._bars:
            name = event["task_id"] + (f"[{event['map_index']}]" if event["map_index"] >= 0 else "")
            current = name if event["state"] == "running" else ""
            self._progress.update(self._bars[run], completed=event["done"], total=event["total"], current=current)
        elif kind == "run_end":
            seconds = time.monotonic() - self._started.get(run, time.monotonic())
            if self._progress and run in self._bars:
                done = sum(1 for t in event["tasks"] if t["state"] in ("success", "skipped"))
                self._progress.update(self._bars[run], completed=done, total=len(event["tasks"]),
                                      current=f"{event['state']} in {seconds:.0f}s")
            else:
                self.echo(f"  {event['dag_id']} {event['run_id']}: {event['state']} in {seconds:.0f}s")
