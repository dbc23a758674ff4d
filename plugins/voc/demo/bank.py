"""Core banking: holdings, their daily values (random walks), AUM per product type, churn events.

The activity simulation decides *what happens* (cross-sell openings, account closures, withdrawals);
this module turns those decisions into balances, so AUM always agrees with the holdings table.
"""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .people import Customer
from .timeutil import at

# product_type -> (product_code, daily drift, idiosyncratic daily vol, beta to the type's market factor)
PRODUCTS: dict[str, tuple[tuple[str, float, float, float], ...]] = {
    "deposit": (("TD-3M", 5e-5, 0, 0), ("TD-1Y", 6e-5, 0, 0), ("TD-3Y", 7e-5, 0, 0), ("CD-3Y", 8e-5, 0, 0),
                ("SD-91D", 7e-5, 0, 0)),
    "wealth": (("WM-STABLE", 8e-5, 4e-4, 0), ("WM-MONTHLY", 7e-5, 3e-4, 0), ("WM-QUARTER", 8e-5, 4e-4, 0),
               ("WM-180D", 9e-5, 5e-4, 0), ("WM-DAILY", 6e-5, 1e-4, 0), ("WM-PLUS", 1e-4, 1.5e-3, 0.1)),
    "fund": (("FD-MONEY", 5e-5, 0, 0), ("FD-BOND", 1e-4, 1e-3, 0), ("FD-HYBRID", 0, 4e-3, 0.6),
             ("FD-EQUITY", 0, 5e-3, 1.0), ("FD-CSI300", 0, 2e-3, 1.0), ("FD-CSI500", 0, 3e-3, 1.1)),
    "insurance": (("INS-CI", 1e-4, 0, 0), ("INS-ANNUITY", 1e-4, 0, 0), ("INS-WHOLE", 1.1e-4, 0, 0)),
    "gold": (("AU-ACC", 0, 1e-3, 1.0), ("AU-BAR", 0, 5e-4, 1.0)),
}
CURRENT_ACCOUNT = ("DEP-CUR", 1e-5, 0, 0)
HOLD_PROBABILITY = {  # tier -> P(holds product type) at the start of the window; everyone has a deposit
    "mass": {"wealth": 0.5, "fund": 0.3, "insurance": 0.15, "gold": 0.05},
    "wealth": {"wealth": 0.8, "fund": 0.6, "insurance": 0.4, "gold": 0.15},
    "private": {"wealth": 0.9, "fund": 0.8, "insurance": 0.6, "gold": 0.3},
}
AUM_DROP_THRESHOLD = 0.30  # aum_drop churn event: total AUM falls more than this below its window-start value


@dataclass
class Holding:
    customer_id: str
    product_type: str
    product_code: str
    opened_at: datetime
    amount: float
    value: float
    drift: float
    vol: float
    beta: float
    holding_id: str = ""
    closed_at: datetime | None = None
    matures_on: int | None = None  # day index of a planned maturity/redemption inside the window


@dataclass
class Plan:
    """Decisions taken by the activity simulation, by day index."""
    openings: dict[int, list[tuple[str, str, float, datetime]]] = field(default_factory=lambda: defaultdict(list))
    closures: dict[int, list[tuple[str, datetime]]] = field(default_factory=lambda: defaultdict(list))
    withdrawals: dict[str, tuple[int, float, int]] = field(default_factory=dict)  # start day, fraction, n days


def initial_holdings(customers: list[Customer], window_start: date, days: int, rng: random.Random) -> list[Holding]:
    out = []
    for c in customers:
        types = ["deposit"] + [t for t, p in HOLD_PROBABILITY[c.tier].items() if rng.random() < p]
        weights = [rng.uniform(1.0, 3.0) if t == "deposit" else rng.uniform(0.3, 2.0) for t in types]
        total = sum(weights)
        span = max(1, (window_start - c.opened_on).days)
        for t, w in zip(types, weights):
            value = c.initial_aum * w / total
            n = rng.choice((1, 1, 2))
            specs = [CURRENT_ACCOUNT] + rng.sample(PRODUCTS[t], n) if t == "deposit" else rng.sample(PRODUCTS[t], n)
            for spec in specs:
                # 30% of the deposits sit in the current account, the rest is split evenly
                share = value * 0.3 if spec is CURRENT_ACCOUNT else value * (0.7 if t == "deposit" else 1.0) / n
                opened = at(c.opened_on + timedelta(days=rng.randrange(span)), 9 * 3600 + rng.randrange(8 * 3600))
                h = Holding(c.customer_id, t, spec[0], opened, round(share * rng.uniform(0.85, 1.05), -2), share,
                            *spec[1:])
                if spec is not CURRENT_ACCOUNT and rng.random() < (0.05 if t in ("deposit", "wealth") else 0.02):
                    h.matures_on = rng.randrange(days)
                out.append(h)
    for i, h in enumerate(out, 1):
        h.holding_id = f"H{i:07d}"
    return out


