"""Demo timestamps: whole seconds after midnight of an Asia/Shanghai business day."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

from voc.business_date import CST


def at(day: date, seconds: float) -> datetime:
    """`seconds` after 00:00:00 CST of `day`, truncated to whole seconds so output stays stable."""
    return midnight(day) + timedelta(seconds=int(seconds))


@lru_cache(maxsize=4096)  # the window's days, each asked for over a thousand timestamps
def midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=CST)
