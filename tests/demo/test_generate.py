"""The demo generator: determinism, volumes, time window, PII and text against a throwaway Postgres (a small
config); the planted effects, churn volume and tier migrations on the default six-month config, in memory."""
from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import psycopg
import pytest

from voc.demo import generate as demo_generate
from voc.demo import pii, tiers
from voc.demo.activity import FOLLOW_UP_WINDOW, SPIKE_WITHIN, spike_week
from voc.demo.bank import AUM_DROP_LOOKBACK, AUM_DROP_THRESHOLD
from voc.demo.generate import SCHEMA, DemoConfig, build, generate, write
from voc.demo.people import TIER_BANDS
from voc.demo.phrases import CUSTOMER
from voc.business_date import CST

END = date(2026, 11, 15)
# Small enough to write twice in a few seconds, big enough for every text feature and leaf code.
CFG = DemoConfig(end_date=END, days=60, customers=1000, seed=20261115)
SCALE = CFG.customers / 3000  # daily volumes scale with the number of customers
WINDOW_START = datetime.combine(CFG.dates[0], datetime.min.time(), tzinfo=CST)
WINDOW_END = datetime.combine(END + timedelta(days=1), datetime.min.time(), tzinfo=CST)
DEFAULT = DemoConfig(end_date=END)  # what `voc demo` generates: 180 days x 3000 customers
MONTH_ENDS = [day for day in DEFAULT.dates if (day + timedelta(days=1)).day == 1]
SYSTEM_BAD = "闪退|转圈|白屏|验证码|加载页面|没反应|登录不上|人脸识别"


@pytest.fixture(scope="session")
def pg(pg_server):
    """Three demo source databases on the session's throwaway Postgres (tests/conftest.py)."""
    for name in SCHEMA:
        pg_server.psql(f"create database demo_{name};")
    return {name: pg_server.get_uri(f"demo_{name}") for name in SCHEMA}


@pytest.fixture(scope="session")
def runs(pg, tmp_path_factory):
    """Two full runs into the same databases; the second also finds a stale survey file to remove."""
    first_dir, second_dir = tmp_path_factory.mktemp("survey1"), tmp_path_factory.mktemp("survey2")
    urls = {f"{k}_url": v for k, v in pg.items()}
    data = build(CFG)
    first = write(data, survey_dir=first_dir, **urls)
    first_hashes = content_hashes(pg)
    (second_dir / "responses_19990101.csv").write_text("stale\n")
    second = generate(CFG, survey_dir=second_dir, **urls)
    return {"data": data, "first": first, "second": second, "first_hashes": first_hashes,
            "second_hashes": content_hashes(pg), "dirs": (first_dir, second_dir)}


@pytest.fixture(scope="session")
def default():
    """The default config, built once (no database): the planted effects need its six months."""
    return build(DEFAULT)


@pytest.fixture(scope="session")
def month_end_totals(default):
    """(customer, day) -> total AUM, on each month-end inside the window and on its first and last day."""
    wanted = {*MONTH_ENDS, DEFAULT.dates[0], DEFAULT.dates[-1]}
    totals: dict[tuple[str, date], float] = defaultdict(float)
    for cid, day, _, aum in default.rows["aum_daily"]:
        if day in wanted:
            totals[cid, day] += float(aum)
    return totals


def content_hashes(pg: dict[str, str]) -> dict[str, tuple[int, str]]:
    out = {}
    for system, tables in SCHEMA.items():
        with psycopg.connect(pg[system]) as conn:
            for table in tables:
                out[table] = conn.execute(
                    f"select count(*), md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) from {table} t"
                ).fetchone()
    return out


def query(pg, system: str, sql: str) -> list[tuple]:
    with psycopg.connect(pg[system]) as conn:
        return conn.execute(sql).fetchall()


