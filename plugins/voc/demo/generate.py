"""Deterministic demo data for the four source systems (CRM, ticketing, core banking, survey files).

    from voc.demo.generate import DemoConfig, generate
    generate(DemoConfig(end_date=date(2026, 11, 15)), crm_url=..., ticketing_url=..., corebank_url=...,
             survey_dir=Path(...))

Same config -> byte-identical content: all randomness comes from `random.Random` streams seeded by the
config, and every timestamp is derived from the dates. Each call replaces the demo content wholesale.
"""
from __future__ import annotations

import argparse
import csv
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import chain, cycle, groupby, repeat
from operator import itemgetter
from pathlib import Path

import psycopg

from . import activity, bank, people, tiers

SQL_DIR = Path(__file__).with_name("sql")
# table -> (column, postgres type) in COPY order; binary COPY needs the types spelled out.
SCHEMA: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "crm": {
        "conversations": (("conversation_id", "text"), ("channel", "text"), ("customer_id", "text"),
                          ("agent_id", "text"), ("started_at", "timestamptz"), ("ended_at", "timestamptz"),
                          ("updated_at", "timestamptz")),
        "turns": (("conversation_id", "text"), ("turn_no", "int4"), ("speaker", "text"), ("spoken_at", "timestamptz"),
                  ("text", "text")),
    },
    "ticketing": {
        "tickets": (("ticket_id", "text"), ("customer_id", "text"), ("channel", "text"), ("category", "text"),
                    ("priority", "text"), ("branch_id", "text"), ("title", "text"), ("body", "text"),
                    ("status", "text"), ("created_at", "timestamptz"), ("updated_at", "timestamptz")),
        "ticket_events": (("ticket_id", "text"), ("event_seq", "int4"), ("status", "text"), ("event_at", "timestamptz")),
    },
    "corebank": {
        "customers": (("customer_id", "text"), ("tier", "text"), ("segment", "text"), ("branch_id", "text"),
                      ("rm_id", "text"), ("opened_on", "date"), ("updated_at", "timestamptz")),
        "aum_daily": (("customer_id", "text"), ("as_of_date", "date"), ("product_type", "text"), ("aum", "numeric")),
        "holdings": (("holding_id", "text"), ("customer_id", "text"), ("product_code", "text"),
                     ("product_type", "text"), ("opened_at", "timestamptz"), ("closed_at", "timestamptz"),
                     ("amount", "numeric")),
        "churn_events": (("event_id", "text"), ("customer_id", "text"), ("event_type", "text"),
                         ("occurred_at", "timestamptz"), ("aum_before", "numeric"), ("aum_after", "numeric")),
    },
}
SURVEY_HEADER = ("response_id", "customer_id", "survey_type", "score", "comment", "channel", "submitted_at")
DEFAULT_DAYS = 180  # six months of history, so month-on-month and tier movements show


@dataclass(frozen=True)
class DemoConfig:
    end_date: date
    days: int = DEFAULT_DAYS
    customers: int = 3000
    seed: int = 20261115

    @property
    def dates(self) -> list[date]:
        return [self.end_date - timedelta(days=self.days - 1 - i) for i in range(self.days)]

    def rng(self, stream: str) -> random.Random:
        # One stream per concern, so changing how tickets are drawn does not reshuffle every balance.
        return random.Random(f"{self.seed}/{stream}")


@dataclass
class Dataset:
    """Everything the generator produces, in memory; `rows` is keyed by table name."""
    rows: dict[str, list[tuple]]
    surveys: dict[date, list[tuple]]
    pii: list[tuple[str, str, bool]]
    codes: dict[str, int]
    spike_week: tuple[date, date]
    treated: dict[str, bool]  # customers with a funds signal -> did their RM follow up in time
    truth: dict[str, activity.State]  # per customer: when signals were voiced, SLA breached, churned


def build(cfg: DemoConfig) -> Dataset:
    if cfg.days < 1 or cfg.customers < 1:
        raise ValueError("DemoConfig needs days >= 1 and customers >= 1")
    days = cfg.dates
    customers = people.make_customers(cfg.customers, days[0], cfg.rng("people"))
    migrations = tiers.plan(customers, days, cfg.rng("tiers"))
    sim = activity.simulate(customers, days, cfg.rng("activity"), migrations)
    holdings = bank.initial_holdings(customers, days[0], cfg.days, cfg.rng("holdings"))
    aum, holdings, churn = bank.simulate(customers, holdings, days, sim.plan, cfg.rng("markets"))
    closed = {cid: when for day in sim.plan.closures.values() for cid, when in day}
    rows = {
        "conversations": sim.conversations,
        "turns": sim.turns,
        "tickets": sim.tickets,
        "ticket_events": sim.ticket_events,
        "customers": [(c.customer_id, c.tier, c.segment, c.branch_id, c.rm_id, c.opened_on,
                       closed.get(c.customer_id, c.opened_at)) for c in customers],
        "aum_daily": _aum_rows(aum, days),
        "holdings": [(h.holding_id, h.customer_id, h.product_code, h.product_type, h.opened_at, h.closed_at,
                      _money(h.amount)) for h in holdings],
        "churn_events": [(eid, cid, kind, when, _money(b), _money(a)) for eid, cid, kind, when, b, a in churn],
    }
    return Dataset(rows, sim.surveys, sim.pii, dict(sim.codes), activity.spike_week(days), sim.treated, sim.state)


