"""Source systems for ONE business date at N utterances, for the end-to-end benchmark (bench_e2e.py).

    .venv/bin/python bench/e2e_sources.py --utterances 100000 --date 2026-11-15 [--home DIR]

(on its own, for a look at the data: it leaves the bench's server running; stop it with
``VOC_HOME=DIR .venv/bin/voc warehouse stop``, DIR by default $TMPDIR/voc-bench-e2e)

Texts are not invented here: the demo generator builds a 30-day pool once (3,000 customers, ~45,000
utterances with their PII, Traditional characters, emoji, sarcasm …), and the day is made by cycling
through that pool with new ids, each record moved onto the business date at its original time of day.
An utterance is a CRM turn, a ticket (title + body, tagged once on its creation date) or a non-empty
survey comment, as the tagger counts them. Per day the demo has about

    utterances : customers : aum_daily rows : live holdings  =  1,500 : 3,000 : 6,700 : 11,500

and the day here keeps those ratios: the pool's customers are cloned in blocks of 3,000 (each clone with
its template's AUM rows and live holdings on the date), and a conversation, ticket or survey response of
template customer t goes to a clone of t, so a customer's texts still fit their persona and balances.
Conversations, tickets and survey responses come in the pool's proportions; churn events too.

Rows are generated lazily and written with binary COPY, a table per job, two jobs at a time (the
machine has 2 cores): nothing holds a table in memory, so generation memory is flat in N. Keys and
indexes are dropped for the load and rebuilt after it (Postgres' advice for bulk loads), then ANALYZE,
so the extractors' queries see a source system as it would be in production: indexed, with statistics.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

POOL_DAYS = 30
POOL_CUSTOMERS = 3000
SEED = 20261115
TICKET_STATUS = {"created": "open", "first_response": "responded", "resolved": "resolved", "closed": "closed",
                 "revisited": "open"}
SQL_DIR = ROOT / "plugins" / "voc" / "demo" / "sql"


# -- the pool: one demo build, moved onto the business date ----------------------------------------------
@dataclass
class Pool:
    """Template records, every timestamp already on the business date; customers by template index."""

    day: date
    conversations: list[tuple[tuple, list[tuple]]]  # (conversation row, its turns)
    tickets: list[tuple[tuple, list[tuple]]]        # (ticket row, its events up to the end of the day)
    surveys: list[tuple]
    customers: list[tuple]
    aum: list[list[tuple]]        # per template customer: (product_type, aum) on the day
    holdings: list[list[tuple]]   # per template customer: (product_code, product_type, opened_at, closed_at, amount)
    churn: list[tuple]
    utterances: int = 0           # turns + tickets + non-empty survey comments in the pool

    @property
    def turns(self) -> int:
        return sum(len(turns) for _, turns in self.conversations)


def customer_index(customer_id: str) -> int:
    """'C000548' -> 547, the template customer's position."""
    return int(customer_id[1:]) - 1


def build_pool(day: date) -> Pool:
    """The demo's 30 days ending on ``day``; texts and timestamps moved onto ``day``."""
    from voc.business_date import BusinessDates, business_date_of
    from voc.demo.generate import DemoConfig, build

    data = build(DemoConfig(end_date=day, days=POOL_DAYS, customers=POOL_CUSTOMERS, seed=SEED))
    rows = data.rows
    window = BusinessDates.of(day)

    def moved(ts):  # the same wall-clock time on `day` (Asia/Shanghai has no DST)
        return ts + timedelta(days=(day - business_date_of(ts)).days)

    turns_of = defaultdict(list)
    for turn in rows["turns"]:
        turns_of[turn[0]].append(turn)
    conversations = []
    for conv in rows["conversations"]:
        shift = timedelta(days=(day - business_date_of(conv[4])).days)
        turns = [(no, speaker, at + shift, text) for _, no, speaker, at, text in turns_of[conv[0]]]
        conversations.append(((*conv[1:4], conv[4] + shift, conv[5] + shift, conv[6] + shift), turns))

    events_of = defaultdict(list)
    for ev in rows["ticket_events"]:
        events_of[ev[0]].append(ev)
    tickets = []
    for t in rows["tickets"]:
        shift = timedelta(days=(day - business_date_of(t[9])).days)
        # events after the end of the day have not happened yet, so status and updated_at follow the last one
        events = [(seq, status, at + shift) for _, seq, status, at in events_of[t[0]] if at + shift < window.end]
        tickets.append(((*t[1:8], TICKET_STATUS[events[-1][1]], t[9] + shift, events[-1][2]), events))

    surveys = [(cid, kind, score, comment, channel, moved(at))
               for rs in data.surveys.values() for _, cid, kind, score, comment, channel, at in rs]

    aum: list[list[tuple]] = [[] for _ in range(POOL_CUSTOMERS)]
    for cid, as_of, product_type, value in rows["aum_daily"]:
        if as_of == day:
            aum[customer_index(cid)].append((product_type, value))
    holdings: list[list[tuple]] = [[] for _ in range(POOL_CUSTOMERS)]
    for _, cid, code, product_type, opened, closed, amount in rows["holdings"]:
        if opened < window.end and (closed is None or closed >= window.start):  # live on the day, as extracted
            holdings[customer_index(cid)].append((code, product_type, opened, closed, amount))
    churn = [(cid, kind, moved(at), before, after) for _, cid, kind, at, before, after in rows["churn_events"]]

    pool = Pool(day, conversations, tickets, surveys, list(rows["customers"]), aum, holdings, churn)
    pool.utterances = pool.turns + len(tickets) + sum(1 for s in surveys if s[3])
    return pool


