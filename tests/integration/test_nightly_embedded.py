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


def test_airflow_lists_no_import_errors(run):
    from voc.airflow_runner import airflow_bin, airflow_env

    stack, _ = run
    out = subprocess.run([airflow_bin(), "dags", "list-import-errors", "-o", "json"], env=airflow_env(stack),
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] in ("[]", "No data found"), out.stdout[-2000:]