def generate(cfg: DemoConfig, *, crm_url: str, ticketing_url: str, corebank_url: str, survey_dir: Path) -> dict[str, int]:
    """Replace the demo content of the three databases and the survey folder; return table -> row count."""
    return write(build(cfg), crm_url=crm_url, ticketing_url=ticketing_url, corebank_url=corebank_url,
                 survey_dir=survey_dir)


def write(data: Dataset, *, crm_url: str, ticketing_url: str, corebank_url: str, survey_dir: Path) -> dict[str, int]:
    urls = {"corebank": corebank_url, "crm": crm_url, "ticketing": ticketing_url}  # the biggest first
    # Three databases, three transactions: loaded side by side, one's key rebuild overlaps another's COPY.
    with ThreadPoolExecutor(len(urls)) as pool:
        for done in [pool.submit(load, url, system, data.rows) for system, url in urls.items()]:
            done.result()
    n_survey = write_surveys(Path(survey_dir), data.surveys)
    return {table: len(data.rows[table]) for system in SCHEMA for table in SCHEMA[system]} | {"survey_responses": n_survey}


def load(url: str, system: str, rows: dict[str, list[tuple]]) -> None:
    """Create the system's tables if needed, then truncate and COPY, all in one transaction.

    Keys and indexes are dropped for the COPY and rebuilt after it under the same names and definitions
    (the Postgres manual's advice for populating a database): a key built and checked in one pass over
    1.2M AUM rows is several times faster than a check per row.
    """
    tables = SCHEMA[system]
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.execute((SQL_DIR / f"{system}.sql").read_text())
        cur.execute(f"truncate {', '.join(reversed(tables))}")
        rebuild = drop_keys_and_indexes(cur, list(tables))
        for table, columns in tables.items():
            names = ", ".join(c for c, _ in columns)
            with cur.copy(f"copy {table} ({names}) from stdin (format binary)") as copy:
                copy.set_types([t for _, t in columns])
                for row in rows[table]:
                    copy.write_row(row)
        for statement in rebuild:
            cur.execute(statement)


def drop_keys_and_indexes(cur: psycopg.Cursor, tables: list[str]) -> list[str]:
    """Drop the tables' keys and indexes; return the statements that recreate them (foreign keys last)."""
    constraints = cur.execute("""
        select conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) from pg_constraint
        where conrelid = any(%s::regclass[]) and contype in ('p', 'u', 'f')
        order by contype = 'f' desc, conrelid::regclass::text, conname""", (tables,)).fetchall()
    indexes = cur.execute("""
        select i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) from pg_index i
        where i.indrelid = any(%s::regclass[])
          and not exists (select from pg_constraint c where c.conindid = i.indexrelid)
        order by 1""", (tables,)).fetchall()
    for table, name, _, _ in constraints:  # referencing keys first, so the keys they point at can go
        cur.execute(f'alter table {table} drop constraint "{name}"')
    for name, _ in indexes:
        cur.execute(f"drop index {name}")
    keys = [f'alter table {table} add constraint "{name}" {definition}' for table, name, _, definition in constraints]
    return [d for _, d in indexes] + keys[::-1]


def write_surveys(survey_dir: Path, surveys: dict[date, list[tuple]]) -> int:
    survey_dir.mkdir(parents=True, exist_ok=True)
    for stale in survey_dir.glob("responses_*.csv"):
        stale.unlink()
    n = 0
    for day, rows in sorted(surveys.items()):
        with open(survey_dir / f"responses_{day:%Y%m%d}.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(SURVEY_HEADER)
            for rid, cid, stype, score, comment, channel, when in rows:
                w.writerow((rid, cid, stype, score, comment, channel, when.isoformat()))
        n += len(rows)
    return n


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def _aum_rows(series: list[tuple], days: list[date]) -> list[tuple]:
    """(customer_id, as_of_date, product_type, aum) rows from the bank's per-type daily series.

    In primary-key order, so Postgres builds the key from presorted input; 1.2M rows, so the common case
    (every type held from day one) is interleaved by C iterators rather than a Python loop per row.
    """
    rows: list[tuple] = []
    for cid, group in groupby(series, key=itemgetter(0)):
        _, types, firsts, columns = zip(*group)
        money = [list(map(Decimal, map(format, values, repeat(".2f")))) for values in columns]
        if not any(firsts):
            each_day = chain.from_iterable(map(repeat, days, repeat(len(types))))
            rows += zip(repeat(cid), each_day, cycle(types), chain.from_iterable(zip(*money)))
            continue
        for d, day in enumerate(days):  # a type first bought inside the window has rows from then on
            rows += [(cid, day, t, m[d - f]) for t, f, m in zip(types, firsts, money) if f <= d]
    return rows


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description="Write deterministic VoC demo data into the source systems.")
    p.add_argument("--end-date", type=date.fromisoformat, required=True)
    p.add_argument("--days", type=int, default=DEFAULT_DAYS)
    p.add_argument("--customers", type=int, default=3000)
    p.add_argument("--seed", type=int, default=20261115)
    p.add_argument("--crm-url", required=True)
    p.add_argument("--ticketing-url", required=True)
    p.add_argument("--corebank-url", required=True)
    p.add_argument("--survey-dir", type=Path, required=True)
    a = p.parse_args(argv)
    cfg = DemoConfig(end_date=a.end_date, days=a.days, customers=a.customers, seed=a.seed)
    summary = generate(cfg, crm_url=a.crm_url, ticketing_url=a.ticketing_url, corebank_url=a.corebank_url,
                       survey_dir=a.survey_dir)
    for table, n in summary.items():
        print(f"{table:<18}{n:>10}")


if __name__ == "__main__":
    main()
