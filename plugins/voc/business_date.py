"""Business dates: Asia/Shanghai calendar days, midnight to midnight CST, and runs over a range of them.

Airflow's ``ds`` and ``logical_date`` are UTC and would put 00:00–08:00 CST in the wrong day, so the
business date is always derived from the run's data interval converted to Asia/Shanghai. Every step of the
pipeline works on ``BusinessDates`` — a nightly run is the range of one date, a history load many — so a
bulk load and a night-by-night load run the same code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from voc.config import BUSINESS_TZ

CST = ZoneInfo(BUSINESS_TZ)


class BusinessDateError(ValueError):
    """A data interval or date range that is not whole business days."""


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=CST)


@dataclass(frozen=True)
class BusinessDates:
    """The business dates ``first`` .. ``last`` inclusive."""

    first: date
    last: date

    def __post_init__(self):
        if self.last < self.first:
            raise BusinessDateError(f"the last business date {self.last} is before the first {self.first}")

    @classmethod
    def of(cls, day: date) -> "BusinessDates":
        return cls(day, day)

    @classmethod
    def parse(cls, first: str, last: str | None = None) -> "BusinessDates":
        """From 'YYYY-MM-DD' strings (DAG params, CLI); ``last`` defaults to ``first``."""
        try:
            return cls(date.fromisoformat(first), date.fromisoformat(last or first))
        except (TypeError, ValueError) as exc:
            raise BusinessDateError(f"business dates must be YYYY-MM-DD, got {first!r} .. {last!r}") from exc

    @classmethod
    def from_interval(cls, start: datetime, end: datetime) -> "BusinessDates":
        """The business dates an Airflow data interval covers; refuses anything but whole CST days."""
        if start.tzinfo is None or end.tzinfo is None:
            raise BusinessDateError(f"data interval must be timezone-aware, got {start!r} .. {end!r}")
        local_start, local_end = start.astimezone(CST), end.astimezone(CST)
        first, after = local_start.date(), local_end.date()
        if local_start != _midnight(first) or local_end != _midnight(after) or after <= first:
            raise BusinessDateError(
                f"data interval {start.isoformat()} .. {end.isoformat()} is not whole Asia/Shanghai calendar days "
                f"(midnight to midnight CST); check the DAG's timetable"
            )
        return cls(first, after - timedelta(days=1))

    @property
    def start(self) -> datetime:
        """Midnight CST opening the first date (inclusive)."""
        return _midnight(self.first)

    @property
    def end(self) -> datetime:
        """Midnight CST closing the last date (exclusive)."""
        return _midnight(self.last + timedelta(days=1))

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range(len(self))]

    def __len__(self) -> int:
        return (self.last - self.first).days + 1

    def __iter__(self):
        return iter(self.days)

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def run_after(self) -> datetime:
        """What ``dag.test`` / ``airflow dags test`` takes to run the last date: the end of its interval."""
        return self.end

    def __str__(self) -> str:
        return self.first.isoformat() if self.first == self.last else f"{self.first}..{self.last}"


def business_date_of(moment: datetime) -> date:
    """The business date a timestamp belongs to."""
    if moment.tzinfo is None:
        raise BusinessDateError(f"timestamp without a time zone cannot be placed in a business date: {moment!r}")
    return moment.astimezone(CST).date()


def date_range(first: date, last: date) -> list[date]:
    return BusinessDates(first, last).days