# -- the day's volumes --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    """How much of each record the day gets for ``utterances``, in the pool's proportions."""

    utterances: int
    turns: int
    tickets: int
    surveys: int
    blocks: int     # clones of the pool's customers: customers = blocks * 3,000
    churn: int
    seed: int = SEED

    @classmethod
    def for_utterances(cls, pool: Pool, n: int) -> "Plan":
        share = n / pool.utterances                # the day's share of the 30-day pool
        per_day = pool.utterances / POOL_DAYS      # the demo's utterances per day for 3,000 customers
        blocks = max(1, round(n / per_day))
        return cls(n, turns=round(share * pool.turns), tickets=round(share * len(pool.tickets)),
                   surveys=round(share * len(pool.surveys)), blocks=blocks,
                   churn=max(1, round(len(pool.churn) / POOL_DAYS * blocks)))

    @property
    def customers(self) -> int:
        return self.blocks * POOL_CUSTOMERS


def _clone_id(template_id: str, rng: random.Random, blocks: int) -> str:
    """A clone of the template customer, in a block drawn at random (so contacts spread over all clones)."""
    return f"C{rng.randrange(blocks) * POOL_CUSTOMERS + customer_index(template_id) + 1:09d}"


def _cycle(records: list, count: int):
    """(sequence number from 1, record): the pool's records in order, again and again, ``count`` in all."""
    for seq in range(1, count + 1):
        yield seq, records[(seq - 1) % len(records)]


def _conversations(pool: Pool, plan: Plan):
    """(conversation id, customer id, template) until the day has ``plan.turns`` turns; deterministic, so the
    conversations table and the turns table are two passes over the same sequence."""
    rng = random.Random(f"{plan.seed}/conversations")
    turns, seq = 0, 0
    while turns < plan.turns:
        row, conv_turns = pool.conversations[seq % len(pool.conversations)]
        seq += 1
        turns += len(conv_turns)
        yield f"CV{pool.day:%Y%m%d}{seq:08d}", _clone_id(row[1], rng, plan.blocks), row, conv_turns


def _tickets(pool: Pool, plan: Plan):
    rng = random.Random(f"{plan.seed}/tickets")
    for seq, (row, events) in _cycle(pool.tickets, plan.tickets):
        yield f"TK{pool.day:%Y%m%d}{seq:08d}", _clone_id(row[0], rng, plan.blocks), row, events


def rows_for(table: str, pool: Pool, plan: Plan):
    """A lazy iterator over the rows of one source table, in the column order of the demo's SCHEMA."""
    day = pool.day
    if table == "conversations":
        return ((cid, row[0], cust, row[2], *row[3:]) for cid, cust, row, _ in _conversations(pool, plan))
    if table == "turns":
        return ((cid, *turn) for cid, _, _, turns in _conversations(pool, plan) for turn in turns)
    if table == "tickets":
        return ((tid, cust, *row[1:]) for tid, cust, row, _ in _tickets(pool, plan))
    if table == "ticket_events":
        return ((tid, *ev) for tid, _, _, events in _tickets(pool, plan) for ev in events)
    if table == "customers":
        return ((f"C{b * POOL_CUSTOMERS + i + 1:09d}", *c[1:])
                for b in range(plan.blocks) for i, c in enumerate(pool.customers))
    if table == "aum_daily":
        return ((f"C{b * POOL_CUSTOMERS + i + 1:09d}", day, product_type, value)
                for b in range(plan.blocks) for i, rows in enumerate(pool.aum) for product_type, value in rows)
    if table == "holdings":
        return _holdings(pool, plan)
    if table == "churn_events":
        rng = random.Random(f"{plan.seed}/churn")
        return ((f"CE{day:%Y%m%d}{seq:06d}", _clone_id(cid, rng, plan.blocks), *rest)
                for seq, (cid, *rest) in _cycle(pool.churn, plan.churn))
    raise KeyError(table)


def _holdings(pool: Pool, plan: Plan):
    seq = 0
    for b in range(plan.blocks):
        for i, rows in enumerate(pool.holdings):
            customer_id = f"C{b * POOL_CUSTOMERS + i + 1:09d}"
            for row in rows:
                seq += 1
                yield (f"H{seq:010d}", customer_id, *row)


def survey_rows(pool: Pool, plan: Plan):
    rng = random.Random(f"{plan.seed}/surveys")
    for seq, (cid, *rest) in _cycle(pool.surveys, plan.surveys):
        yield (f"SV{pool.day:%Y%m%d}{seq:08d}", _clone_id(cid, rng, plan.blocks), *rest)