def simulate(customers: list[Customer], holdings: list[Holding], days: list[date], plan: Plan,
             rng: random.Random) -> tuple[list[tuple], list[Holding], list[tuple]]:
    """Walk every holding through the window. Returns (aum_daily rows, all holdings, churn_events rows)."""
    by_customer: dict[str, list[Holding]] = defaultdict(list)
    for h in holdings:
        by_customer[h.customer_id].append(h)
    held_types = {c.customer_id: {h.product_type for h in by_customer[c.customer_id]} for c in customers}
    closed_on: dict[str, int] = {}
    totals: dict[str, list[float]] = defaultdict(list)
    aum_rows: list[tuple] = []
    events: list[tuple] = []
    new_holdings: list[Holding] = []
    for d, day in enumerate(days):
        market = {"fund": rng.gauss(0, 0.011), "gold": rng.gauss(2e-4, 0.008), "wealth": rng.gauss(0, 0.002)}
        for cid, ptype, amount, opened_at in plan.openings.get(d, ()):
            if cid in closed_on:
                continue
            code, drift, vol, beta = rng.choice(PRODUCTS[ptype])
            h = Holding(cid, ptype, code, opened_at, amount, amount, drift, vol, beta)
            by_customer[cid].append(h)
            new_holdings.append(h)
            held_types[cid].add(ptype)
        closing = {cid: when for cid, when in plan.closures.get(d, ())}
        for c in customers:
            cid = c.customer_id
            own = by_customer[cid]
            before = totals[cid][-1] if totals[cid] else sum(h.value for h in own)
            if cid in closed_on:
                pass
            elif cid in closing:
                for h in own:
                    if h.closed_at is None:
                        h.closed_at, h.value = closing[cid], 0.0
                closed_on[cid] = d
                events.append((closing[cid], cid, "account_closed", before, 0.0))
            else:
                _step(own, d, market, plan.withdrawals.get(cid), days[d], rng)
            total = 0.0
            per_type = dict.fromkeys(sorted(held_types[cid]), 0.0)
            for h in own:
                if h.closed_at is None:
                    per_type[h.product_type] += h.value
                    total += h.value
            totals[cid].append(total)
            for ptype, value in per_type.items():
                aum_rows.append((cid, day, ptype, value))
    for c in customers:  # aum_drop: the first day total AUM is more than the threshold below day one
        series = totals[c.customer_id]
        if c.customer_id in closed_on or series[0] <= 0:
            continue
        for d, total in enumerate(series):
            if total < series[0] * (1 - AUM_DROP_THRESHOLD):
                events.append((at(days[d], 20 * 3600 + rng.randrange(3600)), c.customer_id, "aum_drop", series[0], total))
                break
    new_holdings.sort(key=lambda h: (h.opened_at, h.customer_id))
    for i, h in enumerate(new_holdings, len(holdings) + 1):
        h.holding_id = f"H{i:07d}"
    events.sort(key=lambda e: (e[0], e[1]))
    churn_rows = [(f"CE{i:06d}", cid, kind, when, b, a)
                  for i, (when, cid, kind, b, a) in enumerate(events, 1)]
    return aum_rows, holdings + new_holdings, churn_rows


def _step(own: list[Holding], d: int, market: dict[str, float], withdrawal, day: date, rng: random.Random) -> None:
    current = own[0]  # the current account (DEP-CUR) is always a customer's first holding
    for h in own:
        if h.closed_at is not None:
            continue
        if h.matures_on == d:  # maturity / redemption: the money goes back to the current account
            current.value += h.value
            h.value, h.closed_at = 0.0, at(day, 10 * 3600 + rng.randrange(6 * 3600))
            continue
        r = h.drift + h.beta * market.get(h.product_type, 0.0)
        if h.vol:
            r += rng.gauss(0, h.vol)
        h.value = max(0.0, h.value * (1 + r))
    if rng.random() < 0.05:  # salary in, bills out
        current.value *= rng.uniform(0.95, 1.08)
    if withdrawal and withdrawal[0] <= d < withdrawal[0] + withdrawal[2]:
        keep = (1 - withdrawal[1]) ** (1 / withdrawal[2])
        for h in own:
            h.value *= keep
