"""Tagging a day in partitions against a real Postgres: the partitions together equal one whole-day run,
reruns replace, a new partition count reshuffles without duplicates, conversations keep all their turns."""

from datetime import date, datetime, timedelta

import psycopg
import pytest

from voc.business_date import CST, BusinessDates
from voc.pipeline import emerging, tag
from voc.pipeline.tag import Partition, plan_partitions, tag_dates
from voc.warehouse.schema import init

DAY = BusinessDates.of(date(2026, 11, 15))
NOON = datetime(2026, 11, 15, 12, 0, tzinfo=CST)

CONVERSATIONS = {
    # conversation id -> turns (speaker, text)
    "c-liquid": [("agent", "您好，这款是R2的稳健型理财"), ("customer", "赎回要几天到账？"),
                 ("agent", "一般T+1到账"), ("customer", "我再问下，赎回以后多久能到账？")],
    "c-health": [("customer", "上个月体检查出结节，想配一份重疾险"), ("agent", "好的，我给您介绍一下")],
    "c-caution": [("agent", "这只波动太大，我不建议您现在买"), ("customer", "那我不需要了")],
    "c-jargon": [("customer", "我是第一次买基金，啥也不懂"), ("agent", "这只的夏普比率不错，最大回撤也小")],
    "c-angry": [("customer", "你们APP又闪退了！！！什么垃圾银行"), ("customer", "再不解决我就去投诉")],
}
TABLES = ("tags.utterances", "tags.utterance_tags", "tags.evidence", "tags.conversation_signals")


@pytest.fixture
def wh(fresh_db):
    init(fresh_db)
    with psycopg.connect(fresh_db.conninfo()) as conn:
        for n, (cid, turns) in enumerate(CONVERSATIONS.items()):
            start = NOON + timedelta(minutes=10 * n)
            conn.execute("insert into raw.crm_conversations values (%s, %s, 'call', %s, 'AG1', %s, %s, %s)",
                         (DAY.first, cid, f"C{n}", start, start + timedelta(minutes=5), start))
            for turn_no, (speaker, text) in enumerate(turns, start=1):
                conn.execute("insert into raw.crm_turns values (%s, %s, %s, %s, %s, %s, 0)",
                             (DAY.first, cid, turn_no, speaker, start + timedelta(seconds=turn_no), text))
        for tid, body in (("T1", "管理费太高了，收益都被吃掉了"), ("T2", "网点排队排了两个小时，体验很差")):
            conn.execute("insert into raw.ticketing_tickets values (%s, %s, 'C9', 'app', 'service', 'normal', 'BR1', "
                         "'意见', %s, 0, 'open', %s, %s)", (DAY.first, tid, body, NOON, NOON))
        # S2 and S3 complain about something no taxonomy v1 leaf covers: the branch's air conditioning
        for rid, comment in (("S1", "客户经理很专业，点赞"), ("S2", "大厅空调开得太冷了，冻得人受不了"),
                             ("S3", "空调太冷了，坐在里面一直发抖，太差了")):
            conn.execute("insert into raw.survey_responses values (%s, %s, 'C8', 'nps', 3, %s, 0, 'app', %s, 'f.csv')",
                         (DAY.first, rid, comment, NOON))
        conn.commit()
        yield fresh_db, conn


def _tag(dsn, tagger, count):
    with psycopg.connect(dsn.conninfo()) as conn:
        partitions = plan_partitions(conn, DAY, tagger.version, count)
    for p in partitions:
        with psycopg.connect(dsn.conninfo(), autocommit=True) as read, psycopg.connect(dsn.conninfo()) as write:
            tag_dates(read, write, DAY, tagger, p)


def _content(conn):
    """Every tags row without its partition number, so runs with different partition counts compare."""
    out = {}
    for table in TABLES:
        cols = [r[0] for r in conn.execute(
            "select column_name from information_schema.columns where table_schema = 'tags' and table_name = %s "
            "and column_name not in ('tag_partition', 'tagged_at') order by ordinal_position",
            (table.split(".")[1],))]
        out[table] = sorted(conn.execute(f"select {', '.join(cols)} from {table}").fetchall(), key=repr)
    return out


def test_partitions_together_equal_one_whole_day_run(wh, tagger):
    dsn, conn = wh
    _tag(dsn, tagger, 1)
    whole = _content(conn)
    _tag(dsn, tagger, 3)
    assert _content(conn) == whole
    assert conn.execute("select count(distinct tag_partition) from tags.utterances").fetchone()[0] > 1
    assert len(whole["tags.utterances"]) == sum(map(len, CONVERSATIONS.values())) + 2 + 3
    assert len(whole["tags.conversation_signals"]) == len(CONVERSATIONS)


def test_rerun_and_fewer_partitions_leave_no_duplicates(wh, tagger):
    dsn, conn = wh
    _tag(dsn, tagger, 3)
    first = _content(conn)
    _tag(dsn, tagger, 3)
    _tag(dsn, tagger, 2)
    assert _content(conn) == first
    assert conn.execute("select max(tag_partition) from tags.utterances").fetchone()[0] == 1
    assert conn.execute("select partitions from tags.tag_partitioning").fetchall() == [(2,)]


