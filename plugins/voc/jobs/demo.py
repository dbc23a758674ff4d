"""``voc demo``: the whole nightly job on the embedded default, end to end through Airflow.

Generates the deterministic demo source systems (skipped when they already hold exactly this data), then
runs voc_nightly for the last seven business dates of the demo window and prints what landed where.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from datetime import date, timedelta
from importlib import resources

from voc.config import voc_home
from voc.jobs.run import format_counts, run_range
from voc.stack import Stack, resolve

DEMO_DATES = 7
DEMO_END_DATE = "2026-11-15"  # fixed so the demo is byte-for-byte reproducible; VOC_DEMO_END_DATE overrides


def demo_config():
    from voc.demo.generate import DemoConfig

    end = date.fromisoformat(os.environ.get("VOC_DEMO_END_DATE", DEMO_END_DATE))
    return DemoConfig(end_date=end, customers=int(os.environ.get("VOC_DEMO_CUSTOMERS", 3000)))


def demo_dates(cfg) -> list[date]:
    return [cfg.end_date - timedelta(days=i) for i in reversed(range(DEMO_DATES))]


def ensure_demo_data(stack: Stack, cfg, echo=print) -> bool:
    """Generate the demo sources unless the same generator already wrote the same config there."""
    from voc.demo.generate import generate

    stamp = voc_home() / "demo-fingerprint"
    fingerprint = _fingerprint(stack, cfg)
    if stamp.exists() and stamp.read_text() == fingerprint:
        echo("demo source systems already hold this demo data; not regenerating")
        return False
    started = time.monotonic()
    summary = generate(
        cfg,
        crm_url=stack.sources["crm"].url(),
        ticketing_url=stack.sources["ticketing"].url(),
        corebank_url=stack.sources["corebank"].url(),
        survey_dir=stack.survey_dir,
    )
    stamp.write_text(fingerprint)
    echo(f"generated demo source data in {time.monotonic() - started:.1f}s: "
         + ", ".join(f"{k} {v}" for k, v in summary.items()))
    return True


def _fingerprint(stack: Stack, cfg) -> str:
    digest = hashlib.sha256(json.dumps([repr(cfg), stack.warehouse.url()]).encode())
    package = resources.files("voc.demo")
    for entry in sorted(package.iterdir(), key=lambda p: p.name):
        if entry.name.endswith((".py", ".sql", ".yaml")):
            digest.update(entry.name.encode() + entry.read_bytes())
    return digest.hexdigest()


def run_demo(echo=print) -> None:
    started = time.monotonic()
    stack = resolve()
    where = "embedded Postgres (" + stack.warehouse.host + ")" if stack.embedded else "VOC_WAREHOUSE_URL"
    echo(f"warehouse: {stack.warehouse.url()} [{where}]")
    cfg = demo_config()
    ensure_demo_data(stack, cfg, echo)
    days = demo_dates(cfg)
    report = run_range(stack, days, echo)
    echo("")
    echo(format_counts(report.counts, days))
    echo("")
    echo(f"demo finished in {time.monotonic() - started:.0f}s. Where to look next:")
    echo(f"  warehouse   psql \"{stack.warehouse.url()}\"   (or: voc warehouse-url)")
    echo("  marts       select * from marts_roi.roi_signal_daily order by business_date desc, aum_at_risk desc limit 20;")
    echo("  quality     select * from dq.checkpoint_results order by business_date;")
    echo(f"  task logs   {voc_home() / 'logs'}  and  {voc_home() / 'airflow' / 'logs'}")
    echo("  one date    voc run --date " + days[-1].isoformat())
