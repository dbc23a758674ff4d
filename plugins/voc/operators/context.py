"""What every voc operator reads from the task context."""

from __future__ import annotations

from voc.business_date import BusinessDay
from voc.warehouse.dsn import Dsn

WAREHOUSE_CONN_ID = "voc_warehouse"


def business_day(context) -> BusinessDay:
    return BusinessDay.from_interval(context["data_interval_start"], context["data_interval_end"])


def warehouse() -> Dsn:
    return Dsn.from_airflow(WAREHOUSE_CONN_ID)
