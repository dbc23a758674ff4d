"""The marts recover every effect planted in the default demo data (plugins/voc/demo/README.md).

The default demo (180 business dates, 3,000 customers) is generated, landed, tagged and built over the whole
range in one pass — the bulk path of a history load, called directly (the Airflow path is covered by
test_nightly_embedded) — and each planted effect is read back from the marts a finance team reads.
"""

from __future__ import annotations

import math
from datetime import timedelta

import psycopg
import pytest

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def demo_warehouse(voc_env):
    """The default demo through land -> tag -> dbt over all its dates; yields a connection to the warehouse."""
    from voc.business_date import BusinessDates
    from voc.demo.generate import generate
    from voc.jobs.demo import demo_config
    from voc.pipeline.dbt import run_dbt
    from voc.pipeline.land import land
    from voc.pipeline.tag import publish_taxonomy, tag_dates
    from voc.sources import corebank, crm, survey, ticketing
    from voc.sources.sql import engine_for
    from voc.stack import resolve
    from voc.tagging import Tagger
    from voc.warehouse import embedded, schema

    stack = resolve()
    schema.init(stack.warehouse)
    cfg = demo_config()
    generate(cfg, crm_url=stack.sources["crm"].url(), ticketing_url=stack.sources["ticketing"].url(),
             corebank_url=stack.sources["corebank"].url(), survey_dir=stack.survey_dir)
    dates = BusinessDates(cfg.end_date - timedelta(days=cfg.days - 1), cfg.end_date)
    tagger = Tagger.load()
    conninfo = stack.warehouse.conninfo()
    with psycopg.connect(conninfo) as conn:
        for name, module in (("crm", crm), ("ticketing", ticketing), ("corebank", corebank)):
            land(conn, dates, module.extract(engine_for(stack.sources[name].sqlalchemy_url()), dates))
        land(conn, dates, survey.extract(stack.survey_dir, dates))
        publish_taxonomy(conn, tagger.taxonomy)
    with psycopg.connect(conninfo, autocommit=True) as read, psycopg.connect(conninfo) as write:
        tag_dates(read, write, dates, tagger)
    # seeds and models only: the data tests run in tests/dbt and through the DAGs in test_nightly_embedded
    run_dbt(["seed"], stack.warehouse, dates, taxonomy_version=tagger.version)
    run_dbt(["run", "--no-write-json"], stack.warehouse, dates, taxonomy_version=tagger.version)
    with psycopg.connect(conninfo) as conn:
        yield conn
    embedded.stop()


def one(conn, sql: str, **params):
    row = conn.execute(sql, params).fetchone()
    assert row is not None, f"no row for:\n{sql}\n{params}"
    return row


@pytest.fixture(scope="module")
def truth():
    """The generator's ground truth (never written to the sources): per-customer signals, churn, migrations."""
    from voc.demo.generate import build
    from voc.jobs.demo import demo_config

    return build(demo_config()).truth


LATEST = "(select max(as_of_month) from marts_roi.signal_effects)"


def effect(conn, signal: str, metric: str) -> tuple[float, float, float]:
    estimate, low, high = one(conn, f"""
        select estimate, ci_low, ci_high from marts_roi.signal_effects
        where as_of_month = {LATEST} and segment = 'all' and signal = %(signal)s and metric = %(metric)s""",
                              signal=signal, metric=metric)
    assert low <= estimate <= high, (signal, metric, low, estimate, high)
    return float(estimate), float(low), float(high)


def test_anxiety_raises_churn_by_the_planted_size(demo_warehouse):
    # planted: hazard 3x the base 0.0002/day from the day after anxiety is voiced, so over 90 days
    # (1 - e^(-90 * 0.0006)) - (1 - e^(-90 * 0.0002)) = 0.0347 (plugins/voc/demo/README.md)
    planted = (1 - math.exp(-90 * 0.0006)) - (1 - math.exp(-90 * 0.0002))
    _, low, high = effect(demo_warehouse, "emotion.anxiety", "churn_rate_difference")
    assert 0 < low <= planted <= high


def test_complaints_resolved_within_sla_retain_customers(demo_warehouse):
    _, low, _ = effect(demo_warehouse, "complaint_resolved_within_sla", "retention_difference")
    assert low > 0


def test_rm_follow_up_after_a_funds_signal_sells(demo_warehouse):
    _, low, _ = effect(demo_warehouse, "rm_follow_up_after_funds_signal", "cross_sell_uplift")
    assert low > 0


@pytest.mark.parametrize("signal", ["profile.contact_time", "preference.promo"])
@pytest.mark.parametrize("metric", ["churn_rate_difference", "cross_sell_uplift"])
def test_no_effect_controls_contain_zero(demo_warehouse, signal, metric):
    _, low, high = effect(demo_warehouse, signal, metric)
    assert low <= 0 <= high


def test_the_planted_hot_spot_week_raises_an_alert(demo_warehouse):
    from voc.demo.activity import spike_week
    from voc.jobs.demo import demo_config

    cfg = demo_config()
    first, _ = spike_week(cfg.dates)
    is_alert, owner = one(demo_warehouse, """
        select is_alert, owner_department from marts_voc.hot_spot_alerts
        where iso_week_start = %(week)s and signal_level = 'code' and signal = 'feedback.negative.system_bad'""",
                          week=first)
    assert is_alert and owner == "technology"
    # the week after, volume falls back: no alert
    (after,) = one(demo_warehouse, """
        select coalesce(bool_or(is_alert), false) from marts_voc.hot_spot_alerts
        where iso_week_start = %(week)s + 7 and signal = 'feedback.negative.system_bad'""", week=first)
    assert not after


def test_planted_tier_upgrades_are_upgrade_candidates(demo_warehouse, truth):
    planted = {cid for cid, st in truth.items() if st.tier_path == "upgrade"}
    found = {cid for (cid,) in demo_warehouse.execute(
        "select distinct customer_id from marts_customer.customer_tiering where upgrade_candidate")}
    assert len(planted) > 50
    assert len(found & planted) >= 0.95 * len(planted), "recall"
    assert len(found & planted) >= 0.95 * len(found), "precision"


def test_planted_downgrades_end_below_their_tier(demo_warehouse, truth):
    planted = {cid for cid, st in truth.items() if st.tier_path == "downgrade"}
    lower = {cid for (cid,) in demo_warehouse.execute("""
        select t.customer_id from marts_customer.customer_tiering t
        join reference.tier_bands b on b.tier = t.tier
        where t.as_of_month = (select max(as_of_month) from marts_customer.customer_tiering)
          and t.tier_rank < b.tier_rank""")}
    assert planted and planted <= lower


def test_sla_breach_rates_match_the_planted_ones(demo_warehouse):
    # planted: ~15% miss the 24 h first response, ~35% the 72 h resolution (voc.demo.activity.lifecycle)
    n, first_breached, resolution_breached = one(demo_warehouse, """
        select count(*), count(*) filter (where first_response_breached), count(*) filter (where resolution_breached)
        from marts_service.complaint_sla where is_final""")
    assert n > 1000
    assert abs(first_breached / n - 0.15) < 0.03 and abs(resolution_breached / n - 0.35) < 0.03