# -- writing -------------------------------------------------------------------------------------------------
# (system, tables) per load job, biggest first so the two workers finish close together
JOBS = (("corebank", ("holdings",)), ("corebank", ("aum_daily",)), ("crm", ("turns", "conversations")),
        ("corebank", ("customers", "churn_events")), ("ticketing", ("tickets", "ticket_events")))


def prepare(conninfo: str, system: str) -> list[str]:
    """Create the system's tables if missing, empty them and drop their keys; -> statements rebuilding them."""
    import psycopg

    from voc.demo.generate import SCHEMA, drop_keys_and_indexes

    tables = list(SCHEMA[system])
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
        cur.execute((SQL_DIR / f"{system}.sql").read_text())
        cur.execute(f"truncate {', '.join(tables)}")
        return drop_keys_and_indexes(cur, tables)


def copy_tables(conninfo: str, system: str, tables: tuple[str, ...], pool: Pool, plan: Plan) -> dict[str, int]:
    """COPY the generated rows of ``tables`` (binary, streamed) in one transaction; -> rows per table."""
    import psycopg

    from voc.demo.generate import SCHEMA

    written = {}
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
        for table in tables:
            columns = SCHEMA[system][table]
            n = 0
            with cur.copy(f"copy {table} ({', '.join(c for c, _ in columns)}) from stdin (format binary)") as copy:
                copy.set_types([t for _, t in columns])
                for n, row in enumerate(rows_for(table, pool, plan), 1):
                    copy.write_row(row)
            written[table] = n
    return written


def finish(conninfo: str, rebuild: list[str]) -> None:
    """Rebuild keys and indexes, then ANALYZE, so extraction sees an indexed source with statistics."""
    import psycopg

    with psycopg.connect(conninfo) as conn:
        for statement in rebuild:
            conn.execute(statement)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("analyze")


def write_surveys(survey_dir: Path, pool: Pool, plan: Plan) -> int:
    """The day's export file ``responses_YYYYMMDD.csv`` (the demo's header and format); older exports go."""
    import csv

    from voc.demo.generate import SURVEY_HEADER

    survey_dir.mkdir(parents=True, exist_ok=True)
    for stale in survey_dir.glob("responses_*.csv"):
        stale.unlink()
    n = 0
    with open(survey_dir / f"responses_{pool.day:%Y%m%d}.csv", "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(SURVEY_HEADER)
        for n, (rid, cid, kind, score, comment, channel, at) in enumerate(survey_rows(pool, plan), 1):
            out.writerow((rid, cid, kind, score, comment, channel, at.isoformat()))
    return n


@dataclass
class Generated:
    plan: Plan
    rows: dict[str, int] = field(default_factory=dict)
    utterances: int = 0   # turns + tickets + non-empty survey comments actually written
    seconds: float = 0.0


_POOL: Pool | None = None  # inherited by the forked load workers


def _job(args) -> dict[str, int]:
    conninfo, system, tables, plan = args
    return copy_tables(conninfo, system, tables, _POOL, plan)


def generate(stack, day: date, utterances: int, pool: Pool | None = None, workers: int = 2) -> Generated:
    """Replace the bench stack's three source databases and survey folder with ``utterances`` for ``day``."""
    global _POOL
    started = time.perf_counter()
    _POOL = pool or build_pool(day)
    plan = Plan.for_utterances(_POOL, utterances)
    conninfo = {system: stack.sources[system].conninfo() for system in ("crm", "ticketing", "corebank")}
    rebuild = {system: prepare(info, system) for system, info in conninfo.items()}
    out = Generated(plan)
    # fork: the workers share the pool the parent built instead of building it again
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as procs:
        for written in procs.map(_job, [(conninfo[s], s, tables, plan) for s, tables in JOBS]):
            out.rows.update(written)
    with ThreadPoolExecutor(len(conninfo)) as threads:  # server-side work: one backend per database
        list(threads.map(lambda s: finish(conninfo[s], rebuild[s]), conninfo))
    out.rows["survey_responses"] = write_surveys(stack.survey_dir, _POOL, plan)
    comments = sum(1 for row in survey_rows(_POOL, plan) if row[4])
    out.utterances = out.rows["turns"] + out.rows["tickets"] + comments
    out.seconds = time.perf_counter() - started
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--utterances", type=int, default=100_000)
    ap.add_argument("--date", type=date.fromisoformat, default=date(2026, 11, 15))
    ap.add_argument("--home", type=Path, default=Path(tempfile.gettempdir()) / "voc-bench-e2e",
                    help="VOC_HOME of the bench (its own embedded Postgres); never the demo's .voc")
    args = ap.parse_args(argv)
    os.environ["VOC_HOME"] = str(args.home.resolve())
    os.environ.pop("VOC_WAREHOUSE_URL", None)
    os.environ.pop("VOC_LANDING_DIR", None)
    from voc.stack import resolve

    gen = generate(resolve(), args.date, args.utterances)
    print(f"{gen.utterances:,} utterances for {args.date} in {gen.seconds:.1f}s; {gen.plan}")
    for table, n in gen.rows.items():
        print(f"  {table:<18}{n:>12,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
