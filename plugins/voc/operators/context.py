"""What every voc operator reads from the task context, and what a task process keeps between tasks."""

from __future__ import annotations

import threading
from pathlib import Path

from airflow.sdk import BaseOperator

from voc.business_date import BusinessDates
from voc.warehouse.dsn import Dsn

WAREHOUSE_CONN_ID = "voc_warehouse"


class DatedOperator(BaseOperator):
    """An operator working on a run's business dates: ``first_date``..``last_date`` when given (templated,
    e.g. ``{{ params.start }}`` in voc_history and voc_retag), else the run's data interval (voc_nightly)."""

    template_fields = ("first_date", "last_date")

    def __init__(self, *, first_date: str | None = None, last_date: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.first_date, self.last_date = first_date, last_date

    def run_dates(self, context) -> BusinessDates:
        if self.first_date:
            return BusinessDates.parse(self.first_date, self.last_date or None)
        return BusinessDates.from_interval(context["data_interval_start"], context["data_interval_end"])

    def dates_kwargs(self, dates: BusinessDates) -> dict[str, str]:
        """The dates as a downstream task's arguments (mapped tasks get them from XCom)."""
        return {"first_date": dates.first.isoformat(), "last_date": dates.last.isoformat()}


def warehouse() -> Dsn:
    return Dsn.from_airflow(WAREHOUSE_CONN_ID)


# A worker process may run many tasks (dag.test runs a whole DAG run in one): parse the taxonomy and build its
# tagger once per version and file state, not once per task.
_lock = threading.Lock()
_taxonomies: dict[tuple, object] = {}
_taggers: dict[tuple, object] = {}


def resolve_taxonomy(explicit=None):
    """The taxonomy of an explicit version (a DAG param, possibly rendered as '' for none), else the active one."""
    from voc.tagging.taxonomy import Taxonomy

    key = _taxonomy_key(explicit)
    with _lock:
        if key not in _taxonomies:
            _taxonomies[key] = Taxonomy.load(key[0])
        return _taxonomies[key]


def tagger_for(explicit=None):
    """A tagger of that taxonomy, built once per process."""
    from voc.tagging import Tagger

    taxonomy = resolve_taxonomy(explicit)
    key = _taxonomy_key(explicit)
    with _lock:
        if key not in _taggers:
            _taggers[key] = Tagger(taxonomy)
        return _taggers[key]


def _taxonomy_key(explicit) -> tuple:
    """(version, folder, its files and their mtimes): an edited or added taxonomy file is loaded afresh."""
    from voc.tagging.taxonomy import active_version, taxonomy_dir

    folder = taxonomy_dir()
    version = int(explicit) if explicit not in (None, "") else active_version(folder)
    files = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(Path(folder).glob("*.yaml")))
    return version, str(folder), files
