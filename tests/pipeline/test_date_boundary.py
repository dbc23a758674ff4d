"""Records at 23:59:59 and 00:00:00 CST land in different business dates, through the real extract queries."""

from datetime import date, datetime, timedelta
from importlib import resources

import psycopg

from voc.business_date import CST, BusinessDates
from voc.sources import crm, ticketing
from voc.sources.sql import engine_for

LAST_SECOND = datetime(2026, 11, 15, 23, 59, 59, tzinfo=CST)
MIDNIGHT = datetime(2026, 11, 16, 0, 0, 0, tzinfo=CST)


def _load(dsn, source: str, statements: list[tuple[str, tuple]]):
    ddl = (resources.files("voc.demo") / "sql" / f"{source}.sql").read_text(encoding="utf-8")
    with psycopg.connect(dsn.conninfo()) as conn:
        conn.execute(ddl)
        for stmt, params in statements:
            conn.execute(stmt, params)


def _ids(batch):
    """The ids of a batch's rows (each row starts with its business date)."""
    return [row[1] for row in batch.rows]


def test_conversations_split_at_cst_midnight(fresh_db):
    _load(fresh_db, "crm", [
        ("insert into conversations values (%s, 'call', 'C1', 'AG1', %s, %s, %s)",
         (cid, ts, ts + timedelta(minutes=5), ts + timedelta(minutes=5)))
        for cid, ts in (("late", LAST_SECOND), ("early", MIDNIGHT))
    ] + [
        ("insert into turns values (%s, 1, 'customer', %s, '赎回要多久到账')", (cid, ts))
        for cid, ts in (("late", LAST_SECOND), ("early", MIDNIGHT))
    ])
    engine = engine_for(fresh_db.sqlalchemy_url())
    d15, d16 = BusinessDates.of(date(2026, 11, 15)), BusinessDates.of(date(2026, 11, 16))
    conv15, turns15 = crm.extract(engine, d15)
    conv16, turns16 = crm.extract(engine, d16)
    assert _ids(conv15) == ["late"] and _ids(conv16) == ["early"]
    assert _ids(turns15) == ["late"] and _ids(turns16) == ["early"]


def test_ticket_events_split_at_cst_midnight(fresh_db):
    _load(fresh_db, "ticketing", [
        ("insert into tickets values ('T1', 'C1', 'app', 'system', 'normal', 'BR001', '闪退', 'APP闪退', 'resolved', %s, %s)",
         (LAST_SECOND - timedelta(hours=1), MIDNIGHT)),
        ("insert into ticket_events values ('T1', 1, 'created', %s)", (LAST_SECOND - timedelta(hours=1),)),
        ("insert into ticket_events values ('T1', 2, 'first_response', %s)", (LAST_SECOND,)),
        ("insert into ticket_events values ('T1', 3, 'resolved', %s)", (MIDNIGHT,)),
    ])
    engine = engine_for(fresh_db.sqlalchemy_url())
    tickets15, events15 = ticketing.extract(engine, BusinessDates.of(date(2026, 11, 15)))
    tickets16, events16 = ticketing.extract(engine, BusinessDates.of(date(2026, 11, 16)))
    assert [r[2] for r in events15.rows] == [1, 2]
    assert [r[2] for r in events16.rows] == [3]
    # The ticket lands with its events on both days, so every landed event has its ticket.
    assert _ids(tickets15) == ["T1"] and _ids(tickets16) == ["T1"]


def test_ticket_with_events_but_no_update_that_day_still_lands(fresh_db):
    created = LAST_SECOND - timedelta(days=3)
    _load(fresh_db, "ticketing", [
        ("insert into tickets values ('T2', 'C1', 'app', 'fee', 'normal', 'BR001', '费率', '管理费太高', 'closed', %s, %s)",
         (created, MIDNIGHT + timedelta(days=2))),
        ("insert into ticket_events values ('T2', 1, 'created', %s)", (created,)),
        ("insert into ticket_events values ('T2', 2, 'first_response', %s)", (LAST_SECOND,)),
    ])
    engine = engine_for(fresh_db.sqlalchemy_url())
    tickets15, events15 = ticketing.extract(engine, BusinessDates.of(date(2026, 11, 15)))
    assert _ids(tickets15) == ["T2"] and _ids(events15) == ["T2"]


def test_holdings_land_on_the_dates_they_open_and_close(fresh_db):
    from voc.business_date import BusinessDates
    from voc.sources import corebank

    _load(fresh_db, "corebank", [
        ("insert into customers values ('C1', 'mass', 'salaried', 'BR001', 'RM0001', '2020-01-01', %s)", (MIDNIGHT,)),
        ("insert into holdings values ('H1', 'C1', 'F1', 'fund', %s, %s, 100)",
         (LAST_SECOND - timedelta(days=1), MIDNIGHT + timedelta(days=1))),  # opened 11-14, closed 11-17
        ("insert into holdings values ('H2', 'C1', 'D1', 'deposit', '2019-05-01 10:00+08', null, 50)", ()),
    ])
    engine = engine_for(fresh_db.sqlalchemy_url())
    _, _, holdings, _ = corebank.extract(engine, BusinessDates(date(2026, 11, 13), date(2026, 11, 18)))
    landed = [(row[0], row[1]) for row in holdings.rows]
    assert landed == [(date(2026, 11, 14), "H1"), (date(2026, 11, 17), "H1")]
    _, _, nothing, _ = corebank.extract(engine, BusinessDates.of(date(2026, 11, 15)))
    assert list(nothing.rows) == []
