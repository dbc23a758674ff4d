"""`dbt build` of dbt_project/ end to end on a throwaway embedded Postgres.

The warehouse DDL is applied, the hand-made partition of 2026-11-14 (D1) is landed and built, then the
partition of 2026-11-15 (D2) is landed and built incrementally, as the nightly pipeline does (the business
date in VOC_DBT_DATE_FROM/TO). The marts
are checked against values computed by hand (README.md beside this file explains the data set), a re-run
of the same date must change nothing, a full refresh must give the same content as the nightly runs, and
a re-run after the upstream partition shrank must drop the vanished rows.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
PROJECT = REPO / "dbt_project"
DDL = [REPO / "plugins/voc/warehouse/sql/010_raw.sql", REPO / "plugins/voc/warehouse/sql/020_tags.sql"]
FIXTURES = Path(__file__).parent / "fixtures"
D1, D2 = "2026-11-14", "2026-11-15"

MARTS = ["marts_customer.customer_signals_daily", "marts_roi.roi_signal_daily"]


class Warehouse:
    """The embedded server's database `wh`, and dbt pointed at it with every output under tmp_path."""

    def __init__(self, uri: str, work: Path):
        self.uri = uri
        self.work = work

    def execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.uri, autocommit=False) as conn:
            conn.execute(sql)

    def rows(self, sql: str) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.uri) as conn:
            return conn.execute(sql).fetchall()

    def land(self, business_date: str) -> None:
        self.execute((FIXTURES / f"warehouse_{business_date}.sql").read_text(encoding="utf-8"))

    def dbt(self, *args: str):
        from dbt.cli.main import dbtRunner

        result = dbtRunner().invoke(
            [
                *args,
                "--project-dir", str(PROJECT),
                "--profiles-dir", str(PROJECT),
                "--target-path", str(self.work / "target"),
                "--log-path", str(self.work / "logs"),
            ]
        )
        if result.exception is not None:
            raise result.exception
        failed = [
            f"{r.node.unique_id}: {r.status} {r.message}"
            for r in (result.result or [])
            if str(r.status) not in ("success", "pass")
        ]
        assert result.success and not failed, "dbt " + " ".join(args) + " failed:\n" + "\n".join(failed)
        return result

    def build(self, business_date: str, *extra: str, command: str = "build", last_date: str | None = None):
        """dbt for a business date (or the range up to ``last_date``), passed as the pipeline passes it."""
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("VOC_DBT_DATE_FROM", business_date)
            mp.setenv("VOC_DBT_DATE_TO", last_date or business_date)
            return self.dbt(command, *extra)

    def counts(self) -> dict[str, list[tuple]]:
        return {
            mart: self.rows(f"select business_date, count(*) from {mart} group by 1 order by 1") for mart in MARTS
        }

    def content_hash(self) -> dict[str, str]:
        return {
            mart: self.rows(f"select md5(string_agg(t::text, '|' order by t::text)) from {mart} t")[0][0]
            for mart in MARTS
        }


def publish_taxonomy_codes(uri: str) -> None:
    """tags.taxonomy_codes as the tagging run publishes it (the fixtures are tagged with version 1)."""
    import psycopg

    from voc.pipeline.tag import publish_taxonomy
    from voc.tagging.taxonomy import Taxonomy

    with psycopg.connect(uri) as conn:
        publish_taxonomy(conn, Taxonomy.load(1))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """A private Postgres with the raw/tags DDL and D1 landed; dbt's connection env vars point at it."""
    import pgserver

    tmp = tmp_path_factory.mktemp("dbt_build")
    server = pgserver.get_server(tmp / "pg", cleanup_mode="delete")
    try:
        server.psql("create database wh;")
        uri = server.get_uri("wh")
        url = urlparse(uri)
        socket_dir = parse_qs(url.query)["host"][0]
        env = {
            "VOC_DBT_HOST": socket_dir,
            "VOC_DBT_USER": url.username or "postgres",
            "VOC_DBT_DBNAME": "wh",
            "VOC_DBT_THREADS": "2",
        }
        with pytest.MonkeyPatch.context() as mp:
            for key, value in env.items():
                mp.setenv(key, value)
            for key in ("VOC_DBT_PORT", "VOC_DBT_PASSWORD", "VOC_DBT_SCHEMA"):
                mp.delenv(key, raising=False)
            mp.setenv("DO_NOT_TRACK", "1")
            wh = Warehouse(uri, tmp)
            for ddl in DDL:
                wh.execute(ddl.read_text(encoding="utf-8"))
            publish_taxonomy_codes(uri)
            wh.land(D1)
            yield wh
    finally:
        server.cleanup()


