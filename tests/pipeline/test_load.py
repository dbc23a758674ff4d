"""Partition replacement against a real Postgres: reruns replace, partitions are independent, failures roll back."""

from datetime import date, datetime
from decimal import Decimal

import psycopg
import pytest

from voc.business_date import CST, BusinessDates
from voc.pipeline.land import land
from voc.sources.base import Batch
from voc.warehouse.load import LoadError, replace_dates
from voc.warehouse.schema import init

D1, D2 = date(2026, 11, 14), date(2026, 11, 15)
AUM_COLS = ("customer_id", "product_type", "aum")


def _aum(day, rows, *more):
    """A batch of AUM rows dated ``day`` (and of further (day, rows) pairs)."""
    dated = [(d, *row) for d, rs in ((day, rows), *more) for row in rs]
    return Batch("raw.corebank_aum_daily", AUM_COLS, iter(dated))


def _count(conn, day):
    return conn.execute("select count(*) from raw.corebank_aum_daily where business_date = %s", (day,)).fetchone()[0]


@pytest.fixture
def wh(fresh_db):
    init(fresh_db)
    with psycopg.connect(fresh_db.conninfo()) as conn:
        yield conn


def test_rerun_replaces_the_partition_and_leaves_others(wh):
    land(wh, BusinessDates.of(D1), [_aum(D1, [("C1", "fund", Decimal("10.50")), ("C2", "fund", Decimal("3"))])])
    land(wh, BusinessDates.of(D2), [_aum(D2, [("C1", "fund", Decimal("11"))])])
    land(wh, BusinessDates.of(D2), [_aum(D2, [("C1", "fund", Decimal("12")), ("C3", "gold", Decimal("1"))])])
    assert (_count(wh, D1), _count(wh, D2)) == (2, 2)
    assert wh.execute(
        "select aum from raw.corebank_aum_daily where business_date = %s and customer_id = 'C1'", (D2,)
    ).fetchone()[0] == Decimal("12.00")


def test_a_failing_batch_rolls_back_every_table_of_the_source(wh):
    land(wh, BusinessDates.of(D1), [_aum(D1, [("C1", "fund", Decimal("1"))])])

    def broken():
        yield ("C9", "fund", Decimal("1"))
        raise RuntimeError("source connection dropped")

    churn = Batch("raw.corebank_churn_events",
                  ("event_id", "customer_id", "event_type", "occurred_at", "aum_before", "aum_after"),
                  iter([(D1, "E1", "C1", "aum_drop", datetime(2026, 11, 14, 9, tzinfo=CST), Decimal(9), Decimal(1))]))
    with pytest.raises(RuntimeError, match="dropped"):
        land(wh, BusinessDates.of(D1), [churn, _aum(D1, broken())])
    assert _count(wh, D1) == 1  # the old partition is intact
    assert wh.execute("select count(*) from raw.corebank_churn_events").fetchone()[0] == 0


def test_bad_value_names_table_and_row(wh):
    with pytest.raises(LoadError, match=r"(?s)loading raw.corebank_aum_daily failed.*customer_id.*line 2"):
        with wh.transaction():
            replace_dates(wh, "raw.corebank_aum_daily", BusinessDates.of(D1), ("business_date", *AUM_COLS),
                              [(D1, "C1", "fund", Decimal(1)), (D1, None, "fund", Decimal(1))])


def test_unknown_table_or_column_is_named(wh):
    with pytest.raises(LoadError, match="raw.nope does not exist"):
        with wh.transaction():
            replace_dates(wh, "raw.nope", BusinessDates.of(D1), ("business_date",), [])
    with pytest.raises(LoadError, match="no column"):
        with wh.transaction():
            replace_dates(wh, "raw.corebank_aum_daily", BusinessDates.of(D1), ("business_date", "colour"), [])


def test_a_range_replaces_every_date_in_it_and_refuses_rows_outside(wh):
    land(wh, BusinessDates.of(D1), [_aum(D1, [("C1", "fund", Decimal("1")), ("C2", "fund", Decimal("2"))])])
    land(wh, BusinessDates(D1, D2), [_aum(D1, [("C1", "fund", Decimal("5"))])])
    assert (_count(wh, D1), _count(wh, D2)) == (1, 0)
    land(wh, BusinessDates(D1, D2), [_aum(D1, [("C1", "fund", Decimal("5"))],
                                          (D2, [("C1", "fund", Decimal("6")), ("C2", "gold", Decimal("7"))]))])
    assert (_count(wh, D1), _count(wh, D2)) == (1, 2)
    with pytest.raises(LoadError, match="dated 2026-11-15, outside the business dates 2026-11-14 being replaced"):
        land(wh, BusinessDates.of(D1), [_aum(D2, [("C9", "fund", Decimal("1"))])])
    assert (_count(wh, D1), _count(wh, D2)) == (1, 2)  # nothing of the refused load remains


def test_a_history_load_refreshes_planner_statistics(wh):
    """Until autovacuum runs, a table multiplied by one load would keep the planner's stale row estimate."""
    rows = [(f"C{i}", "fund", Decimal(i)) for i in range(2000)]
    land(wh, BusinessDates.of(D1), [_aum(D1, rows[:10])])
    land(wh, BusinessDates(D1, D2), [_aum(D1, rows, (D2, rows))])
    estimate = wh.execute("select reltuples from pg_class where oid = 'raw.corebank_aum_daily'::regclass").fetchone()[0]
    assert estimate == 4000


def test_writes_need_a_transaction(fresh_db):
    init(fresh_db)
    with psycopg.connect(fresh_db.conninfo(), autocommit=True) as conn:
        with pytest.raises(LoadError, match="needs a transaction"):
            replace_dates(conn, "raw.corebank_aum_daily", BusinessDates.of(D1), ("business_date",), [])


def test_schema_init_is_idempotent(fresh_db):
    init(fresh_db)
    init(fresh_db)
