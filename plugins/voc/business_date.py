"""The business date: one Asia/Shanghai calendar day, midnight to midnight CST.

Airflow's ``ds`` and ``logical_date`` are UTC and would put 00:00–08:00 CST in the wrong day, so the
business date is always derived from the run's data interval converted to Asia/Shanghai.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from voc.config import BUSINESS_TZ

CST = ZoneInfo(BUSINESS_TZ)


class BusinessDateError(ValueError):
    """A data interval that is not exactly one business day."""


@dataclass(frozen=True)
class BusinessDay:
    day: date
    start: datetime  # inclusive, aware
    end: datetime  # exclusive, aware

    @classmethod
    def of(cls, day: date) -> "BusinessDay":
        start = datetime.combine(day, time.min, tzinfo=CST)
        return cls(day, start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=CST))

    @classmethod
    def from_interval(cls, start: datetime, end: datetime) -> "BusinessDay":
        """The business day an Airflow data interval covers; refuses anything but one whole CST day."""
        if start.tzinfo is None or end.tzinfo is None:
            raise BusinessDateError(f"data interval must be timezone-aware, got {start!r} .. {end!r}")
        local_start = start.astimezone(CST)
        day = cls.of(local_start.date())
        if local_start != day.start or end.astimezone(CST) != day.end:
            raise BusinessDateError(
                f"data interval {start.isoformat()} .. {end.isoformat()} is not one Asia/Shanghai calendar day "
                f"(expected {day.start.isoformat()} .. {day.end.isoformat()}); check the DAG's timetable"
            )
        return day

    @property
    def start_utc(self) -> datetime:
        return self.start.astimezone(timezone.utc)

    @property
    def end_utc(self) -> datetime:
        return self.end.astimezone(timezone.utc)

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def run_after(self) -> datetime:
        """What ``airflow dags test`` takes to run this day: it runs the last whole interval before it."""
        return self.end

    def __str__(self) -> str:
        return self.day.isoformat()


def business_date_of(moment: datetime) -> date:
    """The business date a timestamp belongs to."""
    if moment.tzinfo is None:
        raise BusinessDateError(f"timestamp without a time zone cannot be placed in a business date: {moment!r}")
    return moment.astimezone(CST).date()


def date_range(first: date, last: date) -> list[date]:
    if last < first:
        raise BusinessDateError(f"--to {last} is before --date {first}")
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
