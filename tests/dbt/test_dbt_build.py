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

# mart -> the column its rows are dated by (a business date, or the first day of a month)
# Every mart, with the column that says which period a row belongs to (each rerun/backfill test covers all).
MARTS = {
    "marts_customer.customer_signals_daily": "business_date",
    "marts_customer.customer_tiering": "as_of_month",
    "marts_customer.churn_watchlist": "business_date",
    "marts_customer.customer_profile": "customer_id",
    "marts_customer.rm_opportunities": "business_date",
    "marts_roi.signal_effects": "as_of_month",
    "marts_service.complaint_sla": "business_date",
    "marts_service.complaint_sla_monthly": "as_of_month",
    "marts_service.agent_scorecard": "as_of_month",
    "marts_voc.nps_monthly": "as_of_month",
    "marts_voc.topic_nps_impact": "as_of_month",
    "marts_voc.hot_spot_alerts": "iso_week_start",
}


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
            for r in (result.result if hasattr(result.result, "__iter__") else [])  # docs generate: a catalog
            if str(r.status) not in ("success", "pass")
        ]
        assert result.success and not failed, "dbt " + " ".join(args) + " failed:\n" + "\n".join(failed)
        return result

    def build(self, business_date: str, *extra: str, command: str = "build", last_date: str | None = None,
              unit_tests: bool = False):
        """dbt for a business date (or the range up to ``last_date``), passed as the pipeline passes it; without
        the unit tests (as the pipeline runs it) unless asked: they need no data, the first build runs them."""
        if command == "build" and not unit_tests:
            extra = (*extra, "--exclude-resource-type", "unit_test")
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("VOC_DBT_DATE_FROM", business_date)
            mp.setenv("VOC_DBT_DATE_TO", last_date or business_date)
            return self.dbt(command, *extra)

    def counts(self) -> dict[str, list[tuple]]:
        return {
            mart: self.rows(f"select {period}, count(*) from {mart} group by 1 order by 1") for mart, period in MARTS.items()
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
    warehouse.build(D1, unit_tests=True)
    warehouse.land(D2)
    warehouse.build(D2)
    return warehouse


# customer_signals_daily, by hand (README.md): per (date, customer)
#   total_aum, utterances, customer utterances, negative, tags by family (profile, preference, objection,
#   feedback, emotion, need, compliance), anxiety, hidden need, tickets opened, churned, new holdings, amount,
#   mean sentiment and max emotion intensity of the customer's own utterances, tickets open at day end, tickets
#   closed that day (resolved/closed), tier of the day's AUM band (mass < 500 000 <= wealth < 6 000 000), tier of
#   the last month-end review (none: October is not in the data). No conversation_signals in the fixtures, so the
#   agent caution density is empty everywhere.
CUSTOMER_SIGNALS = {
    # A: conv1 = agent greeting + "钱越理越少…急用钱" (anxiety + liquidity need) + "二十来万闲着" (idle funds);
    #    sentiment (-0.6 + 0.0) / 2, intensity max(0.5, 0.0)
    (D1, "A"): ("500000.00", 3, 2, 1, (1, 0, 0, 0, 1, 1, 0), True, True, 0, False, 0, "0.00",
                "-0.3000", "0.5000", 0, 0, "wealth", None),
    # B: "收益太低…坐过山车" — return_low (feedback) + rollercoaster (emotion.anxiety)
    (D1, "B"): ("80000.00", 1, 1, 1, (0, 0, 0, 1, 1, 0, 0), True, False, 0, False, 0, "0.00",
                "-0.7000", "0.4000", 0, 0, "mass", None),
    # C: ticket T1 fee_high + value_doubt, T1 created and answered that day (open at day end); insurance h4
    #    opened that day; 2 000 000 is the wealth band although the bank says private
    (D1, "C"): ("2000000.00", 1, 1, 1, (0, 0, 0, 1, 0, 1, 0), False, True, 1, False, 1, "100000.00",
                "-0.5000", "0.3000", 1, 0, "wealth", None),
    # D: complaint + dislikes_calls; the agent's discourage is the agent's signal, not D's; account closed
    (D1, "D"): ("0.00", 2, 1, 1, (0, 0, 1, 1, 0, 0, 0), False, False, 0, True, 0, "0.00",
                "-0.9000", "0.9000", 0, 0, "mass", None),
    # A: survey praise only (the taxonomy-v2 utterance is ignored); h5 opened 18:30 UTC 11-14 = 11-15 in Shanghai
    (D2, "A"): ("550000.00", 1, 1, 0, (0, 0, 0, 1, 0, 0, 0), False, False, 0, False, 1, "50000.00",
                "0.7000", "0.0000", 0, 0, "wealth", None),
    # B: liquidity anxiety + complaint (the agent's guaranteed-return promise is not B's); T2 created 00:20
    #    Shanghai and still open; aum_drop
    (D2, "B"): ("20000.00", 2, 1, 1, (0, 0, 0, 1, 0, 1, 0), True, True, 1, True, 0, "0.00",
                "-0.8000", "0.8000", 1, 0, "mass", None),
    # C: nothing said (no sentiment); T1's late update on D2 is not a new ticket: it was resolved that day
    (D2, "C"): ("2000000.00", 0, 0, 0, (0, 0, 0, 0, 0, 0, 0), False, False, 0, False, 0, "0.00",
                None, None, 0, 1, "wealth", None),
    # E: new customer, incoming funds + fund preference; h6 opened that day
    (D2, "E"): ("10000.00", 1, 1, 0, (1, 1, 0, 0, 0, 0, 0), False, False, 0, False, 1, "10000.00",
                "0.4000", "0.0000", 0, 0, "mass", None),
}

# signal_effects on the 2-date fixture, by hand (README.md): one effect month, 2026-11 (cutoff D2). Two days
# cannot observe a 30-day conversion window, a month-end flow or a 72-hour deadline, so only churn_rate_difference
# and aum_at_risk rows exist, and their intervals are as wide as two days of data allow. 90-day churn probability
# p = 1 - exp(-90 h); Poisson score bounds (x + z^2/2 -/+ z sqrt(x + z^2/4)) / days, z = 1.959964; MOVER difference.
#   (signal, segment, metric): (estimate, ci_low, ci_high, n_treated, n_control, treated_value, control_value)
ROI = {
    # B churned on D2, the day after voicing anxiety (rollercoaster); A voiced it on D1 too and stayed. Each is alone
    # in their stratum, matched to their own pre-signal day (D1, no churn): h_t = 1 churn / 2 days, h_c = 0 ->
    # p_t = 1 - e^-45 = 1.000000, p_c = 0; the treated's lower bound 1 - e^(-90 x 0.088262) = 0.999645, the
    # control's upper bound 1 - e^(-90 x 3.8415 / 2) = 1 -> [1 - sqrt(0.000355^2 + 1^2), 1] = [-0.000000, 1]
    ("emotion.anxiety", "all", "churn_rate_difference"): (
        "1.000000", "0.000000", "1.000000", 2, 2, "1.000000", "0.000000"),
    # liquidity anxiety: A from D1 (0 churns in 1 day) against A's own D1; B voiced it on D2, its last day, after
    # the role mate (anxiety, D1) had already taken it out of the control: 0 - 0 with [-1, 1], one day each side
    ("need.hidden.liquidity_anxiety", "all", "churn_rate_difference"): (
        "0.000000", "-1.000000", "1.000000", 1, 1, "0.000000", "0.000000"),
    # AUM at risk of the feedback family: treated B (80 000 on D1, churned D2) and C (2 000 000, stayed): 1 churn in 2
    # days; D voiced it on its last day (no day after), A only on D2; never voiced: E, 0 in 1 day ->
    # 2 080 000 x 0.008 x (1.000000 - 0) = 16 640; low 16 640 x (1 - sqrt((1 - 0.999645)^2 + 1)) = -0.001048
    ("feedback", "all", "aum_at_risk"): (
        "16640.000000", "-0.001048", "16640.000000", 2, 1, "1.000000", "0.000000"),
    # AUM at risk of liquidity anxiety: A (500 000) 0 churns in 1 day; never voiced it nor anxiety: C (2 days),
    # D (1 day, churned), E (1 day) -> p0 = 1 - e^(-90/4) = 1.000000 -> 4 000 x (0 - 0.99999999983) = -3 999.999999
    ("need.hidden.liquidity_anxiety", "all", "aum_at_risk"): (
        "-3999.999999", "-4000.000000", "0.709787", 1, 3, "0.000000", "1.000000"),
}

FAMILIES = ["profile", "preference", "objection", "feedback", "emotion", "need", "compliance"]


def _customer_signals(wh: Warehouse) -> dict:
    family_cols = ", ".join(f"{f}_tag_count" for f in FAMILIES)
    rows = wh.rows(
        f"""
        select business_date::text, customer_id, total_aum::text, utterance_count, customer_utterance_count,
               negative_utterance_count, {family_cols}, has_anxiety_signal, has_hidden_need,
               complaint_tickets_opened, is_churned, new_holdings_count, new_holdings_amount::text,
               mean_sentiment_score::text, max_emotion_intensity::text, complaint_tickets_open,
               complaint_tickets_closed, aum_band_tier, month_end_tier
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
        select signal, segment, metric, estimate::text, ci_low::text, ci_high::text, n_treated, n_control,
               treated_value::text, control_value::text
        from marts_roi.signal_effects
        where as_of_month = '2026-11-01'
        """
    )
    return {(r[0], r[1], r[2]): tuple(r[3:]) for r in rows}


def test_customer_signals_daily_matches_hand_computation(nightly):
    assert _customer_signals(nightly) == CUSTOMER_SIGNALS
    assert nightly.rows("select count(*) from marts_customer.customer_signals_daily where agent_caution_density is not null") == [(0,)]
    # the other customer marts, by hand (README.md)
    # churn watch list, window 30 days: A and B voiced anxiety on D1 (score 1 each, A first by AUM); A's evidence
    # is its 09:01 utterance, whose two churn-risk codes give the first in code order; on D2 B is out (aum_drop
    # that day) and A's D1 signal weighs (30 - 1) / 30
    assert sorted(nightly.rows(
        "select business_date::text, customer_id, risk_score::text, risk_rank, evidence_tag_code, evidence_utterance_id "
        "from marts_customer.churn_watchlist"
    )) == [
        (D1, "A", "1.0000", 1, "emotion.anxiety.shrinking_wealth", "crm:conv1:2"),
        (D1, "B", "1.0000", 2, "emotion.anxiety.rollercoaster", "crm:conv2:1"),
        (D2, "A", "0.9667", 1, "emotion.anxiety.shrinking_wealth", "crm:conv1:2"),
    ]
    # RM opportunities: A's idle funds (D1), E's incoming funds (D2); potential = AUM x 0.30; E prefers funds
    assert sorted(nightly.rows(
        "select business_date::text, customer_id, opportunity_rank, aum_potential::text, signal_tag_code, preferred_product "
        "from marts_customer.rm_opportunities"
    )) == [
        (D1, "A", 1, "150000.00", "profile.funds.idle", None),
        (D2, "A", 1, "165000.00", "profile.funds.idle", None),
        (D2, "E", 2, "3000.00", "profile.funds.incoming", "基金"),
    ]
    # profile as of D2: latest profile/preference values, and D's dislikes_calls (D1) still open (30 days)
    assert sorted(nightly.rows("select customer_id, tag_code, entry_type, business_date::text from marts_customer.customer_profile")) == [
        ("A", "profile.funds.idle", "latest_value", D1),
        ("D", "objection.risk.dislikes_calls", "open_objection", D1),
        ("E", "preference.product.fund", "latest_value", D2),
        ("E", "profile.funds.incoming", "latest_value", D2),
    ]
    # tiering: November as of D2 (D left the snapshot); A anxious -> at_risk, B churned, E opened D2 -> new
    assert sorted(nightly.rows(
        "select customer_id, business_date::text, month_end_aum::text, aum_tier, upgrade_candidate, lifecycle_stage "
        "from marts_customer.customer_tiering where as_of_month = '2026-11-01'"
    )) == [
        ("A", D2, "550000.00", "wealth", False, "at_risk"),
        ("B", D2, "20000.00", "mass", False, "churned"),
        ("C", D2, "2000000.00", "wealth", False, "mature"),
        ("E", D2, "10000.00", "mass", False, "new"),
    ]


def test_signal_effects_matches_hand_computation(nightly):
    roi = _roi(nightly)
    for key, expected in ROI.items():
        assert roi.get(key) == expected, key
    # one effect month; only the churn metrics can be observed in two days
    assert nightly.counts()["marts_roi.signal_effects"] == [(date(2026, 11, 1), 57)]
    assert {k[2] for k in roi} == {"churn_rate_difference", "aum_at_risk"}
    assert nightly.rows("select distinct cutoff_on::text, window_start_on::text from marts_roi.signal_effects") == [
        (D2, "2025-11-16")
    ]
    # customer-spoken only (the agent's 不建议 and 保本 are not signals here), taxonomy v1 only (afraid_redeem is v2),
    # and no signal voiced on a customer's last day without a day after it (E's incoming funds)
    signals = {k[0] for k in roi}
    assert not signals & {"emotion.agent_caution", "compliance", "emotion.anxiety.afraid_redeem", "profile.funds.incoming"}
    # every interval holds its estimate, however small the sample
    assert nightly.rows("select count(*) from marts_roi.signal_effects where not (ci_low <= estimate and estimate <= ci_high)") == [(0,)]
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
    nightly.execute("; ".join(f"delete from {mart}" for mart in MARTS))
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
        assert nightly.rows(f"select count(*) from marts_customer.customer_signals_daily where business_date = '{D1}'") == [(4,)]
    finally:
        nightly.execute(
            "insert into raw.corebank_customers (business_date, customer_id, tier, segment, branch_id, rm_id, opened_on, updated_at) "
            f"values ('{D2}', 'E', 'mass', 'salaried', 'BR01', 'RM1', '2026-11-15', '2026-11-15 09:00+08')"
        )


def test_signal_effects_rerun_replaces_the_month(nightly):
    """Core banking re-delivers D2 without customer E: re-running D2 recomputes November without E.

    The effect month is built from tables of models/intermediate/roi, so the re-run covers them too.
    """
    roi = "path:models/intermediate/roi+"
    key = ("need.hidden.liquidity_anxiety", "all", "aum_at_risk")
    assert _roi(nightly)[key][4] == 3  # never voiced it: C, D, E
    nightly.execute(f"delete from raw.corebank_customers where business_date = '{D2}' and customer_id = 'E'")
    try:
        nightly.build(D2, "--select", roi, command="run")
        assert _roi(nightly)[key][4] == 2  # C, D
    finally:
        nightly.execute(
            "insert into raw.corebank_customers (business_date, customer_id, tier, segment, branch_id, rm_id, opened_on, updated_at) "
            f"values ('{D2}', 'E', 'mass', 'salaried', 'BR01', 'RM1', '2026-11-15', '2026-11-15 09:00+08')"
        )
        nightly.build(D2, "--select", roi, command="run")
    assert _roi(nightly)[key] == ROI[key]


def test_docs_generate_describes_every_mart_column(nightly):
    """`dbt docs generate` works without business dates, and every column of every mart has a description."""
    import json

    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("VOC_DBT_DATE_FROM", raising=False)
        mp.delenv("VOC_DBT_DATE_TO", raising=False)
        nightly.dbt("docs", "generate")
    manifest = json.loads((nightly.work / "target" / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((nightly.work / "target" / "catalog.json").read_text(encoding="utf-8"))
    marts = {uid: node for uid, node in manifest["nodes"].items()
             if node["resource_type"] == "model" and node["schema"].startswith("marts_")}
    assert {f"{n['schema']}.{n['name']}" for n in marts.values()} == set(MARTS)
    undescribed = [
        f"{node['name']}.{column}"
        for uid, node in marts.items()
        for column in catalog["nodes"][uid]["columns"]
        if not (node["columns"].get(column) or {}).get("description", "").strip()
    ]
    assert undescribed == []
    assert all(node["description"].strip() for node in marts.values())