@pytest.fixture(scope="module")
def nightly(warehouse):
    """Night of D1 (first build: creates the marts), then D2 lands and the night of D2 runs incrementally."""
    warehouse.build(D1)
    warehouse.land(D2)
    warehouse.build(D2)
    return warehouse


# customer_signals_daily, by hand (README.md): per (date, customer)
#   total_aum, utterances, customer utterances, negative, tags by family (profile, preference, objection,
#   feedback, emotion, need, compliance), anxiety, hidden need, tickets opened, churned, new holdings, amount
CUSTOMER_SIGNALS = {
    # A: conv1 = agent greeting + "钱越理越少…急用钱" (anxiety + liquidity need) + "二十来万闲着" (idle funds)
    (D1, "A"): ("500000.00", 3, 2, 1, (1, 0, 0, 0, 1, 1, 0), True, True, 0, False, 0, "0.00"),
    # B: "收益太低…坐过山车" — return_low (feedback) + rollercoaster (emotion.anxiety)
    (D1, "B"): ("80000.00", 1, 1, 1, (0, 0, 0, 1, 1, 0, 0), True, False, 0, False, 0, "0.00"),
    # C: ticket T1 fee_high + value_doubt, T1 created that day; insurance h4 opened that day
    (D1, "C"): ("2000000.00", 1, 1, 1, (0, 0, 0, 1, 0, 1, 0), False, True, 1, False, 1, "100000.00"),
    # D: complaint + dislikes_calls; the agent's discourage is the agent's signal, not D's; account closed
    (D1, "D"): ("0.00", 2, 1, 1, (0, 0, 1, 1, 0, 0, 0), False, False, 0, True, 0, "0.00"),
    # A: survey praise only (the taxonomy-v2 utterance is ignored); h5 opened 18:30 UTC 11-14 = 11-15 in Shanghai
    (D2, "A"): ("550000.00", 1, 1, 0, (0, 0, 0, 1, 0, 0, 0), False, False, 0, False, 1, "50000.00"),
    # B: liquidity anxiety + complaint (the agent's guaranteed-return promise is not B's); T2 created 00:20
    #    Shanghai; aum_drop
    (D2, "B"): ("20000.00", 2, 1, 1, (0, 0, 0, 1, 0, 1, 0), True, True, 1, True, 0, "0.00"),
    # C: nothing said; T1's late update on D2 is not a new ticket
    (D2, "C"): ("2000000.00", 0, 0, 0, (0, 0, 0, 0, 0, 0, 0), False, False, 0, False, 0, "0.00"),
    # E: new customer, incoming funds + fund preference; h6 opened that day
    (D2, "E"): ("10000.00", 1, 1, 0, (1, 1, 0, 0, 0, 0, 0), False, False, 0, False, 1, "10000.00"),
}

