"""Small TaskFlow helpers for voc_retag."""

from __future__ import annotations

from datetime import date

from airflow.sdk import task

from voc.business_date import date_range

MAX_RETAG_DAYS = 366


@task
def retag_dates(start: str, end: str) -> list[str]:
    """The business dates from ``start`` to ``end`` inclusive, refusing ranges that are surely typos."""
    days = date_range(date.fromisoformat(start), date.fromisoformat(end))
    if len(days) > MAX_RETAG_DAYS:
        raise ValueError(f"voc_retag: {len(days)} days from {start} to {end}; split ranges over {MAX_RETAG_DAYS} days")
    return [d.isoformat() for d in days]
