"""The Chinese working-day calendar (工作日历) that dbt seeds as `cn_business_calendar`.

Complaint SLAs count working days (工作日), and in mainland China those are not Monday to Friday: the State
Council moves whole weekends around each public holiday (调休), so a Saturday can be a working day and a
Wednesday a holiday. The dates come from the `chinesecalendar` package (PyPI), which transcribes each year's
State Council notice; it knows only the years already announced (a new year arrives each November), so the
seed is regenerated and committed once a year:

    python -m voc.reference.calendar --from 2024-01-01 --to 2026-12-31 > dbt_project/seeds/cn_business_calendar.csv
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TextIO

COLUMNS = ("calendar_date", "is_working_day", "day_type", "holiday_name_en", "holiday_name_zh")

# chinese_calendar.Holiday names -> the holiday's official Chinese name (the package has English names only).
HOLIDAY_NAMES_ZH = {
    "new_years_day": "元旦",
    "spring_festival": "春节",
    "tomb_sweeping_day": "清明节",
    "labour_day": "劳动节",
    "dragon_boat_festival": "端午节",
    "national_day": "国庆节",
    "mid_autumn_festival": "中秋节",
    "anti_fascist_70th_day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


@dataclass(frozen=True)
class CalendarDay:
    calendar_date: date
    is_working_day: bool
    # workday (Mon-Fri), weekend (Sat/Sun off), holiday (public holiday or a day off in lieu, 调休休息),
    # adjusted_workday (a Saturday or Sunday worked in exchange for a day off, 调休上班)
    day_type: str
    holiday_name_en: str | None
    holiday_name_zh: str | None


def calendar_day(day: date) -> CalendarDay:
    """One day as the State Council's holiday notice has it; NotImplementedError for a year not announced yet."""
    import chinese_calendar

    # get_holiday_detail raises NotImplementedError outside the years the package knows.
    on_holiday, name_en = chinese_calendar.get_holiday_detail(day)
    if day in chinese_calendar.holidays:
        day_type = "holiday"
    elif day in chinese_calendar.workdays:
        day_type = "adjusted_workday"
    elif day.weekday() >= 5:
        day_type = "weekend"
    else:
        day_type = "workday"
    if day_type not in ("holiday", "adjusted_workday"):
        name_en = None  # a plain weekend or workday carries no holiday's name
    name_zh = HOLIDAY_NAMES_ZH[_holiday_key(name_en)] if name_en else None
    return CalendarDay(day, not on_holiday, day_type, name_en, name_zh)


def _holiday_key(name_en: str) -> str:
    import chinese_calendar

    for holiday in chinese_calendar.Holiday:
        if holiday.value == name_en:
            return holiday.name
    raise KeyError(f"chinese_calendar returned an unknown holiday {name_en!r}")


def calendar_days(first: date, last: date) -> Iterator[CalendarDay]:
    """Every day from ``first`` to ``last`` inclusive, no gaps."""
    if last < first:
        raise ValueError(f"--to {last} is before --from {first}")
    day = first
    while day <= last:
        yield calendar_day(day)
        day += timedelta(days=1)


def write_csv(days: Iterator[CalendarDay], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for d in days:
        writer.writerow((d.calendar_date.isoformat(), "true" if d.is_working_day else "false", d.day_type,
                         d.holiday_name_en or "", d.holiday_name_zh or ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m voc.reference.calendar", description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="first", type=date.fromisoformat, required=True, help="first date, YYYY-MM-DD")
    parser.add_argument("--to", dest="last", type=date.fromisoformat, required=True, help="last date, YYYY-MM-DD")
    args = parser.parse_args(argv)
    try:
        days = list(calendar_days(args.first, args.last))
    except (NotImplementedError, ValueError) as exc:
        parser.exit(2, f"{parser.prog}: {exc}\n")
    write_csv(iter(days), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