# roi_signal_daily, by hand (README.md), window 30 days, margin 80 bps, first-year margin 0.006:
#   (date, level, signal): (N, churned N, p0, N_signal, signal AUM, churned signal, p_hat, AUM at risk,
#                           converted signal, conv_signal, control N, converted control, conv_control,
#                           avg new-holding amount, uplift)
ROI = {
    # D1: N = 4 (A B C D), churned D → p0 = 1/4; new holdings: h4 100 000 → avg 100 000
    # emotion: A B D, AUM 500 000 + 80 000 + 0; p̂ = 1/3 → 580 000 × (1/3 − 1/4) × 0.008 = 386.67
    #   nobody converted after the signal; control C converted → 3 × (0 − 1) × 0.006 × 100 000 = −1 800
    (D1, "family", "emotion"): (4, 1, "0.250000", 3, "580000.00", 1, "0.333333", "386.67",
                                0, "0.000000", 1, 1, "1.000000", "100000.00", "-1800.00"),
    # fee_high: C, 2 000 000, p̂ = 0 → 2 000 000 × (−1/4) × 0.008 = −4 000; C bought h4 at 15:00 after the
    #   10:00 ticket → conv 1 vs control 0/3 → 1 × 1 × 0.006 × 100 000 = 600
    (D1, "code", "feedback.negative.fee_high"): (4, 1, "0.250000", 1, "2000000.00", 0, "0.000000", "-4000.00",
                                                 1, "1.000000", 3, 0, "0.000000", "100000.00", "600.00"),
    # D2: N = 5 (A B C D E; D is in the D1 snapshot of the window), churned D B → p0 = 2/5;
    #   new holdings h4 100 000, h5 50 000, h6 10 000 → avg 53 333.33, converted in window A C E
    # need: A (D1, 500 000), C (D1, 2 000 000), B (first on D2: 20 000) → 2 520 000; churned B → p̂ = 1/3
    #   → 2 520 000 × (1/3 − 2/5) × 0.008 = −1 344; converted after signal A (h5), C (h4) → 2/3;
    #   control D E, E converted → 1/2 → 3 × (2/3 − 1/2) × 0.006 × 53 333.33 = 160
    (D2, "family", "need"): (5, 2, "0.400000", 3, "2520000.00", 1, "0.333333", "-1344.00",
                             2, "0.666667", 2, 1, "0.500000", "53333.33", "160.00"),
    # feedback: B D C on D1, A first on D2 (AUM 550 000) → 2 630 000; churned B D → 1/2 → 2 104;
    #   only C converted after its signal (A's h5 at 02:30 precedes A's 12:00 survey) → 1/4;
    #   control E converted → 1 → 4 × (1/4 − 1) × 320 = −960
    (D2, "family", "feedback"): (5, 2, "0.400000", 4, "2630000.00", 2, "0.500000", "2104.00",
                                 1, "0.250000", 1, 1, "1.000000", "53333.33", "-960.00"),
    # liquidity_anxiety: A (D1, 500 000), B (D2, 20 000); churned B → 1/2 → 520 000 × 0.1 × 0.008 = 416;
    #   A converted → 1/2; control C D E, C E converted → 2/3 → 2 × (1/2 − 2/3) × 320 = −106.67
    (D2, "code", "need.hidden.liquidity_anxiety"): (5, 2, "0.400000", 2, "520000.00", 1, "0.500000", "416.00",
                                                    1, "0.500000", 3, 2, "0.666667", "53333.33", "-106.67"),
    # profile: A (idle, D1) and E (incoming, D2: h6 at 09:00 precedes the 10:00 call) → conv 1/2;
    #   control B C D, C converted → 1/3 → 2 × (1/2 − 1/3) × 320 = 106.67; AUM 510 000 × (0 − 2/5) × 0.008
    (D2, "family", "profile"): (5, 2, "0.400000", 2, "510000.00", 0, "0.000000", "-1632.00",
                                1, "0.500000", 3, 1, "0.333333", "53333.33", "106.67"),
}

FAMILIES = ["profile", "preference", "objection", "feedback", "emotion", "need", "compliance"]


def _customer_signals(wh: Warehouse) -> dict:
    family_cols = ", ".join(f"{f}_tag_count" for f in FAMILIES)
    rows = wh.rows(
        f"""
        select business_date::text, customer_id, total_aum::text, utterance_count, customer_utterance_count,
               negative_utterance_count, {family_cols}, has_anxiety_signal, has_hidden_need,
               complaint_tickets_opened, is_churned, new_holdings_count, new_holdings_amount::text
        from marts_customer.customer_signals_daily
        """
    )
    out = {}
    for r in rows:
        families = tuple(r[6:13])
        out[(r[0], r[1])] = (r[2], r[3], r[4], r[5], families, *r[13:])
    return out


