"""The Chinese working-day calendar behind the SLA working-day counts (voc.reference.calendar); no warehouse."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from voc.reference.calendar import COLUMNS, calendar_day, calendar_days, main, write_csv

SEED = Path(__file__).resolve().parents[2] / "dbt_project/seeds/cn_business_calendar.csv"


def test_national_day_2026_is_a_holiday():
    day = calendar_day(date(2026, 10, 1))  # a Thursday
    assert (day.is_working_day, day.day_type, day.holiday_name_en, day.holiday_name_zh) == (
        False, "holiday", "National Day", "国庆节")


def test_adjusted_working_saturday_is_a_working_day():
    # 调休: Saturday 2026-10-10 is worked in exchange for a day of the National Day break.
    day = calendar_day(date(2026, 10, 10))
    assert date(2026, 10, 10).weekday() == 5
    assert (day.is_working_day, day.day_type, day.holiday_name_zh) == (True, "adjusted_workday", "国庆节")


def test_ordinary_weekend_and_weekday():
    assert calendar_day(date(2026, 10, 11)).day_type == "weekend"  # the Sunday after: off as usual
    weekday = calendar_day(date(2026, 10, 8))
    assert (weekday.is_working_day, weekday.day_type, weekday.holiday_name_en) == (True, "workday", None)


def test_a_holiday_on_a_weekend_is_a_holiday_not_a_weekend():
    day = calendar_day(date(2026, 10, 3))  # Saturday inside the National Day break
    assert (day.is_working_day, day.day_type) == (False, "holiday")


def test_range_has_every_day_once():
    days = list(calendar_days(date(2024, 12, 30), date(2025, 1, 2)))
    assert [d.calendar_date for d in days] == [date(2024, 12, 30), date(2024, 12, 31), date(2025, 1, 1),
                                                date(2025, 1, 2)]
    assert [d.day_type for d in days] == ["workday", "workday", "holiday", "workday"]


def test_csv_round_trip():
    out = io.StringIO()
    write_csv(calendar_days(date(2026, 9, 19), date(2026, 9, 20)), out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [list(COLUMNS), ["2026-09-19", "false", "weekend", "", ""],
                    ["2026-09-20", "true", "adjusted_workday", "National Day", "国庆节"]]


def test_a_year_not_announced_yet_is_refused(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--from", "2030-01-01", "--to", "2030-01-02"])
    assert exc.value.code == 2
    assert "2030" in capsys.readouterr().err


def test_committed_seed_is_what_the_script_writes():
    # The seed is generated, never edited by hand: regenerate it with the command in voc/reference/calendar.py.
    with SEED.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    first, last = date.fromisoformat(rows[1][0]), date.fromisoformat(rows[-1][0])
    out = io.StringIO()
    write_csv(calendar_days(first, last), out)
    assert SEED.read_text(encoding="utf-8") == out.getvalue()
    assert first <= date(2024, 1, 1) and last >= date(2026, 12, 31)
