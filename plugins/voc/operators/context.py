"""What every voc operator reads from the task context."""

from __future__ import annotations

from datetime import date

from voc.business_date import BusinessDay
from voc.warehouse.dsn import Dsn

WAREHOUSE_CONN_ID = "voc_warehouse"


def business_day(context, explicit: str | None = None) -> BusinessDay:
    """An explicit business date (voc_retag passes one per mapped task), else the run's data interval."""
    if explicit:
        return BusinessDay.of(date.fromisoformat(explicit))
    return BusinessDay.from_interval(context["data_interval_start"], context["data_interval_end"])


def resolve_taxonomy(explicit=None):
    """The taxonomy of an explicit version (a DAG param, possibly rendered as '' for none), else the active one."""
    from voc.tagging.taxonomy import Taxonomy

    return Taxonomy.load(int(explicit) if explicit not in (None, "") else None)


def warehouse() -> Dsn:
    return Dsn.from_airflow(WAREHOUSE_CONN_ID)
