"""The DAGs through Airflow itself (DAG.test, as `airflow dags test`) on the embedded warehouse.

Two warehouses are filled from the same demo sources: one by voc_history over three business dates (run
twice: a rerun must change nothing), the other by voc_nightly date by date (the last date twice). Every
table must end up with the same content, and each warehouse must hold what a night is meant to land.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import timedelta

import psycopg
import pytest

from demo_stack import DEMO_END, make_stack

pytestmark = pytest.mark.integration

DATES = [DEMO_END - timedelta(days=2), DEMO_END - timedelta(days=1), DEMO_END]
# When a row was written, not what it says: left out of the content comparison.
LOAD_TIME_COLUMNS = ("_loaded_at", "loaded_at", "tagged_at", "planned_at", "run_at", "published_at")


@pytest.fixture(scope="module")
def stacks(voc_env):
    """(history warehouse, nightly warehouse, plan results), both from one set of demo sources."""
    from voc import airflow_runner
    from voc.business_date import BusinessDates
    from voc.jobs.run import run_specs
    from voc.warehouse import embedded
    from voc.warehouse.databases import ensure_database

    stack = make_stack(customers=300, days=4)
    nightly = replace(stack, warehouse=stack.warehouse.with_db("voc_nightly_path"))
    ensure_database(stack.warehouse.with_db("postgres"), nightly.warehouse.dbname)
    history = airflow_runner.history_run(BusinessDates(DATES[0], DATES[-1]))
    history_plan = run_specs(stack, [history, history], "it_history", echo=lambda *_: None)
    nights = airflow_runner.nightly_runs(DATES + DATES[-1:])
    nightly_plan = run_specs(nightly, nights, "it_nightly", echo=lambda *_: None)
    yield stack, nightly, history_plan, nightly_plan
    embedded.stop()


def content(stack) -> dict[str, str]:
    """Every table and view the pipeline writes (raw, tags, dq, staging, intermediate, marts): an md5 of its rows
    in a fixed order, load times left out."""
    with psycopg.connect(stack.warehouse.conninfo()) as conn:
        relations = conn.execute(
            """select table_schema, table_name from information_schema.tables
               where table_schema in ('raw', 'tags', 'dq', 'staging', 'intermediate', 'reference')
                  or table_schema like 'marts%' order by 1, 2""").fetchall()
        out = {}
        for schema, table in relations:
            columns = [c for (c,) in conn.execute(
                "select column_name from information_schema.columns where table_schema = %s and table_name = %s "
                "order by ordinal_position", (schema, table)) if c not in LOAD_TIME_COLUMNS]
            select = ", ".join(f'"{c}"' for c in columns)
            out[f"{schema}.{table}"] = conn.execute(
                f'select count(*) || \':\' || coalesce(md5(string_agg(r::text, \'|\' order by r::text)), \'\') '
                f'from (select {select} from "{schema}"."{table}") r').fetchone()[0]
    return out


def test_history_load_equals_nightly_runs_table_by_table(stacks):
    history, nightly, *_ = stacks
    by_history, by_nightly = content(history), content(nightly)
    assert set(by_history) == set(by_nightly)
    assert {t: h for t, h in by_history.items() if by_nightly[t] != h} == {}
    empty = {t for t, h in by_history.items() if h.startswith("0:")}
    assert not empty & {"raw.crm_turns", "raw.ticketing_tickets", "raw.survey_responses", "raw.corebank_holdings",
                        "tags.utterances", "tags.evidence", "tags.emerging_topics", "dq.checkpoint_results",
                        "marts_customer.customer_signals_daily", "marts_roi.signal_effects",
                        "marts_service.complaint_sla", "marts_voc.nps_monthly", "marts_voc.hot_spot_alerts"}, empty


def test_every_run_succeeded_and_airflow_recorded_its_tasks(stacks):
    *_, history_plan, nightly_plan = stacks
    assert [r.state for r in history_plan.runs] == ["success", "success"]
    assert [r.state for r in nightly_plan.runs] == ["success"] * 4
    tasks = {t.name for t in nightly_plan.runs[0].tasks}
    assert {"land_crm", "dq_raw", "tag_utterances[0]", "tag_utterances[1]", "dbt_build", "dq_marts"} <= tasks
    assert all(t.seconds is not None and t.state == "success" for r in nightly_plan.runs for t in r.tasks)


def test_every_layer_has_rows_for_each_date(stacks):
    from voc.warehouse.counts import counts_by_date

    _, nightly, *_ = stacks
    with psycopg.connect(nightly.warehouse.conninfo()) as conn:
        counts = counts_by_date(conn, DATES)
    for layer in ("raw", "tags", "staging", "marts"):
        for day in DATES:
            assert sum(per_day[day] for per_day in counts[layer].values()) > 0, (layer, day)
    tables = {table: per_day for layer in counts.values() for table, per_day in layer.items()}
    for table in ("raw.crm_turns", "raw.ticketing_tickets", "raw.survey_responses", "raw.corebank_aum_daily",
                  "tags.utterances", "tags.conversation_signals",
                  "marts_customer.customer_signals_daily"):
        assert all(tables[table][d] for d in DATES), table
    # a word must recur in a day's uncovered complaints to rank; a small bank may have a quiet day
    assert any(tables["tags.emerging_topics"][d] for d in DATES)


def test_tagging_was_shared_by_mapped_partitions(stacks):
    history, *_ = stacks
    with psycopg.connect(history.warehouse.conninfo()) as conn:
        partitions = conn.execute(
            "select distinct tag_partition from tags.utterances where business_date = %s order by 1", (DEMO_END,)
        ).fetchall()
        planned = conn.execute("select partitions from tags.tag_partitioning where business_date = %s",
                               (DEMO_END,)).fetchone()[0]
    assert [p for (p,) in partitions] == list(range(planned)) and planned >= 2


def test_quality_gates_passed_and_were_recorded_for_each_date(stacks):
    history, *_ = stacks
    with psycopg.connect(history.warehouse.conninfo()) as conn:
        rows = conn.execute("select business_date, suite, success from dq.checkpoint_results").fetchall()
    assert sorted(rows) == sorted((d, s, True) for d in DATES for s in ("raw", "tags", "marts"))


def test_no_personal_data_in_clear_in_raw_or_tags(stacks):
    history, *_ = stacks
    mobile = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
    with psycopg.connect(history.warehouse.conninfo()) as conn:
        texts = [r[0] for r in conn.execute(
            "select text from raw.crm_turns union all select body from raw.ticketing_tickets "
            "union all select comment from raw.survey_responses union all select redacted_text from tags.utterances"
        )]
        redacted = conn.execute("select coalesce(sum(pii_count), 0) from raw.crm_turns").fetchone()[0]
    assert texts and not [t for t in texts if mobile.search(t) or "@" in t and re.search(r"\w+@\w+\.\w+", t)]
    assert redacted > 0, "the demo plants PII in some turns; none was redacted"


def test_retag_with_a_new_taxonomy_version_keeps_the_old_one(stacks, tmp_path, monkeypatch):
    import yaml

    from voc.business_date import BusinessDates
    from voc.jobs.run import retag_range
    from voc.tagging.taxonomy import TAXONOMY_DIR

    _, nightly, *_ = stacks
    v1 = yaml.safe_load((TAXONOMY_DIR / "voc_taxonomy_v1.yaml").read_text(encoding="utf-8"))
    v2 = {**v1, "version": 2}
    v2["families"]["feedback"]["dimensions"]["question"]["values"]["anything"] = {"label": "任何提问",
                                                                                   "speaker": "customer"}
    v2["rules"] = {**v1["rules"], "feedback.question.anything": [{"any": ["吗", "？", "?"], "question": "any"}]}
    (tmp_path / "voc_taxonomy_v1.yaml").write_text((TAXONOMY_DIR / "voc_taxonomy_v1.yaml").read_text("utf-8"), "utf-8")
    (tmp_path / "voc_taxonomy_v2.yaml").write_text(yaml.safe_dump(v2, allow_unicode=True), "utf-8")
    monkeypatch.setenv("VOC_TAXONOMY_DIR", str(tmp_path))

    def by_version(conn):
        return dict(conn.execute("select taxonomy_version, count(*) from tags.utterances where business_date = %s "
                                 "group by 1", (DEMO_END,)).fetchall())

    before_content = content(nightly)
    with psycopg.connect(nightly.warehouse.conninfo()) as conn:
        before = by_version(conn)
    retag_range(nightly, BusinessDates(DATES[-2], DATES[-1]), 2, echo=lambda *_: None)
    with psycopg.connect(nightly.warehouse.conninfo()) as conn:
        after = by_version(conn)
        new_code = conn.execute("select taxonomy_version, count(*) from tags.utterance_tags where business_date = %s "
                                "and code = 'feedback.question.anything' group by 1", (DEMO_END,)).fetchall()
        gate = conn.execute("select success from dq.checkpoint_results where business_date = %s and suite = 'tags'",
                            (DEMO_END,)).fetchone()[0]
        # clean up so the comparison with the history warehouse sees only v1 again
        for table in ("utterances", "utterance_tags", "evidence", "conversation_signals", "emerging_topics",
                      "tag_partitioning", "taxonomy_codes"):
            conn.execute(f"delete from tags.{table} where taxonomy_version = 2")
        conn.commit()
    assert after == {1: before[1], 2: before[1]}
    assert [v for v, n in new_code if n > 0] == [2]
    assert gate is True
    changed = {t for t, h in content(nightly).items() if before_content[t] != h}
    assert changed <= {"dq.checkpoint_results"}, changed  # v1's tags and everything downstream untouched


def test_airflow_lists_no_import_errors(stacks):
    from voc.airflow_runner import airflow_bin, airflow_env

    stack, *_ = stacks
    out = subprocess.run([airflow_bin(), "dags", "list-import-errors", "-o", "json"], env=airflow_env(stack),
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] in ("[]", "No data found"), out.stdout[-2000:]
