"""Demo timestamps: whole seconds after midnight of an Asia/Shanghai business day."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from voc.business_date import CST


def at(day: date, seconds: float) -> datetime:
    """`seconds` after 00:00:00 CST of `day`, truncated to whole seconds so output stays stable."""
    return datetime.combine(day, time.min, tzinfo=CST) + timedelta(seconds=int(seconds))
