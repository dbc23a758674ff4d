from datetime import date, datetime, timedelta, timezone

import pytest

from voc.business_date import CST, BusinessDateError, BusinessDates, business_date_of, date_range

UTC = timezone.utc


def test_interval_of_cst_day_maps_to_that_day():
    # The interval Airflow gives for business date 2026-11-15 (measured: 16:00Z to 16:00Z).
    dates = BusinessDates.from_interval(datetime(2026, 11, 14, 16, tzinfo=UTC), datetime(2026, 11, 15, 16, tzinfo=UTC))
    assert (dates.first, dates.last) == (date(2026, 11, 15), date(2026, 11, 15))
    assert dates.start == datetime(2026, 11, 15, tzinfo=CST) and len(dates) == 1


def test_interval_of_several_cst_days_is_a_range():
    dates = BusinessDates.from_interval(datetime(2026, 11, 12, 16, tzinfo=UTC), datetime(2026, 11, 15, 16, tzinfo=UTC))
    assert dates.days == [date(2026, 11, 13), date(2026, 11, 14), date(2026, 11, 15)]
    assert dates.end == datetime(2026, 11, 16, tzinfo=CST)


def test_records_either_side_of_cst_midnight_land_in_different_dates():
    last_second = datetime(2026, 11, 15, 23, 59, 59, tzinfo=CST)
    midnight = datetime(2026, 11, 16, 0, 0, 0, tzinfo=CST)
    assert business_date_of(last_second) == date(2026, 11, 15)
    assert business_date_of(midnight) == date(2026, 11, 16)
    d15, d16 = BusinessDates.of(date(2026, 11, 15)), BusinessDates.of(date(2026, 11, 16))
    assert d15.contains(last_second) and not d15.contains(midnight)
    assert d16.contains(midnight) and not d16.contains(last_second)
    both = BusinessDates(date(2026, 11, 15), date(2026, 11, 16))
    assert both.contains(last_second) and both.contains(midnight)
    # The same instants in UTC are 15:59:59Z and 16:00:00Z on the 15th: a UTC `ds` would lump them together.
    assert last_second.astimezone(UTC).date() == midnight.astimezone(UTC).date()


@pytest.mark.parametrize(
    "start,end",
    [
        (datetime(2026, 11, 15, tzinfo=UTC), datetime(2026, 11, 16, tzinfo=UTC)),  # a UTC day
        (datetime(2026, 11, 14, 18, tzinfo=UTC), datetime(2026, 11, 15, 18, tzinfo=UTC)),  # a 02:00 cron
        (datetime(2026, 11, 14, 16, tzinfo=UTC), datetime(2026, 11, 14, 16, tzinfo=UTC)),  # zero width
    ],
)
def test_interval_that_is_not_whole_cst_days_is_refused(start, end):
    with pytest.raises(BusinessDateError, match="not whole Asia/Shanghai calendar days"):
        BusinessDates.from_interval(start, end)


def test_naive_timestamps_are_refused():
    with pytest.raises(BusinessDateError, match="timezone"):
        BusinessDates.from_interval(datetime(2026, 11, 15), datetime(2026, 11, 16))
    with pytest.raises(BusinessDateError, match="time zone"):
        business_date_of(datetime(2026, 11, 15, 12))


def test_run_after_is_the_end_of_the_last_day():
    dates = BusinessDates.of(date(2026, 11, 15))
    assert dates.run_after() - dates.start == timedelta(days=1)


def test_ranges_are_inclusive_ordered_and_parsed_with_a_clear_error():
    assert date_range(date(2026, 11, 9), date(2026, 11, 11)) == [date(2026, 11, 9), date(2026, 11, 10), date(2026, 11, 11)]
    assert BusinessDates.parse("2026-11-09", "2026-11-11").days == date_range(date(2026, 11, 9), date(2026, 11, 11))
    assert BusinessDates.parse("2026-11-09") == BusinessDates.of(date(2026, 11, 9))
    assert date(2026, 11, 10) in BusinessDates.parse("2026-11-09", "2026-11-11")
    assert str(BusinessDates.parse("2026-11-09", "2026-11-11")) == "2026-11-09..2026-11-11"
    with pytest.raises(BusinessDateError, match="before"):
        date_range(date(2026, 11, 11), date(2026, 11, 9))
    with pytest.raises(BusinessDateError, match="YYYY-MM-DD"):
        BusinessDates.parse("15/11/2026")
