"""Partition replacement against a real Postgres: reruns replace, partitions are independent, failures roll back."""

from datetime import date, datetime
from decimal import Decimal

import psycopg
import pytest

from voc.business_date import CST, BusinessDay
from voc.pipeline.land import land
from voc.sources.base import Batch
from voc.warehouse.load import LoadError, replace_partition
from voc.warehouse.schema import init

D1, D2 = date(2026, 11, 14), date(2026, 11, 15)
AUM_COLS = ("customer_id", "product_type", "aum")


def _aum(rows):
    return Batch("raw.corebank_aum_daily", AUM_COLS, iter(rows))


def _count(conn, day):
    return conn.execute("select count(*) from raw.corebank_aum_daily where business_date = %s", (day,)).fetchone()[0]


@pytest.fixture
def wh(fresh_db):
    init(fresh_db)
    with psycopg.connect(fresh_db.conninfo()) as conn:
        yield conn


def test_rerun_replaces_the_partition_and_leaves_others(wh):
    land(wh, BusinessDay.of(D1), [_aum([("C1", "fund", Decimal("10.50")), ("C2", "fund", Decimal("3"))])])
    land(wh, BusinessDay.of(D2), [_aum([("C1", "fund", Decimal("11"))])])
    land(wh, BusinessDay.of(D2), [_aum([("C1", "fund", Decimal("12")), ("C3", "gold", Decimal("1"))])])
    assert (_count(wh, D1), _count(wh, D2)) == (2, 2)
    assert wh.execute(
        "select aum from raw.corebank_aum_daily where business_date = %s and customer_id = 'C1'", (D2,)
    ).fetchone()[0] == Decimal("12.00")


def test_a_failing_batch_rolls_back_every_table_of_the_source(wh):
    land(wh, BusinessDay.of(D1), [_aum([("C1", "fund", Decimal("1"))])])

    def broken():
        yield ("C9", "fund", Decimal("1"))
        raise RuntimeError("source connection dropped")

    churn = Batch("raw.corebank_churn_events",
                  ("event_id", "customer_id", "event_type", "occurred_at", "aum_before", "aum_after"),
                  iter([("E1", "C1", "aum_drop", datetime(2026, 11, 14, 9, tzinfo=CST), Decimal(9), Decimal(1))]))
    with pytest.raises(RuntimeError, match="dropped"):
        land(wh, BusinessDay.of(D1), [churn, _aum(broken())])
    assert _count(wh, D1) == 1  # the old partition is intact
    assert wh.execute("select count(*) from raw.corebank_churn_events").fetchone()[0] == 0


def test_bad_value_names_table_and_row(wh):
    with pytest.raises(LoadError, match=r"(?s)loading raw.corebank_aum_daily failed.*customer_id.*line 2"):
        with wh.transaction():
            replace_partition(wh, "raw.corebank_aum_daily", {"business_date": D1}, ("business_date", *AUM_COLS),
                              [(D1, "C1", "fund", Decimal(1)), (D1, None, "fund", Decimal(1))])


def test_unknown_table_or_column_is_named(wh):
    with pytest.raises(LoadError, match="raw.nope does not exist"):
        with wh.transaction():
            replace_partition(wh, "raw.nope", {"business_date": D1}, ("business_date",), [])
    with pytest.raises(LoadError, match="no column"):
        with wh.transaction():
            replace_partition(wh, "raw.corebank_aum_daily", {"business_date": D1}, ("business_date", "colour"), [])


def test_writes_need_a_transaction(fresh_db):
    init(fresh_db)
    with psycopg.connect(fresh_db.conninfo(), autocommit=True) as conn:
        with pytest.raises(LoadError, match="needs a transaction"):
            replace_partition(conn, "raw.corebank_aum_daily", {"business_date": D1}, ("business_date",), [])


def test_schema_init_is_idempotent(fresh_db):
    init(fresh_db)
    init(fresh_db)
