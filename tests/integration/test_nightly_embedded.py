"""voc_nightly for one business date through Airflow itself (`airflow dags test`) on the embedded warehouse."""

from __future__ import annotations

import re
import subprocess

import psycopg
import pytest

from demo_stack import DEMO_END, make_stack

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def run(voc_env):
    from voc.jobs.run import run_range
    from voc.warehouse import embedded

    stack = make_stack()
    report = run_range(stack, [DEMO_END], echo=lambda *_: None)
    yield stack, report
    embedded.stop()


def test_every_layer_has_rows_for_the_date(run):
    _, report = run
    for layer in ("raw", "tags", "staging", "marts"):
        total = sum(per_day[DEMO_END] for per_day in report.counts[layer].values())
        assert total > 0, f"layer {layer} is empty for {DEMO_END}: {report.counts[layer]}"
    marts = report.counts["marts"]
    assert marts["marts_customer.customer_signals_daily"][DEMO_END] > 0
    assert marts["marts_roi.roi_signal_daily"][DEMO_END] > 0
    for table in ("raw.crm_turns", "raw.ticketing_tickets", "raw.survey_responses", "raw.corebank_aum_daily"):
        assert report.counts["raw"][table][DEMO_END] > 0, table
    for table in ("tags.utterances", "tags.utterance_tags", "tags.evidence", "tags.conversation_signals",
                  "tags.emerging_topics"):
        assert report.counts["tags"][table][DEMO_END] > 0, table


def test_tagging_was_shared_by_mapped_partitions(run):
    stack, _ = run
    with psycopg.connect(stack.warehouse.conninfo()) as conn:
        partitions = conn.execute(
            "select tag_partition, count(*) from tags.utterances where business_date = %s group by 1 order by 1",
            (DEMO_END,)).fetchall()
        planned = conn.execute("select partitions from tags.tag_partitioning where business_date = %s",
                               (DEMO_END,)).fetchone()[0]
    assert [p for p, _ in partitions] == list(range(planned)) and planned >= 2


def test_quality_gates_passed_and_were_recorded(run):
    stack, _ = run
    with psycopg.connect(stack.warehouse.conninfo()) as conn:
        rows = dict(conn.execute(
            "select suite, success from dq.checkpoint_results where business_date = %s", (DEMO_END,)
        ).fetchall())
    assert rows == {"raw": True, "tags": True, "marts": True}


def test_no_personal_data_in_clear_in_raw_or_tags(run):
    stack, _ = run
    mobile = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
    with psycopg.connect(stack.warehouse.conninfo()) as conn:
        texts = [r[0] for r in conn.execute(
            "select text from raw.crm_turns union all select body from raw.ticketing_tickets "
            "union all select comment from raw.survey_responses union all select redacted_text from tags.utterances"
        )]
        redacted = conn.execute("select coalesce(sum(pii_count), 0) from raw.crm_turns").fetchone()[0]
    assert texts and not [t for t in texts if mobile.search(t) or "@" in t and re.search(r"\w+@\w+\.\w+", t)]
    assert redacted > 0, "the demo plants PII in some turns; none was redacted"


def test_rerun_of_the_same_date_changes_no_row_count(run):
    from voc.jobs.run import run_range
    from voc.warehouse.counts import table_totals

    stack, _ = run
    with psycopg.connect(stack.warehouse.conninfo()) as conn:
        before = table_totals(conn)
    run_range(stack, [DEMO_END], echo=lambda *_: None)
    with psycopg.connect(stack.warehouse.conninfo()) as conn:
        after = table_totals(conn)
    assert before == after
    assert before["raw.crm_turns"] > 0


def test_retag_with_a_new_taxonomy_version_keeps_the_old_one(run, tmp_path, monkeypatch):
    import yaml

    from voc.jobs.run import retag_range
    from voc.tagging.taxonomy import TAXONOMY_DIR
    from voc.warehouse.counts import table_totals

    stack, _ = run
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

    with psycopg.connect(stack.warehouse.conninfo()) as conn:
        before = by_version(conn)
        totals = table_totals(conn)
    retag_range(stack, DEMO_END, DEMO_END, 2, echo=lambda *_: None)
    with psycopg.connect(stack.warehouse.conninfo()) as conn:
        after = by_version(conn)
        new_code = conn.execute("select taxonomy_version, count(*) from tags.utterance_tags where business_date = %s "
                                "and code = 'feedback.question.anything' group by 1", (DEMO_END,)).fetchall()
        gate = conn.execute("select success from dq.checkpoint_results where business_date = %s and suite = 'tags'",
                            (DEMO_END,)).fetchone()[0]
        # clean up so later tests see only v1 again
        for table in ("utterances", "utterance_tags", "evidence", "conversation_signals", "emerging_topics",
                      "tag_partitioning"):
            conn.execute(f"delete from tags.{table} where taxonomy_version = 2")
        conn.commit()
        assert table_totals(conn) == totals
    assert after == {1: before[1], 2: before[1]}
    assert [v for v, n in new_code if n > 0] == [2]
    assert gate is True


def test_airflow_lists_no_import_errors(run):
    from voc.airflow_runner import airflow_bin, airflow_env

    stack, _ = run
    out = subprocess.run([airflow_bin(), "dags", "list-import-errors", "-o", "json"], env=airflow_env(stack),
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] in ("[]", "No data found"), out.stdout[-2000:]