def _roi(wh: Warehouse) -> dict:
    rows = wh.rows(
        """
        select business_date::text, signal_level, signal,
               customers_in_window, churned_in_window, base_churn_rate::text, customers_with_signal,
               signal_aum::text, churned_with_signal, signal_churn_rate::text, aum_at_risk::text,
               converted_with_signal, signal_conversion_rate::text, control_customers, converted_control,
               control_conversion_rate::text, avg_new_holding_amount::text, cross_sell_uplift::text
        from marts_roi.roi_signal_daily
        """
    )
    return {(r[0], r[1], r[2]): tuple(r[3:]) for r in rows}


def test_customer_signals_daily_matches_hand_computation(nightly):
    assert _customer_signals(nightly) == CUSTOMER_SIGNALS


def test_roi_signal_daily_matches_hand_computation(nightly):
    roi = _roi(nightly)
    for key, expected in ROI.items():
        assert roi.get(key) == expected, key
    # every code and family seen in the window: D1 has 10 codes + 5 families, D2 14 codes + 7 families
    assert nightly.counts()["marts_roi.roi_signal_daily"] == [
        (date(2026, 11, 14), 15),
        (date(2026, 11, 15), 21),
    ]
    # the taxonomy-v2 tag never reaches the marts
    assert not [k for k in roi if k[2] == "emotion.anxiety.afraid_redeem"]
    # AUM at risk keeps its sign; the tag families carry their Chinese label from the seed
    labels = dict(nightly.rows("select distinct signal, tag_family_label from marts_roi.roi_signal_daily "
                               "where signal_level = 'family'"))
    assert labels["emotion"] == "情绪预警" and labels["need"] == "隐性需求"
    total = nightly.rows(f"select sum(total_aum) from marts_customer.customer_signals_daily where business_date = '{D2}'")
    assert total[0][0] == Decimal("2580000.00")  # reconciles with raw: 550 000 + 20 000 + 2 000 000 + 10 000


def test_rerunning_a_date_changes_nothing(nightly):
    before_counts, before_hash = nightly.counts(), nightly.content_hash()
    nightly.build(D2)
    assert nightly.counts() == before_counts
    assert nightly.content_hash() == before_hash
    nightly.build(D1)  # an older date re-run incrementally (backfill) gives the same rows too
    assert nightly.counts() == before_counts
    assert nightly.content_hash() == before_hash


def test_one_build_over_both_dates_equals_the_nightly_runs(nightly):
    """A history load builds its whole range at once; the marts must come out as night by night."""
    before = nightly.content_hash()
    nightly.execute(f"delete from marts_customer.customer_signals_daily; delete from marts_roi.roi_signal_daily")
    nightly.build(D1, last_date=D2)
    assert nightly.content_hash() == before


def test_full_refresh_equals_the_nightly_runs(nightly):
    before = nightly.content_hash()
    nightly.build(D2, "--full-refresh")
    assert nightly.content_hash() == before


def test_rerun_replaces_the_partition(nightly):
    """Core banking re-delivers D2 without customer E: re-running D2 must drop E's row, not keep it."""
    nightly.execute(f"delete from raw.corebank_customers where business_date = '{D2}' and customer_id = 'E'")
    try:
        nightly.build(D2, "--select", "marts", command="run")
        customers = nightly.rows(
            f"select customer_id from marts_customer.customer_signals_daily where business_date = '{D2}' order by 1"
        )
        assert [c for (c,) in customers] == ["A", "B", "C"]
        # E's signals (preference, incoming funds) are no longer in the window's population
        signals = {s for (s,) in nightly.rows(f"select signal from marts_roi.roi_signal_daily where business_date = '{D2}'")}
        assert "preference" not in signals and "profile.funds.incoming" not in signals
        assert nightly.rows(f"select count(*) from marts_customer.customer_signals_daily where business_date = '{D1}'") == [(4,)]
    finally:
        nightly.execute(
            "insert into raw.corebank_customers (business_date, customer_id, tier, segment, branch_id, rm_id, opened_on, updated_at) "
            f"values ('{D2}', 'E', 'mass', 'salaried', 'BR01', 'RM1', '2026-11-15', '2026-11-15 09:00+08')"
        )