def test_conversation_signals_span_chunks(wh, tagger, monkeypatch):
    dsn, conn = wh
    monkeypatch.setattr(tag, "CHUNK", 3)  # conversations straddle chunk boundaries
    _tag(dsn, tagger, 2)
    signals = {r[0]: r[1:] for r in conn.execute(
        "select conversation_id, agent_turns, customer_turns, liquidity_anxiety, health_gap, jargon_mismatch, "
        "agent_caution_density, escalation_risk from tags.conversation_signals")}
    assert signals["c-liquid"][:3] == (2, 2, True)
    assert signals["c-health"][3] is True
    assert signals["c-jargon"][4] is True
    assert signals["c-caution"][5] == 1.0
    assert signals["c-angry"][6] is True
    assert not any(s[2] for cid, s in signals.items() if cid != "c-liquid")


def test_emerging_topics_come_from_uncovered_negative_feedback(wh, tagger):
    dsn, conn = wh
    _tag(dsn, tagger, 2)
    found = emerging.discover(conn, DAY, tagger.version)
    rows = conn.execute("select rank, keyword, utterances, sample_utterance_ids from tags.emerging_topics "
                        "order by rank").fetchall()
    assert found == len(rows) >= 1
    keywords = {r[1]: r for r in rows}
    assert "空调" in keywords, rows
    assert set(keywords["空调"][3]) == {"survey:S2", "survey:S3"}
    emerging.discover(conn, DAY, tagger.version)  # a rerun replaces the day
    assert conn.execute("select count(*) from tags.emerging_topics").fetchone()[0] == len(rows)


def test_partition_arguments_are_checked(wh, tagger):
    _, conn = wh
    with pytest.raises(ValueError, match="partition 2 of 2"):
        Partition(2, 2)
    with pytest.raises(ValueError, match="at least 1"):
        plan_partitions(conn, DAY, tagger.version, 0)


def test_tags_gate_passes_clean_tags_and_blocks_an_unknown_code(wh, tagger):
    from voc.quality.checkpoint import QualityGateFailed, run_checkpoint

    dsn, conn = wh
    _tag(dsn, tagger, 2)
    params = {"taxonomy_version": tagger.version, "taxonomy_codes": sorted(tagger.taxonomy.codes)}
    assert run_checkpoint("tags", dsn, DAY, params).success
    # rows of another taxonomy version are not this version's business
    conn.execute("insert into tags.utterance_tags values (%s, %s, 0, 'survey:S1', 'feedback.positive.gone', "
                 "'feedback')", (DAY.first, tagger.version + 1))
    conn.commit()
    assert run_checkpoint("tags", dsn, DAY, params).success
    conn.execute("insert into tags.utterance_tags values (%s, %s, 0, 'survey:S1', 'feedback.positive.typo', "
                 "'feedback')", (DAY.first, tagger.version))
    conn.commit()
    with pytest.raises(QualityGateFailed, match="expect_column_values_to_be_in_set"):
        run_checkpoint("tags", dsn, DAY, params)
    recorded = conn.execute("select success, failed, failures from dq.checkpoint_results "
                            "where business_date = %s and suite = 'tags'", (DAY.first,)).fetchone()
    assert recorded[0] is False and recorded[1] == 1
    assert recorded[2][0]["column"] == "code"


def test_a_range_tagged_at_once_equals_its_dates_tagged_one_by_one(wh, tagger):
    """What voc_history does (one range) and what voc_nightly does (date by date) leave the same rows,
    partition numbers included; a date tagged with another partition count before is re-planned."""
    dsn, conn = wh
    day_before = DAY.first - timedelta(days=1)
    for table, shifted in (("crm_conversations", "started_at"), ("crm_turns", "spoken_at"),
                           ("ticketing_tickets", "created_at"), ("survey_responses", "submitted_at")):
        columns = [r[0] for r in conn.execute(
            "select column_name from information_schema.columns where table_schema = 'raw' and table_name = %s "
            "and column_name not in ('business_date', %s) order by ordinal_position", (table, shifted))]
        cols = ", ".join(columns)
        conn.execute(f"insert into raw.{table} (business_date, {shifted}, {cols}) "
                     f"select %s, {shifted} - interval '1 day', {cols} from raw.{table} where business_date = %s",
                     (day_before, DAY.first))
    conn.commit()
    both = BusinessDates(day_before, DAY.first)

    def tag_range(dates, count):
        with psycopg.connect(dsn.conninfo()) as c:
            for p in plan_partitions(c, dates, tagger.version, count):
                with psycopg.connect(dsn.conninfo(), autocommit=True) as read, psycopg.connect(dsn.conninfo()) as write:
                    tag_dates(read, write, dates, tagger, p)

    tag_range(BusinessDates.of(day_before), 3)  # planned with another count: the range must re-plan it
    tag_range(both, 2)
    at_once = _content_with_partitions(conn)
    for day in both:
        tag_range(BusinessDates.of(day), 2)
    assert _content_with_partitions(conn) == at_once
    per_date = dict(conn.execute("select business_date, count(*) from tags.utterances group by 1").fetchall())
    assert per_date == {day_before: per_date[DAY.first], DAY.first: per_date[DAY.first]}
    assert {r[0] for r in conn.execute("select distinct tag_partition from tags.utterances")} == {0, 1}


def _content_with_partitions(conn):
    """Every tags row, partition number included, without the tagging time."""
    out = {}
    for table in TABLES:
        cols = [r[0] for r in conn.execute(
            "select column_name from information_schema.columns where table_schema = 'tags' and table_name = %s "
            "and column_name <> 'tagged_at' order by ordinal_position", (table.split(".")[1],))]
        out[table] = sorted(conn.execute(f"select {', '.join(cols)} from {table}").fetchall(), key=repr)
    return out