def survey_rows(directory) -> list[dict]:
    rows = []
    for path in sorted(directory.glob("responses_*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            rows += [{**r, "file": path.name} for r in csv.DictReader(f)]
    return rows


def all_texts(pg) -> list[str]:
    return ([t for (t,) in query(pg, "crm", "select text from turns")] +
            [t for (t,) in query(pg, "ticketing", "select title || ' ' || body from tickets")])


# ---- determinism and replacement -----------------------------------------------------------------
def test_rerun_is_identical_and_replaces(runs):
    assert runs["first"] == runs["second"]
    assert runs["first_hashes"] == runs["second_hashes"]
    for table, (count, _) in runs["second_hashes"].items():
        assert count == runs["second"][table], table  # replaced, not appended
    first_dir, second_dir = runs["dirs"]
    names = sorted(p.name for p in first_dir.glob("responses_*.csv"))
    assert names == sorted(p.name for p in second_dir.glob("responses_*.csv"))
    assert "responses_19990101.csv" not in names and len(names) == CFG.days
    for name in names:
        assert (first_dir / name).read_bytes() == (second_dir / name).read_bytes()


def test_another_seed_gives_other_content():
    a = build(DemoConfig(end_date=date(2026, 3, 1), days=3, customers=200, seed=1))
    b = build(DemoConfig(end_date=date(2026, 3, 1), days=3, customers=200, seed=2))
    assert a.rows["turns"] != b.rows["turns"]


def test_six_months_by_default(monkeypatch):
    assert DEFAULT.days == 180 and DEFAULT.customers == 3000 and DEFAULT.seed == 20261115
    seen = []
    monkeypatch.setattr(demo_generate, "generate", lambda cfg, **urls: seen.append(cfg) or {})
    demo_generate.main(["--end-date", "2026-11-15", "--crm-url", "x", "--ticketing-url", "x", "--corebank-url", "x",
                        "--survey-dir", "x"])
    assert seen == [DEFAULT]


# ---- volumes -------------------------------------------------------------------------------------
def test_daily_volumes(pg, runs):
    per_day = dict(query(pg, "crm", "select (started_at at time zone 'Asia/Shanghai')::date, count(*) "
                                    "from conversations group by 1"))
    assert len(per_day) == CFG.days and all(150 * SCALE <= n <= 270 * SCALE for n in per_day.values()), per_day
    tickets = dict(query(pg, "ticketing", "select (created_at at time zone 'Asia/Shanghai')::date, count(*) "
                                          "from tickets group by 1"))
    assert len(tickets) == CFG.days and all(20 * SCALE <= n <= 55 * SCALE for n in tickets.values()), tickets
    surveys = Counter(r["file"] for r in survey_rows(runs["dirs"][1]))
    assert all(30 * SCALE <= n <= 60 * SCALE for n in surveys.values()), surveys
    assert runs["second"]["customers"] == CFG.customers


def test_conversation_shapes(pg):
    rows = query(pg, "crm", """
        select c.channel, count(*), min(t.turn_no), max(t.turn_no),
               bool_and(t.speaker = 'agent') filter (where c.channel = 'rm_note'),
               count(distinct t.speaker)
        from conversations c join turns t using (conversation_id) group by c.conversation_id, c.channel""")
    calls = [r for r in rows if r[0] == "call"]
    assert calls and all(4 <= r[1] <= 12 and r[5] == 2 for r in calls)
    notes = [r for r in rows if r[0] == "rm_note"]
    assert notes and all(r[1] == 1 and r[4] for r in notes)
    assert any(r[0] == "im" for r in rows)
    # turns alternate speakers
    flips = query(pg, "crm", """
        select count(*) from turns a join turns b
          on a.conversation_id = b.conversation_id and b.turn_no = a.turn_no + 1
        where a.speaker = b.speaker""")
    assert flips == [(0,)]
    notes_by_rm = query(pg, "crm", "select bool_and(agent_id like 'RM%') from conversations where channel = 'rm_note'")
    assert notes_by_rm == [(True,)]


def test_ticket_histories(pg):
    rows = query(pg, "ticketing", """
        select t.ticket_id, t.status, t.updated_at, max(e.event_at), array_agg(e.status order by e.event_seq),
               min(e.event_at) filter (where e.status = 'first_response') - t.created_at,
               min(e.event_at) filter (where e.status = 'resolved') - t.created_at
        from tickets t join ticket_events e using (ticket_id) group by t.ticket_id""")
    last_status = {"created": "open", "first_response": "responded", "resolved": "resolved", "closed": "closed",
                   "revisited": "open"}
    for tid, status, updated, last_event, seq, _, _ in rows:
        assert seq[0] == "created" and updated == last_event and status == last_status[seq[-1]], tid
    assert any("revisited" in r[4] for r in rows)
    first = [r[5] for r in rows if r[5] is not None]
    assert any(x <= timedelta(hours=24) for x in first) and any(x > timedelta(hours=24) for x in first)
    resolved = [r[6] for r in rows if r[6] is not None]
    assert any(x <= timedelta(hours=72) for x in resolved) and any(x > timedelta(hours=72) for x in resolved)
    late = query(pg, "ticketing", "select count(*) from tickets where updated_at - created_at > interval '3 days'")
    assert late[0][0] > 0


# ---- core banking --------------------------------------------------------------------------------
def test_every_customer_has_aum_every_day(pg):
    (n, days, pairs, negative), = query(pg, "corebank", """
        select count(distinct customer_id), count(distinct as_of_date),
               count(distinct (customer_id, as_of_date)), count(*) filter (where aum < 0) from aum_daily""")
    assert (n, days, pairs, negative) == (CFG.customers, CFG.days, CFG.customers * CFG.days, 0)
    types = {t for (t,) in query(pg, "corebank", "select distinct product_type from aum_daily")}
    assert types == {"deposit", "wealth", "fund", "insurance", "gold"}


def test_tiers_follow_aum_bands(pg):
    rows = query(pg, "corebank", f"""
        select c.tier, min(a.total), max(a.total) from customers c join (
            select customer_id, sum(aum) total from aum_daily where as_of_date = date '{CFG.dates[0]}' group by 1) a
        using (customer_id) group by c.tier""")
    bands = {tier: (lo, hi) for tier, lo, hi in rows}
    assert set(bands) == {"mass", "wealth", "private"}
    assert bands["mass"][1] < 600_000 and bands["private"][0] > 4_000_000  # day one after a day of drift
    assert query(pg, "corebank", "select count(distinct branch_id) <= 40, bool_and(rm_id ~ '^RM[0-9]{4}$') "
                                 "from customers") == [(True, True)]


def test_holdings_and_churn(pg):
    (new, closed), = query(pg, "corebank", f"""
        select count(*) filter (where opened_at >= '{WINDOW_START.isoformat()}'),
               count(*) filter (where closed_at is not null) from holdings""")
    assert new > 30 and closed > 100
    kinds = dict(query(pg, "corebank", "select event_type, count(*) from churn_events group by 1"))
    assert set(kinds) == {"account_closed", "aum_drop"}
    # a closed account holds nothing afterwards
    leftovers = query(pg, "corebank", """
        select count(*) from churn_events e join aum_daily a using (customer_id)
        where e.event_type = 'account_closed' and a.as_of_date >= (e.occurred_at at time zone 'Asia/Shanghai')::date
          and a.aum > 0""")
    assert leftovers == [(0,)]


# ---- time ----------------------------------------------------------------------------------------
ACTIVITY_TIMES = {
    "crm": ("select started_at from conversations union all select ended_at from conversations "
            "union all select updated_at from conversations union all select spoken_at from turns"),
    "ticketing": "select created_at from tickets union all select updated_at from tickets "
                 "union all select event_at from ticket_events",
    "corebank": "select occurred_at from churn_events union all select closed_at from holdings "
                "where closed_at is not null",
}


def test_timestamps_inside_window(pg, runs):
    for system, sql in ACTIVITY_TIMES.items():
        (lo, hi), = query(pg, system, f"select min(ts), max(ts) from ({sql}) x(ts)")
        assert WINDOW_START <= lo and hi < WINDOW_END, system
    for r in survey_rows(runs["dirs"][1]):
        when = datetime.fromisoformat(r["submitted_at"])
        assert when.utcoffset() == timedelta(hours=8) and WINDOW_START <= when < WINDOW_END
        assert r["file"] == f"responses_{when:%Y%m%d}.csv"
        assert int(r["score"]) in {"nps": range(11), "csat": range(1, 6), "ces": range(1, 8)}[r["survey_type"]]


def test_events_on_the_midnight_boundary(pg, runs):
    local = "to_char(ts at time zone 'Asia/Shanghai', 'HH24:MI:SS')"
    for system, sql in (("crm", "select spoken_at from turns"), ("ticketing", ACTIVITY_TIMES["ticketing"])):
        marks = {m for (m,) in query(pg, system, f"select distinct {local} from ({sql}) x(ts)")}
        assert {"23:59:59", "00:00:00"} <= marks, system
    stamps = {r["submitted_at"][11:19] for r in survey_rows(runs["dirs"][1])}
    assert {"23:59:59", "00:00:00"} <= stamps
    # a chat that starts before midnight and continues after it
    straddling = query(pg, "crm", """
        select count(*) from conversations
        where (started_at at time zone 'Asia/Shanghai')::date < (ended_at at time zone 'Asia/Shanghai')::date""")
    assert straddling[0][0] > 0


# ---- personal data -------------------------------------------------------------------------------
def test_planted_pii_is_valid_and_present(pg, runs):
    ledger = runs["data"].pii
    texts = all_texts(pg) + [r["comment"] for r in survey_rows(runs["dirs"][1])]
    corpus = unicodedata.normalize("NFKC", "\n".join(texts))
    kinds = Counter(kind for kind, _, real in ledger if real)
    assert set(kinds) == {"cn_resident_id", "cn_mobile", "bank_card", "email"}
    assert 0.005 < sum(kinds.values()) / len(texts) < 0.05
    check = {
        "cn_resident_id": pii.is_valid_resident_id,
        "cn_mobile": pii.is_valid_mobile,
        "bank_card": lambda v: 16 <= len(v.replace(" ", "")) <= 19 and pii.luhn_ok(v.replace(" ", "")),
        "email": lambda v: re.fullmatch(r"[\w.]+@[a-z0-9]+\.[a-z]+", v) is not None,
    }
    for kind, value, real in ledger:
        assert value in corpus, value
        if real:
            assert check[kind](value), (kind, value)
    fakes = {kind: [v for k, v, real in ledger if k == kind and not real] for kind, _, _ in ledger}
    assert fakes["bad_id"] and not any(pii.is_valid_resident_id(v) for v in fakes["bad_id"])
    assert fakes["bad_card"] and not any(pii.luhn_ok(v) for v in fakes["bad_card"])
    assert fakes["masked_mobile"] and all("****" in v for v in fakes["masked_mobile"])
    # formats a redactor must handle
    mobiles = [v for k, v, real in ledger if k == "cn_mobile"]
    assert any(v.startswith("+86") for v in mobiles) and any("-" in v for v in mobiles)
    assert any(" " in v for k, v, _ in ledger if k == "bank_card")


def test_check_digit_helpers():
    assert pii.id_check_digit("11010519491231002") == "X"
    assert pii.is_valid_resident_id("11010519491231002X")
    assert not pii.is_valid_resident_id("110105194912310021")
    assert not pii.is_valid_resident_id("11010519490231002X")  # no 31 February
    assert pii.luhn_ok("4539578763621486") and not pii.luhn_ok("4539578763621487")
    assert pii.is_valid_mobile("+86 138-1234-5678") and not pii.is_valid_mobile("12812345678")


# ---- text ----------------------------------------------------------------------------------------
FAMILY_KEYWORDS = {
    "profile": ("闲着", "到期", "小白", "夏普比率", "只在你们行", "支付宝", "晚上"),
    "preference": ("定期", "指数基金", "保本", "稳健", "手机银行", "企业微信", "半年"),
    "objection": ("不需要", "没时间", "骗子", "泄露", "别再打了", "自己先研究"),
    "feedback": ("投诉", "12378", "找监管", "闪退", "态度", "收益也太低", "点个赞", "保本吗"),
    "emotion": ("钱越理越少", "定投断供", "坐过山车", "不敢赎回", "！！！"),
    "need": ("重疾险", "体检", "资产隔离", "婚前财产", "马上取出", "以为理财都是保本"),
    "compliance": ("稳赚", "零风险", "保证收益"),
}


def test_text_covers_every_taxonomy_family(pg, runs):
    corpus = "\n".join(all_texts(pg) + [r["comment"] for r in survey_rows(runs["dirs"][1])])
    for family, words in FAMILY_KEYWORDS.items():
        missing = [w for w in words if w not in corpus]
        assert not missing, (family, missing)
    agent = "\n".join(t for (t,) in query(pg, "crm", "select text from turns where speaker = 'agent'"))
    for phrase in ("投资需谨慎", "不是保本的", "不建议", "谨慎", "风险较大", "最大回撤", "久期", "夏普比率"):
        assert phrase in agent, phrase
    assert re.search("[\U0001F300-\U0001FAFF]", corpus), "emoji"
    assert re.search("[這們錢還說銀]", corpus), "Traditional characters"
    assert re.search("[０-９]", corpus), "full-width digits"
    texts = all_texts(pg)
    assert len(set(texts)) > 5000


def test_every_leaf_code_is_written(runs):
    codes = runs["data"].codes
    leaves = set(CUSTOMER) | {"emotion.agent_caution.discourage", "compliance.agent_promise.guaranteed_return"}
    assert len(leaves) == 107
    assert not leaves - set(codes)


def test_repeated_redemption_within_one_call(pg):
    rows = query(pg, "crm", """
        select conversation_id from turns
        where speaker = 'customer' and (text like '%赎回%' or text like '%取出%')
        group by conversation_id having count(*) >= 2 limit 1""")
    assert rows


# ---- planted effects on the default config (the truth a warehouse must recover) -------------------
def churn_exposure(truth, days: range) -> dict[str, list[int]]:
    """[churn events, customer-days at risk] by the strongest signal in force that day.

    Migrants never churn by design, so they are left out; a churned customer is at risk up to their churn day.
    """
    out = {"base": [0, 0], "anxiety": [0, 0], "breach": [0, 0]}
    for st in truth.values():
        if st.tier_path is not None:
            continue
        for day in days:
            if st.churned_on is not None and day > st.churned_on:
                break
            group = ("breach" if st.breach_from is not None and day >= st.breach_from else
                     "anxiety" if st.anxious_from is not None and day >= st.anxious_from else "base")
            out[group][0] += st.churned_on == day
            out[group][1] += 1
    return out


def rate(events_and_days) -> float:
    events, days = events_and_days
    return events / days


def conversion(data, days: range) -> tuple[float, float]:
    """Share of treated and of control customers (funds signal voiced in `days`) who opened a holding after
    the follow-up window; customers without a signal are not in `treated`, so base cross-sell does not count."""
    index = {day: d for d, day in enumerate(DEFAULT.dates)}
    opened = defaultdict(list)
    for _, cid, _, _, opened_at, _, _ in data.rows["holdings"]:
        if opened_at.date() in index:
            opened[cid].append(index[opened_at.date()])
    share = {}
    for group in (True, False):
        ids = [cid for cid, treated in data.treated.items()
               if treated is group and data.truth[cid].funds_signal in days]
        after = [any(d > data.truth[cid].funds_signal + FOLLOW_UP_WINDOW for d in opened[cid]) for cid in ids]
        share[group] = sum(after) / len(ids)
    return share[True], share[False]


def test_churn_volume_is_believable(default):
    """Half a year of 10-15% annual attrition: 5-8% of the customers, each with a churn event."""
    churned = {cid for cid, st in default.truth.items() if st.churned_on is not None}
    assert 0.05 * DEFAULT.customers <= len(churned) <= 0.08 * DEFAULT.customers
    events = default.rows["churn_events"]
    kinds = Counter(kind for _, _, kind, *_ in events)
    assert kinds["account_closed"] > 50 and kinds["aum_drop"] > 50
    with_event = {cid for _, cid, *_ in events}
    assert with_event <= churned  # market moves alone never make an aum_drop
    assert len(churned - with_event) <= 3  # only a withdrawal cut short by the window's end


def test_churn_hazard_ratios(default):
    exposure = churn_exposure(default.truth, range(DEFAULT.days))
    base = rate(exposure["base"])
    assert rate(exposure["anxiety"]) > 1.8 * base  # planted 3x
    assert rate(exposure["breach"]) > 2.5 * base  # planted 4x


def test_rm_follow_up_converts(default):
    treated, control = conversion(default, range(DEFAULT.days))
    assert 0.3 < treated < 0.5 and 0.05 < control < 0.2  # planted 40% vs 12%, censored at the window's end
    assert len(default.treated) > 500


def test_effects_in_both_halves(default):
    half = DEFAULT.days // 2
    for days in (range(half), range(half, DEFAULT.days)):
        exposure = churn_exposure(default.truth, days)
        signalled = [a + b for a, b in zip(exposure["anxiety"], exposure["breach"])]
        assert rate(signalled) > 2 * rate(exposure["base"]), days
        treated, control = conversion(default, days)
        assert treated > 2 * control, days
    middle = DEFAULT.dates[half]
    months = [m for st in default.truth.values() for m in st.tier_months]
    assert any(m < middle.replace(day=1) for m in months) and any(m > middle for m in months)


@pytest.mark.parametrize("offset", range(7))
def test_spike_week_lies_in_the_last_14_days(offset):
    end = END + timedelta(days=offset)  # every weekday
    first, last = spike_week(DemoConfig(end_date=end).dates)
    assert first.weekday() == 0 and (last - first).days == 6
    assert end - timedelta(days=13) <= first and last <= end
    assert SPIKE_WITHIN == 14


def test_hot_spot_week(default):
    first, last = default.spike_week
    assert (first, last) == (date(2026, 11, 2), date(2026, 11, 8))
    system_bad = re.compile(SYSTEM_BAD)
    per_day = Counter(when.date() for _, _, speaker, when, text in default.rows["turns"]
                      if speaker == "customer" and system_bad.search(text))
    inside = [n for d, n in per_day.items() if first <= d <= last]
    outside = [n for d, n in per_day.items() if not first <= d <= last]
    assert sum(inside) / len(inside) > 3 * sum(outside) / len(outside)


# ---- tier migrations -----------------------------------------------------------------------------
def growths(totals, cid: str) -> list[tuple[date, float]]:
    """(first day of the month, month-end total over the previous month-end) for each month in the window."""
    return [(b.replace(day=1), totals[cid, b] / totals[cid, a] if totals[cid, a] else 0.0)
            for a, b in zip(MONTH_ENDS, MONTH_ENDS[1:])]


def consecutive(months: tuple[date, ...]) -> bool:
    return all((a + timedelta(days=31)).replace(day=1) == b for a, b in zip(months, months[1:]))


def test_tier_upgrades(default, month_end_totals):
    tier = {cid: t for cid, t, *_ in default.rows["customers"]}
    up = [cid for cid, st in default.truth.items() if st.tier_path == "upgrade"]
    assert 0.03 * DEFAULT.customers <= len(up) <= 0.05 * DEFAULT.customers
    assert len({default.truth[cid].tier_months for cid in up}) >= 2  # the months vary across customers
    first, last = DEFAULT.dates[0], DEFAULT.dates[-1]
    for cid in up:
        months = default.truth[cid].tier_months
        assert len(months) == 3 and consecutive(months) and months[0] > first, cid
        growth = dict(growths(month_end_totals, cid))
        assert all(growth[m] > 1.2 for m in months), (cid, growth)
        low, high = TIER_BANDS[tier[cid]]
        assert tier[cid] in ("mass", "wealth") and low <= month_end_totals[cid, first] < high  # tier at window start
        assert month_end_totals[cid, last] >= high, cid  # ends in the next band
    others = [cid for cid, st in default.truth.items() if st.tier_path is None]
    three_in_a_row = []
    for cid in others:
        growth = [g for _, g in growths(month_end_totals, cid)]
        if any(min(growth[i:i + 3]) > 1.2 for i in range(len(growth) - 2)):
            three_in_a_row.append(cid)
    assert len(three_in_a_row) <= 0.005 * len(others), three_in_a_row


def test_tier_downgrades(default, month_end_totals):
    tier = {cid: t for cid, t, *_ in default.rows["customers"]}
    down = [cid for cid, st in default.truth.items() if st.tier_path == "downgrade"]
    assert 0.02 * DEFAULT.customers <= len(down) <= 0.04 * DEFAULT.customers
    assert not {cid for _, cid, *_ in default.rows["churn_events"]} & set(down)  # no churn event, not even aum_drop
    first, last = DEFAULT.dates[0], DEFAULT.dates[-1]
    falls = []
    for cid in down:
        months = default.truth[cid].tier_months
        assert tier[cid] in ("wealth", "private") and len(months) == 3 and consecutive(months), cid
        growth = dict(growths(month_end_totals, cid))
        assert all(growth[m] < 1 for m in months), (cid, growth)
        assert month_end_totals[cid, last] < TIER_BANDS[tier[cid]][0], cid  # ends below its band
        falls.append(1 - month_end_totals[cid, last] / month_end_totals[cid, first])
    assert sum(f < AUM_DROP_THRESHOLD for f in falls) >= 0.6 * len(falls)  # most within 30% of their start


def test_no_migrations_without_four_month_ends(runs):
    assert sum((d + timedelta(days=1)).day == 1 for d in CFG.dates) < tiers.MONTHS + 1
    assert not any(st.tier_path for st in runs["data"].truth.values())


def test_aum_drop_compares_with_the_trailing_peak():
    from voc.demo.bank import _first_drop

    slide = [100.0 * 0.997 ** d for d in range(180)]  # -42% over the window, never -30% within a month
    assert _first_drop(100.0, slide) is None
    crash = [100.0] * 50 + [80.0, 60.0, 50.0] + [50.0] * 20
    assert _first_drop(100.0, crash) == (51, 100.0)
    late = [100.0] * 40 + [69.0]  # the higher window-start total is 41 days back, out of sight
    assert _first_drop(120.0, late) == (40, 100.0)
    assert AUM_DROP_LOOKBACK == 30
