"""Building a small demo stack for integration tests."""

from __future__ import annotations

from datetime import date

# A small slice of the demo: enough rows in every source for every layer to be non-empty.
DEMO_END = date(2026, 11, 15)


def make_stack(customers: int = 400, days: int = 5):
    from voc.demo.generate import DemoConfig, generate
    from voc.stack import resolve

    stack = resolve()
    cfg = DemoConfig(end_date=DEMO_END, days=days, customers=customers)
    generate(
        cfg,
        crm_url=stack.sources["crm"].url(),
        ticketing_url=stack.sources["ticketing"].url(),
        corebank_url=stack.sources["corebank"].url(),
        survey_dir=stack.survey_dir,
    )
    return stack
